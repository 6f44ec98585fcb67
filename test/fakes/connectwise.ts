/**
 * A fake ConnectWise PSA (Manage) REST server on 127.0.0.1, built from what the real one accepts
 * (see psa-apis.md §1): companyinfo discovery, Basic + clientId authentication, the `conditions`
 * grammar with ConnectWise's error text, page/pageSize (default 25, max 1000) with Link headers,
 * PATCH of an addition's quantity in every variant real clients send, and switchable faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fault, FakePsaServer, type RecordedRequest } from './fake-server.js';
import { ConditionError, parseConditions } from './cw-conditions.js';

export const CW_CODEBASE = 'v2026_1/';

export interface CwCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export const CW_CREDENTIALS: CwCredentials = {
  companyId: 'bluemsp',
  publicKey: 'pubKEY123',
  privateKey: 'privSECRET456',
  clientId: '5f0b1c1e-7a43-4c3a-9d51-9e0b7f6a0c11',
};

type Rec = Record<string, unknown> & { id: number; _info: { lastUpdated: string } };

export type FaultKind =
  /** 429 with Retry-After. */
  | 'rate-limit'
  /** 500 whose body mentions a timeout (retried by real clients). */
  | 'timeout'
  /** 400 InvalidObject on a field the request did not touch (ConnectWise re-validates the record). */
  | 'invalid-object'
  /** The write is applied, then the connection is destroyed before any reply. */
  | 'drop-after-apply';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function cwError(res: ServerResponse, status: number, code: string, message: string, errors?: unknown[]) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, ...(errors && { errors }) }));
}

export class FakeConnectWise extends FakePsaServer<FaultKind> {
  readonly companies = new Map<number, Rec>();
  readonly catalog = new Map<number, Rec>();
  readonly agreements = new Map<number, Rec>();
  readonly additions = new Map<number, Rec>();
  /** Addition ids per agreement, so listing one agreement's additions does not scan them all. */
  private readonly additionsOf = new Map<number, Set<number>>();
  readonly requests: RecordedRequest[] = [];
  /** How often each addition's quantity was changed by a PATCH: proves "exactly once". */
  readonly patchesApplied = new Map<number, number>();
  /** Additions created by POST. */
  readonly additionsCreated: number[] = [];
  latencyMs = 0;
  /** Requests answered (or refused) so far, also when the log is off. */
  requestsServed = 0;
  inFlight = 0;
  maxInFlight = 0;
  private nextId = 1000;
  private nowMs = Date.parse('2026-11-01T08:00:00Z');
  /** Keep the request log (off for benchmarks). */
  record = true;

  constructor(readonly credentials: CwCredentials = CW_CREDENTIALS) {
    super('ConnectWise');
  }

  /** Every later change carries a newer lastUpdated. */
  private tick(): string {
    // ConnectWise stamps changes with its own clock; here it keeps up with the real one.
    this.nowMs = Math.max(this.nowMs + 1, Date.now());
    return iso(this.nowMs);
  }

  /** The fake's own clock, for delta-sync tests ("changed after this"). */
  currentTimeMs(): number {
    return this.nowMs;
  }

  addCompany(name: string, identifier = name.replace(/\W/g, '').slice(0, 30)): Rec {
    const rec: Rec = {
      id: this.nextId++,
      identifier,
      name,
      status: { id: 1, name: 'Active' },
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
      _info: { lastUpdated: this.tick() },
    };
    this.companies.set(rec.id, rec);
    return rec;
  }

  addCatalogItem(identifier: string, description: string, price = 10, cost = 4): Rec {
    const rec: Rec = {
      id: this.nextId++,
      identifier,
      description,
      customerDescription: description,
      inactiveFlag: false,
      price,
      cost,
      productClass: 'Service',
      recurringFlag: true,
      _info: { lastUpdated: this.tick() },
    };
    this.catalog.set(rec.id, rec);
    return rec;
  }

  addAgreement(company: Rec, name: string, status = 'Active'): Rec {
    const rec: Rec = {
      id: this.nextId++,
      name,
      type: { id: 18, name: 'Managed Services' },
      company: { id: company.id, identifier: company.identifier, name: company.name },
      agreementStatus: status,
      cancelledFlag: status === 'Cancelled',
      startDate: '2026-01-01T00:00:00Z',
      noEndingDateFlag: true,
      billAmount: 0,
      _info: { lastUpdated: this.tick() },
    };
    this.agreements.set(rec.id, rec);
    return rec;
  }

  addAddition(agreement: Rec, item: Rec, quantity: number, options: { cancelled?: boolean } = {}): Rec {
    const rec: Rec = {
      id: this.nextId++,
      agreementId: agreement.id,
      product: { id: item.id, identifier: item.identifier },
      quantity,
      lessIncluded: 0,
      billedQuantity: quantity,
      unitPrice: item.price,
      unitCost: item.cost,
      billCustomer: 'Billable',
      effectiveDate: '2026-01-01T00:00:00Z',
      cancelledDate: options.cancelled ? '2026-06-01T00:00:00Z' : null,
      agreementStatus: options.cancelled ? 'Cancelled' : 'Active',
      description: item.description,
      _info: { lastUpdated: this.tick() },
    };
    this.additions.set(rec.id, rec);
    const own = this.additionsOf.get(agreement.id) ?? new Set<number>();
    own.add(rec.id);
    this.additionsOf.set(agreement.id, own);
    return rec;
  }

  /** Makes everything so far look `ageMs` older (a ledger that existed long before Tally came). */
  backdate(ageMs: number): void {
    for (const records of [this.companies, this.catalog, this.agreements, this.additions]) {
      for (const rec of records.values()) {
        rec._info = { lastUpdated: iso(Date.parse(rec._info.lastUpdated) - ageMs) };
      }
    }
  }

  /** A change made in ConnectWise itself (by a person), for delta syncs. */
  touch(rec: Rec, changes: Record<string, unknown>): void {
    Object.assign(rec, changes);
    rec._info = { lastUpdated: this.tick() };
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.requestsServed++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (this.record) {
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        headers: req.headers,
        body,
      });
    }
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    try {
      this.route(req, res, url, body);
    } catch (error) {
      cwError(res, 500, 'UnexpectedServerError', (error as Error).message);
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const method = req.method ?? 'GET';
    const info = /^\/login\/companyinfo\/([^/]+)$/.exec(url.pathname);
    if (info && method === 'GET') {
      if (decodeURIComponent(info[1] as string).toLowerCase() !== this.credentials.companyId.toLowerCase()) {
        // The real endpoint answers 200 with an empty body for an unknown company.
        res.writeHead(200, { 'content-type': 'application/json' }).end('null');
        return;
      }
      return this.json(res, 200, {
        CompanyName: 'Blue MSP',
        Codebase: CW_CODEBASE,
        VersionCode: 'v2026.1',
        VersionNumber: 'v4.6.2026',
        CompanyID: this.credentials.companyId,
        IsCloud: true,
      });
    }
    const prefix = `/${CW_CODEBASE}apis/3.0`;
    if (!url.pathname.startsWith(prefix)) return cwError(res, 404, 'NotFound', 'Not found');
    const path = url.pathname.slice(prefix.length);
    if (!this.authorized(req)) {
      return cwError(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const fault = this.takeFault(method, path);
    if (fault?.kind === 'rate-limit') {
      res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds), 'content-type': 'text/html' });
      res.end('<html><body>Too Many Requests</body></html>');
      return;
    }
    if (fault?.kind === 'timeout') {
      return cwError(
        res,
        500,
        'UnexpectedServerError',
        'An unexpected error occurred: The operation has timed out.',
      );
    }
    if (fault?.kind === 'invalid-object') {
      return cwError(res, 400, 'InvalidObject', 'agreement object is invalid', [
        {
          code: 'OutOfRange',
          message: 'The field billAmount must be between 0 and 99999999.99.',
          resource: 'agreement',
          field: 'billAmount',
        },
      ]);
    }
    res.setHeader('api-current-version', '2026.1');

    if (method === 'GET') {
      if (path === '/company/companies') return this.list(res, url, this.companies);
      if (path === '/procurement/catalog') return this.list(res, url, this.catalog);
      if (path === '/finance/agreements') return this.list(res, url, this.agreements);
      const additions = /^\/finance\/agreements\/(\d+)\/additions(?:\/(\d+|count))?$/.exec(path);
      if (additions) {
        const agreementId = Number(additions[1]);
        if (!this.agreements.has(agreementId)) return this.notFound(res, 'Agreement', agreementId);
        const own = new Map<number, Rec>();
        for (const id of this.additionsOf.get(agreementId) ?? []) {
          const addition = this.additions.get(id);
          if (addition) own.set(id, addition);
        }
        if (additions[2] === 'count') return this.json(res, 200, { count: this.filtered(url, own).length });
        if (additions[2] !== undefined) {
          const addition = own.get(Number(additions[2]));
          return addition ? this.json(res, 200, addition) : this.notFound(res, 'Addition', additions[2]);
        }
        return this.list(res, url, own);
      }
    }
    const one = /^\/finance\/agreements\/(\d+)\/additions\/(\d+)$/.exec(path);
    if (one && method === 'PATCH')
      return this.patchAddition(req, res, Number(one[1]), Number(one[2]), body, fault);
    const many = /^\/finance\/agreements\/(\d+)\/additions$/.exec(path);
    if (many && method === 'POST') return this.postAddition(res, Number(many[1]), body, fault);
    return cwError(res, 404, 'NotFound', `The requested resource ${path} was not found`);
  }

  private authorized(req: IncomingMessage): boolean {
    const { companyId, publicKey, privateKey, clientId } = this.credentials;
    const expected = `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
    return req.headers.authorization === expected && req.headers.clientid === clientId;
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  }

  private notFound(res: ServerResponse, what: string, id: unknown): void {
    cwError(res, 404, 'NotFound', `${what} ID ${String(id)} not found`);
  }

  private filtered(url: URL, records: Map<number, Rec>): Rec[] {
    const conditions = url.searchParams.get('conditions');
    const keep = conditions ? parseConditions(conditions) : () => true;
    return [...records.values()].filter(keep).sort((a, b) => a.id - b.id);
  }

  private list(res: ServerResponse, url: URL, records: Map<number, Rec>): void {
    let rows: Rec[];
    try {
      rows = this.filtered(url, records);
    } catch (error) {
      if (error instanceof ConditionError) return cwError(res, 400, 'InvalidObject', error.message);
      throw error;
    }
    const pageSize = Math.min(Math.max(Number(url.searchParams.get('pageSize') ?? 25) || 25, 1), 1000);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(rows.length / pageSize), 1);
    const link = (n: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(n));
      u.searchParams.set('pageSize', String(pageSize));
      return `<${this.baseUrl}${u.pathname}${u.search}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`, `${link(1)}; rel="first"`);
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (links.length > 0) res.setHeader('link', links.join(', '));
    this.json(res, 200, rows.slice((page - 1) * pageSize, page * pageSize));
  }

  private patchAddition(
    req: IncomingMessage,
    res: ServerResponse,
    agreementId: number,
    additionId: number,
    body: string,
    fault: Fault<FaultKind> | undefined,
  ): void {
    const addition = this.additions.get(additionId);
    if (!addition || addition.agreementId !== agreementId) return this.notFound(res, 'Addition', additionId);
    let ops: unknown;
    try {
      ops = JSON.parse(body);
    } catch {
      return cwError(res, 400, 'InvalidObject', 'The request body is not valid JSON');
    }
    if (!Array.isArray(ops)) return cwError(res, 400, 'InvalidObject', 'Patch operations must be an array');
    const changes: Record<string, unknown> = {};
    for (const op of ops as { op?: string; path?: string; value?: unknown }[]) {
      const field = String(op.path ?? '').replace(/^\//, '');
      if (String(op.op).toLowerCase() !== 'replace') {
        return cwError(res, 400, 'InvalidObject', `Unsupported patch operation: ${String(op.op)}`);
      }
      if (field !== 'quantity') {
        return cwError(res, 400, 'InvalidObject', 'addition object is invalid', [
          {
            code: 'InvalidField',
            message: `The field ${field} cannot be changed`,
            resource: 'addition',
            field,
          },
        ]);
      }
      const value =
        typeof op.value === 'string' && /^-?\d+(\.\d+)?$/.test(op.value) ? Number(op.value) : op.value;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return cwError(res, 400, 'InvalidObject', 'addition object is invalid', [
          {
            code: 'InvalidValue',
            message: 'The field quantity must be a number.',
            resource: 'addition',
            field,
          },
        ]);
      }
      changes.quantity = value;
    }
    if (changes.quantity !== undefined && changes.quantity !== addition.quantity) {
      this.patchesApplied.set(additionId, (this.patchesApplied.get(additionId) ?? 0) + 1);
    }
    this.touch(addition, { ...changes, billedQuantity: changes.quantity ?? addition.quantity });
    if (fault?.kind === 'drop-after-apply') {
      req.socket.destroy();
      return;
    }
    this.json(res, 200, addition);
  }

  private postAddition(
    res: ServerResponse,
    agreementId: number,
    body: string,
    fault: Fault<FaultKind> | undefined,
  ): void {
    const agreement = this.agreements.get(agreementId);
    if (!agreement) return this.notFound(res, 'Agreement', agreementId);
    let input: { product?: { id?: number }; quantity?: unknown; billCustomer?: string };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return cwError(res, 400, 'InvalidObject', 'The request body is not valid JSON');
    }
    const item = this.catalog.get(Number(input.product?.id));
    const errors = [
      ...(item
        ? []
        : [{ code: 'InvalidObject', message: 'Product is invalid', resource: 'addition', field: 'product' }]),
      ...(input.billCustomer
        ? []
        : [
            {
              code: 'Required',
              message: 'Bill Customer is required',
              resource: 'addition',
              field: 'billCustomer',
            },
          ]),
    ];
    if (errors.length > 0 || !item)
      return cwError(res, 400, 'InvalidObject', 'addition object is invalid', errors);
    const quantity =
      typeof input.quantity === 'string' ? Number(input.quantity) : Number(input.quantity ?? 0);
    const created = this.addAddition(agreement, item, quantity);
    created.billCustomer = input.billCustomer;
    this.additionsCreated.push(created.id);
    if (fault?.kind === 'drop-after-apply') {
      res.socket?.destroy();
      return;
    }
    this.json(res, 201, created);
  }
}
