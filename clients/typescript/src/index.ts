/**
 * A typed client for Tally's vendor API (Synthesize-compatible). The request and reply types are
 * generated from the server's OpenAPI document (src/schema.ts, `npm run generate`); this file adds
 * the transport: the GRADIENT-TOKEN, retries that honour Retry-After, and idempotency keys that make
 * a retried count safe.
 */
import type { operations } from './schema.js';

export type { operations, paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON reply of an operation for one status. */
export type Reply<Op extends keyof operations, Status extends keyof operations[Op]['responses']> = Json<
  operations[Op]['responses'][Status]
>;
/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: infer R }
  ? Json<NonNullable<R>>
  : never;

export type Vendor = Reply<'getVendor', 200>['data'];
export type Integration = Reply<'getIntegration', 200>;
export type Billing = Integration['billing'];
export type Item = Reply<'updateAccount', 200>;
export type CountResult = Reply<'setUnitCount', 201>['data'];
export type NewItem = Extract<Body<'createAccounts'>, { id: unknown }>;
export type ItemPatch = Body<'updateAccount'>;
export type ServiceFields = Body<'createService'>;
export type Alert = Body<'createAlert'>;

/** A reply that was not a success, in the API's error shape `{ statusCode, message, error? }`. */
export class TallyApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
    /** Seconds the server asked to wait (429, and 403 blocks that end). */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
    this.name = 'TallyApiError';
  }
}

export interface ClientOptions {
  /** The server, e.g. https://tally.example.com (a trailing /api is accepted too). */
  baseUrl: string;
  vendorKey: string;
  /** The integration's partner key; leave it out for vendor-scoped calls only. */
  partnerKey?: string;
  /** Attempts after the first one for a 429, a 5xx or a network error; default 4. */
  retries?: number;
  /** Wait before a retry without Retry-After, doubled each time; default 250 ms. */
  backoffMs?: number;
  /** Longest wait between attempts, Retry-After included; default 30 s. */
  maxDelayMs?: number;
  /** Replaceable for tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Makes the Idempotency-Key of a count when the caller gives none; default a random UUID. */
  newIdempotencyKey?: () => string;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** A repeat cannot do harm: GET, PATCH, or a POST with an Idempotency-Key. */
  safeToRepeat: boolean;
}

const enc = encodeURIComponent;

/** Standard base64 of "<vendorKey>:<partnerKey>", as the vendor API expects in GRADIENT-TOKEN. */
export const gradientToken = (vendorKey: string, partnerKey = ''): string =>
  Buffer.from(`${vendorKey}:${partnerKey}`, 'utf8').toString('base64');

export class TallyVendorClient {
  private readonly root: string;
  private readonly token: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly newKey: () => string;

  constructor(options: ClientOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, '').replace(/\/api$/, '')}/api/vendor-api`;
    this.token = gradientToken(options.vendorKey, options.partnerKey);
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.newKey = options.newIdempotencyKey ?? (() => crypto.randomUUID());
  }

  // Routes 1–2: the vendor.
  getVendor(): Promise<Reply<'getVendor', 200>> {
    return this.send({ method: 'GET', path: '', safeToRepeat: true });
  }
  updateVendor(patch: Body<'updateVendor'>): Promise<Reply<'updateVendor', 200>> {
    return this.send({ method: 'PATCH', path: '', body: patch, safeToRepeat: true });
  }

  // Routes 3–5: the service catalogue.
  /** Answers the whole vendor with every SKU (`skus`), the new one among them. */
  createService(fields: ServiceFields): Promise<Reply<'createService', 201>> {
    return this.send({ method: 'POST', path: '/service', body: fields, safeToRepeat: false });
  }
  getService(serviceId: string): Promise<Reply<'getService', 200>> {
    return this.send({ method: 'GET', path: `/service/${enc(serviceId)}`, safeToRepeat: true });
  }
  updateService(serviceId: string, patch: Body<'updateService'>): Promise<Reply<'updateService', 200>> {
    return this.send({
      method: 'PATCH',
      path: `/service/${enc(serviceId)}`,
      body: patch,
      safeToRepeat: true,
    });
  }

  // Route 6: counts.
  /**
   * Sets the unit count of one account for one service (last write wins). Every call carries an
   * Idempotency-Key (yours, or a new one), so a retry after a lost reply never applies it twice.
   */
  setUnitCount(
    serviceId: string,
    count: { accountId: string | number; unitCount: number },
    options: { noBuild?: boolean; idempotencyKey?: string } = {},
  ): Promise<Reply<'setUnitCount', 201>> {
    return this.send({
      method: 'POST',
      path: `/service/${enc(serviceId)}/count`,
      query: options.noBuild ? { no_build: 'true' } : undefined,
      body: count,
      headers: { 'Idempotency-Key': options.idempotencyKey ?? this.newKey() },
      safeToRepeat: true,
    });
  }
  /** Builds the billing view now and answers once the build has landed. */
  flushBilling(): Promise<Reply<'flushBilling', 200>> {
    // Building twice is harmless: the second build finds nothing new.
    return this.send({ method: 'POST', path: '/billing/flush', safeToRepeat: true });
  }

  // Routes 7–9: the integration.
  getIntegration(): Promise<Integration> {
    return this.send({ method: 'GET', path: '/organization', safeToRepeat: true });
  }
  updateIntegrationStatus(
    status: 'inactive' | 'pending' | 'active' | 'disabled' | 'error',
  ): Promise<Reply<'updateIntegrationStatus', 200>> {
    return this.send({ method: 'PATCH', path: `/organization/status/${status}`, safeToRepeat: true });
  }
  /** @deprecated The partner's PSA companies, 100 a page (the route is deprecated in the original too). */
  listClients(query: { previousId?: string; search?: string } = {}): Promise<Reply<'listClients', 200>> {
    return this.send({ method: 'GET', path: '/organization/clients', query, safeToRepeat: true });
  }

  // Routes 10–17: accounts and organization services.
  listAccounts(query: { accountIds?: string[]; returnUnmapped?: boolean } = {}): Promise<Item[]> {
    return this.send({
      method: 'GET',
      path: '/organization/accounts',
      query: listQuery('accountIds', query),
      safeToRepeat: true,
    });
  }
  /** Idempotent on the server: an existing id is updated, so re-sending every account is safe. */
  createAccounts(items: NewItem[]): Promise<Item[]> {
    return this.send({ method: 'POST', path: '/organization/accounts', body: items, safeToRepeat: true });
  }
  updateAccount(accountId: string, patch: ItemPatch): Promise<Item> {
    return this.send({
      method: 'PATCH',
      path: `/organization/accounts/${enc(accountId)}`,
      body: patch,
      safeToRepeat: true,
    });
  }
  updateAccounts(updates: (ItemPatch & { id: string | number })[]): Promise<Item[]> {
    return this.send({ method: 'PATCH', path: '/organization/accounts', body: updates, safeToRepeat: true });
  }
  listOrganizationServices(query: { serviceIds?: string[]; returnUnmapped?: boolean } = {}): Promise<Item[]> {
    return this.send({
      method: 'GET',
      path: '/organization/services',
      query: listQuery('serviceIds', query),
      safeToRepeat: true,
    });
  }
  /** An id that exists already fails the whole request with 409; nothing is written. */
  createOrganizationServices(items: NewItem[]): Promise<Item[]> {
    return this.send({ method: 'POST', path: '/organization/services', body: items, safeToRepeat: false });
  }
  updateOrganizationService(serviceId: string, patch: ItemPatch): Promise<Item> {
    return this.send({
      method: 'PATCH',
      path: `/organization/services/${enc(serviceId)}`,
      body: patch,
      safeToRepeat: true,
    });
  }
  updateOrganizationServices(updates: (ItemPatch & { id: string | number })[]): Promise<Item[]> {
    return this.send({ method: 'PATCH', path: '/organization/services', body: updates, safeToRepeat: true });
  }

  // Routes 18–19: alerts.
  createAlert(accountId: string, alert: Alert): Promise<Reply<'createAlert', 201>> {
    return this.send({
      method: 'POST',
      path: `/alerting/${enc(accountId)}`,
      body: alert,
      safeToRepeat: false,
    });
  }
  getAlertDebug(messageId: string): Promise<Reply<'getAlertDebug', 200>> {
    return this.send({ method: 'GET', path: `/alerting/debug/${enc(messageId)}`, safeToRepeat: true });
  }

  /** One call with its retries: 429 waits Retry-After; 5xx and network errors back off, if safe. */
  private async send<T>(call: Call): Promise<T> {
    const url = this.root + call.path + queryString(call.query);
    const headers: Record<string, string> = {
      'GRADIENT-TOKEN': this.token,
      accept: 'application/json',
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.min(this.backoffMs * 2 ** attempt, this.maxDelayMs);
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method: call.method, headers, body });
      } catch (error) {
        // The request may have been applied before the connection dropped: repeat only what is safe.
        if (!call.safeToRepeat || attempt >= this.retries) throw error;
        await this.sleep(backoff);
        continue;
      }
      const text = await response.text();
      const parsed: unknown = text === '' ? undefined : parseJson(text);
      if (response.ok) return parsed as T;
      const retryAfterSeconds = retryAfterOf(response.headers.get('retry-after'));
      // A 429 was refused before anything was applied, so it is always safe to send again.
      const retryable = response.status === 429 || (response.status >= 500 && call.safeToRepeat);
      if (retryable && attempt < this.retries) {
        await this.sleep(
          retryAfterSeconds === null ? backoff : Math.min(retryAfterSeconds * 1000, this.maxDelayMs),
        );
        continue;
      }
      const message =
        parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string'
          ? parsed.message
          : `${response.status} ${response.statusText}`;
      throw new TallyApiError(response.status, message, parsed, retryAfterSeconds);
    }
  }
}

const listQuery = (name: string, query: { returnUnmapped?: boolean } & Record<string, unknown>) => ({
  [name]: Array.isArray(query[name]) ? (query[name] as string[]).join(',') : undefined,
  returnUnmapped: query.returnUnmapped === undefined ? undefined : String(query.returnUnmapped),
});

function queryString(query: Record<string, string | string[] | undefined> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, one);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Retry-After in seconds; an HTTP date is turned into seconds from now. */
function retryAfterOf(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const atMs = Date.parse(value);
  return Number.isNaN(atMs) ? null : Math.max(0, Math.ceil((atMs - Date.now()) / 1000));
}
