/**
 * A fake Datto Autotask REST API (v1.0) on 127.0.0.1, built from what the real one accepts (see
 * psa-apis.md §2, §7): the zone lookup (no credentials), the three authentication headers, the query
 * grammar (every operator, and/or groups, case-insensitive field names), MaxRecords ≤ 500 with
 * nextPageUrl paging, current-period units in ContractServiceUnits, create-only
 * ContractServiceAdjustments that really count twice when posted twice, thresholdInformation, and
 * switchable faults: 429 with Retry-After, 500, the database's hourly limit, a 4th concurrent request
 * on one endpoint, a reply lost after an adjustment was applied, and added latency.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fault, FakePsaServer, type RecordedRequest } from './fake-server.js';

export interface AtCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export const AT_CREDENTIALS: AtCredentials = {
  username: 'tally-api@bluemsp.example',
  secret: 'aT-s3cret-9f2k',
  integrationCode: 'TALLYTRACKINGCODE01',
};

/** The database owner's own company (id 0 in every Autotask database). */
export const AT_OWNER_COMPANY = 'Blue MSP';

/**
 * The words of the refusals (GUESS: Autotask documents the limits, not the text; the client tells the
 * hourly limit apart by "per hour").
 */
export const AT_HOURLY_LIMIT_ERROR = (limit: number) =>
  `Request rejected: the database has exceeded its threshold of ${limit} API requests per hour. Requests are accepted again once the rolling hour clears.`;
export const AT_THREAD_LIMIT_ERROR = (endpoint: string, limit: number) =>
  `Request rejected: more than ${limit} concurrent requests to ${endpoint} for this integration.`;

type Rec = Record<string, unknown> & { id: number };

export type AtFaultKind =
  /** 429 with Retry-After (and an HTML body). */
  | 'rate-limit'
  /** 500 with Autotask's errors[]. */
  | 'server-error'
  /** 429 with the hourly-limit error, as if the database had used its 10,000 requests. */
  | 'hourly-limit'
  /** The adjustment is applied, then the connection is destroyed before any reply. */
  | 'drop-after-apply';

/** The entities the fake serves, by their name in the path (lower case). */
const ENTITIES = {
  companies: 'Companies',
  services: 'Services',
  contracts: 'Contracts',
  contractservices: 'ContractServices',
  contractserviceunits: 'ContractServiceUnits',
} as const;
type Entity = (typeof ENTITIES)[keyof typeof ENTITIES];

/** The fields of each entity (psa-apis.md §2), whether or not any record exists yet. */
const FIELDS: Record<Entity, string[]> = {
  Companies: ['id', 'companyName', 'companyType', 'isActive'],
  Services: [
    'id',
    'name',
    'description',
    'invoiceDescription',
    'unitPrice',
    'unitCost',
    'periodType',
    'isActive',
    'billingCodeID',
    'vendorCompanyID',
  ],
  Contracts: [
    'id',
    'companyID',
    'contractName',
    'contractNumber',
    'contractType',
    'status',
    'startDate',
    'endDate',
    'contractPeriodType',
    'isDefaultContract',
    'lastModifiedDateTime',
  ],
  ContractServices: [
    'id',
    'contractID',
    'serviceID',
    'unitPrice',
    'unitCost',
    'internalCurrencyUnitPrice',
    'internalCurrencyAdjustedPrice',
    'invoiceDescription',
    'internalDescription',
    'quoteItemID',
  ],
  ContractServiceUnits: [
    'id',
    'contractID',
    'contractServiceID',
    'serviceID',
    'startDate',
    'endDate',
    'units',
    'price',
    'cost',
    'approveAndPostDate',
  ],
};

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

class QueryError extends Error {}

/** A comparable form of a value: dates as ms, strings case-insensitive (Autotask's collation). */
function comparable(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      const ms = Date.parse(
        /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`,
      );
      if (!Number.isNaN(ms)) return ms;
    }
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    return value.toLowerCase();
  }
  return value;
}

/** Compiles a query's filter into a test of one record (throws QueryError as Autotask answers). */
function compileFilter(
  items: unknown,
  entity: Entity,
  keyOf: (field: string) => string | undefined,
): (rec: Rec) => boolean {
  if (!Array.isArray(items)) throw new QueryError('filter must be an array of conditions');
  const tests = items.map((item) => compileItem(item, entity, keyOf));
  return (rec) => tests.every((t) => t(rec));
}

function compileItem(
  item: unknown,
  entity: Entity,
  keyOf: (field: string) => string | undefined,
): (rec: Rec) => boolean {
  const { op, field, value, items } = (item ?? {}) as {
    op?: unknown;
    field?: unknown;
    value?: unknown;
    items?: unknown;
  };
  const name = String(op ?? '').toLowerCase();
  if (name === 'and' || name === 'or') {
    if (!Array.isArray(items) || items.length === 0) throw new QueryError(`An ${name} group needs items`);
    const tests = items.map((i) => compileItem(i, entity, keyOf));
    return name === 'and' ? (rec) => tests.every((t) => t(rec)) : (rec) => tests.some((t) => t(rec));
  }
  if (typeof field !== 'string' || field === '') throw new QueryError('Each condition needs a field');
  const key = keyOf(field);
  if (key === undefined) throw new QueryError(`Unable to find ${field} in the ${entity} entity.`);
  const get = (rec: Rec) => rec[key];
  const present = (v: unknown) => v !== null && v !== undefined && v !== '';
  const wanted = comparable(value);
  const text = (v: unknown) => String(v ?? '').toLowerCase();
  const needle = text(value);
  switch (name) {
    case 'eq':
      return (rec) => comparable(get(rec)) === wanted;
    case 'noteq':
      return (rec) => comparable(get(rec)) !== wanted;
    case 'gt':
      return (rec) => present(get(rec)) && (comparable(get(rec)) as number) > (wanted as number);
    case 'gte':
      return (rec) => present(get(rec)) && (comparable(get(rec)) as number) >= (wanted as number);
    case 'lt':
      return (rec) => present(get(rec)) && (comparable(get(rec)) as number) < (wanted as number);
    case 'lte':
      return (rec) => present(get(rec)) && (comparable(get(rec)) as number) <= (wanted as number);
    case 'beginswith':
      return (rec) => text(get(rec)).startsWith(needle);
    case 'endswith':
      return (rec) => text(get(rec)).endsWith(needle);
    case 'contains':
      return (rec) => text(get(rec)).includes(needle);
    case 'exist':
      return (rec) => present(get(rec));
    case 'notexist':
      return (rec) => !present(get(rec));
    case 'in':
    case 'notin': {
      if (!Array.isArray(value)) throw new QueryError(`The ${String(op)} operator needs a list of values`);
      // Autotask allows at most 500 OR conditions; an `in` list is one per value.
      if (value.length > 500) throw new QueryError('A query may contain at most 500 OR conditions');
      const set = new Set(value.map(comparable));
      return name === 'in' ? (rec) => set.has(comparable(get(rec))) : (rec) => !set.has(comparable(get(rec)));
    }
    default:
      throw new QueryError(`Unknown operator: ${String(op)}`);
  }
}

/** The first and last day of the month `offset` months from the one holding `ms`, as Autotask dates. */
function monthPeriod(ms: number, offset: number): { startDate: string; endDate: string } {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 0);
  return { startDate: iso(start), endDate: iso(end) };
}

export class FakeAutotask extends FakePsaServer<AtFaultKind> {
  readonly tables: Record<Entity, Map<number, Rec>> = {
    Companies: new Map(),
    Services: new Map(),
    Contracts: new Map(),
    ContractServices: new Map(),
    ContractServiceUnits: new Map(),
  };
  /** Unit rows per contract service, so an adjustment does not scan them all. */
  private readonly unitsOf = new Map<number, Rec[]>();
  readonly requests: RecordedRequest[] = [];
  /** Keep the request log (off for benchmarks). */
  record = true;
  /** Requests answered (or refused) so far, also when the log is off. */
  requestsServed = 0;
  /** Every adjustment applied, in order (they cannot be read back through the API). */
  readonly adjustments: {
    itemId: number;
    contractServiceID: number;
    unitChange: number;
    effectiveDate: string;
  }[] = [];
  /** How many adjustments were applied per contract service: proves "exactly once". */
  readonly adjustmentsPosted = new Map<number, number>();
  /** Contract services an adjustment created. */
  readonly contractServicesCreated: number[] = [];
  latencyMs = 0;
  /** Autotask's limit per database and rolling hour (all integrations together). */
  hourlyLimit = 10_000;
  /** Requests other integrations sent this hour (they count toward the limit too). */
  otherIntegrationsRequests = 0;
  /** Concurrent requests one integration may have on one endpoint. */
  threadLimit = 3;
  /** Requests refused for the thread limit. */
  threadRefusals = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** The most concurrent requests seen on any one endpoint. */
  maxInFlightPerEndpoint = 0;
  /** Where the database's zone answers; moving it makes the old address refuse the credentials. */
  zonePath = '/atservicesrest/';
  /** The fake's clock: which contract period is current, and the rolling hour. */
  clock: () => number = Date.now;
  private readonly perEndpoint = new Map<string, number>();
  private readonly hour: number[] = [];
  private nextId = 1000;
  private readonly keyCache = new Map<Entity, Map<string, string>>();

  constructor(readonly credentials: AtCredentials = AT_CREDENTIALS) {
    super('Autotask');
    this.tables.Companies.set(0, { id: 0, companyName: AT_OWNER_COMPANY, companyType: 5, isActive: true });
  }

  get companies() {
    return this.tables.Companies;
  }
  get services() {
    return this.tables.Services;
  }
  get contracts() {
    return this.tables.Contracts;
  }
  get contractServices() {
    return this.tables.ContractServices;
  }

  /** The API base zoneInformation names (ends in /). */
  get zoneUrl(): string {
    return `${this.baseUrl}${this.zonePath}`;
  }

  /** Requests the fake counted toward the database's limit in the last hour (its own clock). */
  requestsThisHour(): number {
    const now = this.clock();
    while (this.hour.length > 0 && (this.hour[0] as number) <= now - HOUR_MS) this.hour.shift();
    return this.hour.length + this.otherIntegrationsRequests;
  }

  /** Requests of one method whose path includes `part` (case-insensitive). */
  countRequests(method: string, part: string): number {
    const needle = part.toLowerCase();
    return this.requests.filter((r) => r.method === method && r.path.toLowerCase().includes(needle)).length;
  }

  private id(): number {
    return this.nextId++;
  }

  addCompany(companyName: string, options: { isActive?: boolean } = {}): Rec {
    const rec: Rec = { id: this.id(), companyName, companyType: 1, isActive: options.isActive ?? true };
    this.tables.Companies.set(rec.id, rec);
    return rec;
  }

  addService(name: string, unitPrice = 10, unitCost = 4): Rec {
    const rec: Rec = {
      id: this.id(),
      name,
      description: name,
      invoiceDescription: name,
      unitPrice,
      unitCost,
      periodType: 'm',
      isActive: true,
      billingCodeID: 29_682_801,
      vendorCompanyID: null,
    };
    this.tables.Services.set(rec.id, rec);
    return rec;
  }

  addContract(
    company: Rec,
    contractName: string,
    options: { contractType?: number; status?: number } = {},
  ): Rec {
    const rec: Rec = {
      id: this.id(),
      companyID: company.id,
      contractName,
      contractNumber: `C-${this.nextId}`,
      contractType: options.contractType ?? 7,
      status: options.status ?? 1,
      startDate: '2026-01-01T00:00:00Z',
      endDate: '2027-12-31T00:00:00Z',
      contractPeriodType: 'm',
      isDefaultContract: false,
      lastModifiedDateTime: iso(this.clock()),
    };
    this.tables.Contracts.set(rec.id, rec);
    return rec;
  }

  /**
   * A service on a contract with unit rows for last month, this month and next month. `units` is
   * this month's; the others differ when given, so a reader must pick the current period.
   */
  addContractService(
    contract: Rec,
    service: Rec,
    units: number,
    options: { previousUnits?: number; nextUnits?: number; periods?: boolean } = {},
  ): Rec {
    const rec: Rec = {
      id: this.id(),
      contractID: contract.id,
      serviceID: service.id,
      unitPrice: service.unitPrice,
      unitCost: service.unitCost,
      internalCurrencyUnitPrice: service.unitPrice,
      internalCurrencyAdjustedPrice: service.unitPrice,
      invoiceDescription: service.name,
      internalDescription: null,
      quoteItemID: null,
    };
    this.tables.ContractServices.set(rec.id, rec);
    const rows: Rec[] = [];
    this.unitsOf.set(rec.id, rows);
    const plan: [number, number][] =
      options.periods === false
        ? []
        : [
            [-1, options.previousUnits ?? units],
            [0, units],
            [1, options.nextUnits ?? units],
          ];
    for (const [offset, count] of plan) this.addUnitRow(rec, offset, count);
    return rec;
  }

  private addUnitRow(cs: Rec, monthOffset: number, units: number): Rec {
    const row: Rec = {
      id: this.id(),
      contractID: cs.contractID,
      contractServiceID: cs.id,
      serviceID: cs.serviceID,
      ...monthPeriod(this.clock(), monthOffset),
      units,
      price: cs.unitPrice,
      cost: cs.unitCost,
      approveAndPostDate: null,
    };
    this.tables.ContractServiceUnits.set(row.id, row);
    this.unitsOf.get(cs.id as number)?.push(row);
    return row;
  }

  /** Units of a contract service in the period holding the fake's today (0 when none). */
  currentUnits(contractServiceId: number): number {
    return this.unitsOn(contractServiceId, iso(this.clock()).slice(0, 10));
  }

  /** Units of a contract service in the period holding a day (YYYY-MM-DD; 0 when none). */
  unitsOn(contractServiceId: number, day: string): number {
    const row = (this.unitsOf.get(contractServiceId) ?? []).find(
      (r) => String(r.startDate).slice(0, 10) <= day && day <= String(r.endDate).slice(0, 10),
    );
    return (row?.units as number | undefined) ?? 0;
  }

  /** A change made in Autotask itself (by a person): this period's units from now on. */
  setCurrentUnits(contractServiceId: number, units: number): void {
    const today = iso(this.clock()).slice(0, 10);
    for (const row of this.unitsOf.get(contractServiceId) ?? []) {
      if (String(row.endDate).slice(0, 10) >= today) row.units = units;
    }
  }

  /** A change of a contract made in Autotask itself: it carries a newer lastModifiedDateTime. */
  touchContract(contract: Rec, changes: Record<string, unknown>): void {
    Object.assign(contract, changes, { lastModifiedDateTime: iso(this.clock()) });
  }

  /** Autotask's paths and entity names are case-insensitive. */
  protected override comparablePath(path: string): string {
    return path.toLowerCase();
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.requestsServed++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let endpoint: string | null = null;
    res.on('close', () => {
      this.inFlight--;
      if (endpoint !== null) this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 1) - 1);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (this.record) {
      this.requests.push({ method, path: url.pathname + url.search, headers: req.headers, body });
    }
    try {
      // The zone lookup: the same address for every database, no credentials, no thread limit.
      if (method === 'GET' && /^\/atservicesrest\/v1\.0\/zoneinformation$/i.test(url.pathname)) {
        return this.zoneInformation(res, url);
      }
      const prefix = `${this.zonePath}v1.0/`;
      if (!url.pathname.toLowerCase().startsWith(prefix.toLowerCase())) {
        // Another zone's address: it does not know this database's credentials.
        if (/\/atservicesrest\/v1\.0\//i.test(url.pathname)) return this.unauthorized(res);
        return this.errors(res, 404, [`The requested resource ${url.pathname} does not exist.`]);
      }
      if (!this.authorized(req)) return this.unauthorized(res);
      const path = url.pathname.slice(prefix.length);
      if (this.requestsThisHour() >= this.hourlyLimit) {
        return this.errors(res, 429, [AT_HOURLY_LIMIT_ERROR(this.hourlyLimit)]);
      }
      // Thread limits apply per endpoint (entity) and tracking identifier.
      endpoint = (path.split('/')[0] ?? '').toLowerCase();
      const running = (this.perEndpoint.get(endpoint) ?? 0) + 1;
      this.perEndpoint.set(endpoint, running);
      if (running > this.threadLimit) {
        this.threadRefusals++;
        return this.errors(res, 429, [AT_THREAD_LIMIT_ERROR(endpoint, this.threadLimit)]);
      }
      this.maxInFlightPerEndpoint = Math.max(this.maxInFlightPerEndpoint, running);
      this.hour.push(this.clock());
      const fault = this.takeFault(method, path);
      if (fault?.kind === 'rate-limit') {
        res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds), 'content-type': 'text/html' });
        res.end('<html><body>Too Many Requests</body></html>');
        return;
      }
      if (fault?.kind === 'server-error') {
        return this.errors(res, 500, ['An unexpected error occurred. Please try again.']);
      }
      if (fault?.kind === 'hourly-limit') {
        return this.errors(res, 429, [AT_HOURLY_LIMIT_ERROR(this.hourlyLimit)]);
      }
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      this.route(req, res, method, path, url, body, fault);
    } catch (error) {
      if (error instanceof QueryError) return this.errors(res, 400, [error.message]);
      this.errors(res, 500, [(error as Error).message]);
    }
  }

  private zoneInformation(res: ServerResponse, url: URL): void {
    const user = url.searchParams.get('user') ?? '';
    if (user.toLowerCase() !== this.credentials.username.toLowerCase()) {
      // A blank or unknown user gets a 500 from the real lookup.
      return this.errors(res, 500, ['Zone information could not be determined']);
    }
    this.json(res, 200, {
      zoneName: 'America West',
      url: this.zoneUrl,
      webUrl: `${this.baseUrl}/`,
      ci: 5,
      dataBaseType: 'Production',
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers;
    return (
      h.apiintegrationcode === this.credentials.integrationCode &&
      typeof h.username === 'string' &&
      h.username.toLowerCase() === this.credentials.username.toLowerCase() &&
      h.secret === this.credentials.secret
    );
  }

  private unauthorized(res: ServerResponse): void {
    // Autotask's 401 has no JSON body.
    res.writeHead(401, { 'content-type': 'text/html' });
    res.end('<html><head><title>401 - Unauthorized</title></head><body>Unauthorized</body></html>');
  }

  private route(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    url: URL,
    body: string,
    fault: Fault<AtFaultKind> | undefined,
  ): void {
    const parts = path.split('/').filter((p) => p !== '');
    const head = (parts[0] ?? '').toLowerCase();
    if (
      head === 'internal' &&
      (parts[1] ?? '').toLowerCase() === 'thresholdinformation' &&
      method === 'GET'
    ) {
      return this.json(res, 200, {
        externalRequestThreshold: this.hourlyLimit,
        requestThresholdTimeframe: 60,
        currentTimeframeRequestCount: this.requestsThisHour(),
      });
    }
    if (head === 'contractserviceadjustments') {
      if (method !== 'POST' || parts.length > 1) {
        return this.errors(res, 405, ['ContractServiceAdjustments can only be created.']);
      }
      return this.adjust(req, res, body, fault);
    }
    const entity = ENTITIES[head as keyof typeof ENTITIES] as Entity | undefined;
    if (entity === undefined)
      return this.errors(res, 404, [`The requested resource ${path} does not exist.`]);
    const sub = (parts[1] ?? '').toLowerCase();
    if (sub === 'query') {
      const next = (parts[2] ?? '').toLowerCase() === 'next';
      let search: unknown;
      try {
        search =
          method === 'POST' && !next
            ? JSON.parse(body)
            : JSON.parse(url.searchParams.get('search') ?? (next ? '' : body));
      } catch {
        return this.errors(res, 400, ['The query is not valid JSON.']);
      }
      const paging = next ? (JSON.parse(url.searchParams.get('paging') ?? '{}') as { afterId?: number }) : {};
      return this.query(res, entity, search, paging.afterId ?? -1);
    }
    if (/^\d+$/.test(sub) && parts.length === 2 && method === 'GET') {
      if (entity === 'ContractServiceUnits') {
        return this.errors(res, 405, ['ContractServiceUnits can only be queried.']);
      }
      return this.json(res, 200, { item: this.tables[entity].get(Number(sub)) ?? null });
    }
    return this.errors(res, 405, [`${method} is not supported on ${path}.`]);
  }

  /** The record key a (case-insensitive) field name means, if the entity has it. */
  private keyResolver(entity: Entity): (field: string) => string | undefined {
    let keys = this.keyCache.get(entity);
    if (keys === undefined) {
      keys = new Map(FIELDS[entity].map((key) => [key.toLowerCase(), key]));
      this.keyCache.set(entity, keys);
    }
    const known = keys;
    return (field) => known.get(field.toLowerCase());
  }

  private query(res: ServerResponse, entity: Entity, search: unknown, afterId: number): void {
    const { filter, MaxRecords, IncludeFields } = (search ?? {}) as {
      filter?: unknown;
      MaxRecords?: unknown;
      IncludeFields?: unknown;
    };
    if (!Array.isArray(filter) || filter.length === 0) {
      throw new QueryError('A query needs a filter with at least one condition.');
    }
    const max = MaxRecords === undefined ? 500 : Number(MaxRecords);
    if (!Number.isInteger(max) || max < 1 || max > 500) {
      throw new QueryError('MaxRecords must be a whole number from 1 to 500.');
    }
    const keyOf = this.keyResolver(entity);
    const keep = compileFilter(filter, entity, keyOf);
    const rows: Rec[] = [];
    let more = false;
    // Records are kept in the order of their ids (they are numbered as they are added).
    for (const [id, rec] of this.tables[entity]) {
      if (id <= afterId || !keep(rec)) continue;
      if (rows.length === max) {
        more = true;
        break;
      }
      rows.push(rec);
    }
    const include = Array.isArray(IncludeFields)
      ? ['id', ...IncludeFields.map((f) => keyOf(String(f))).filter((k): k is string => k !== undefined)]
      : null;
    const items =
      include === null ? rows : rows.map((r) => Object.fromEntries(include.map((k) => [k, r[k]])));
    const nextUrl = () => {
      const next = new URL(`${this.zoneUrl}V1.0/${entity}/query/next`);
      next.searchParams.set('paging', JSON.stringify({ afterId: rows[rows.length - 1]?.id }));
      next.searchParams.set('search', JSON.stringify(search));
      return next.toString();
    };
    this.json(res, 200, {
      items,
      pageDetails: {
        count: items.length,
        requestCount: max,
        prevPageUrl: null,
        nextPageUrl: more ? nextUrl() : null,
      },
    });
  }

  private adjust(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    fault: Fault<AtFaultKind> | undefined,
  ): void {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.errors(res, 400, ['The request body is not valid JSON.']);
    }
    // Field names are case-insensitive (real clients send ContractID and contractID alike).
    const input = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const contract = this.tables.Contracts.get(Number(input.contractid));
    const problems: string[] = [];
    if (!contract) problems.push(`Contract ${String(input.contractid)} does not exist.`);
    const unitChange = input.unitchange;
    if (typeof unitChange !== 'number' || !Number.isInteger(unitChange)) {
      problems.push('unitChange must be a whole number.');
    }
    const effective = typeof input.effectivedate === 'string' ? Date.parse(input.effectivedate) : NaN;
    if (Number.isNaN(effective)) problems.push('effectiveDate is required.');
    let cs: Rec | undefined;
    if (contract && input.contractserviceid !== undefined && input.contractserviceid !== null) {
      cs = this.tables.ContractServices.get(Number(input.contractserviceid));
      if (!cs || cs.contractID !== contract.id) {
        problems.push(
          `Contract service ${String(input.contractserviceid)} is not on contract ${contract.id}.`,
        );
      }
    } else if (contract) {
      const service = this.tables.Services.get(Number(input.serviceid));
      if (!service) problems.push(`Service ${String(input.serviceid)} does not exist.`);
      cs = [...this.tables.ContractServices.values()].find(
        (c) => c.contractID === contract.id && c.serviceID === Number(input.serviceid),
      );
      if (!cs && service && problems.length === 0) {
        // An adjustment creates the contract service when the contract has none of that service.
        cs = this.addContractService(contract, service, 0, { periods: false });
        for (const offset of [0, 1]) this.addUnitRow(cs, offset, 0);
        this.contractServicesCreated.push(cs.id);
      }
    }
    if (problems.length > 0 || !cs) return this.errors(res, 500, problems);
    // The change counts from the period holding its effective date on.
    const from = iso(effective).slice(0, 10);
    const rows = (this.unitsOf.get(cs.id) ?? []).filter((r) => String(r.endDate).slice(0, 10) >= from);
    if (rows.some((r) => (r.units as number) + (unitChange as number) < 0)) {
      return this.errors(res, 500, ['The adjustment would leave fewer than 0 units.']);
    }
    for (const row of rows) row.units = (row.units as number) + (unitChange as number);
    const itemId = this.id();
    this.adjustments.push({
      itemId,
      contractServiceID: cs.id,
      unitChange: unitChange as number,
      effectiveDate: String(input.effectivedate),
    });
    this.adjustmentsPosted.set(cs.id, (this.adjustmentsPosted.get(cs.id) ?? 0) + 1);
    if (fault?.kind === 'drop-after-apply') {
      req.socket.destroy();
      return;
    }
    this.json(res, 200, { itemId });
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  }

  private errors(res: ServerResponse, status: number, errors: string[]): void {
    this.json(res, status, { errors });
  }
}
