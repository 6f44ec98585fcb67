import { PsaError } from '../../core/psa-connector/port.js';
import { Gate } from '../http/gate.js';
import { type Attempt, fetchOnce, jsonOrNull, refused, withRetries } from '../http/retries.js';
import { type HaloTokenOptions, HaloTokens } from './token.js';

/** How the client reaches one HaloPSA instance. */
export interface HaloClientOptions extends HaloTokenOptions {
  /** The resource server, e.g. https://acme.halopsa.com (the API is under /api). */
  site: string;
  /** Requests in flight at once for this connection (token requests included). */
  maxInFlight?: number;
}

/**
 * Rows asked for per page. Halo's lists answer 50 rows when not paged, silently, so every list is
 * paged explicitly.
 */
export const HALO_PAGE_SIZE = 100;

/** Halo's own words in an error body: a JSON string, or an object with a message of some name. */
function words(body: unknown, fallback: string): string {
  if (typeof body === 'string' && body.trim() !== '') return body;
  if (body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const key of ['message', 'Message', 'error_description', 'error', 'title']) {
      if (typeof b[key] === 'string' && b[key] !== '') return b[key];
    }
  }
  return fallback;
}

/**
 * A small typed client for HaloPSA's REST API: client-credentials tokens (see token.ts), explicit
 * paging, and retries. 429 waits Retry-After; 5xx, timeouts and dropped connections back off, but only
 * for requests safe to repeat; a 401 fetches a new token once and repeats the request (Halo refused it
 * before doing anything).
 */
export class HaloClient {
  private readonly gate: Gate;
  readonly tokens: HaloTokens;
  private readonly apiBase: string;
  /** API requests sent, retries included (token requests are counted by `tokens`). */
  apiRequestCount = 0;

  constructor(private readonly options: HaloClientOptions) {
    this.gate = new Gate(options.maxInFlight ?? 4);
    this.tokens = new HaloTokens(options, (fn) => this.gate.run(fn));
    this.apiBase = `${options.site.replace(/\/+$/, '')}/api`;
  }

  /** Every request sent, token requests included. */
  get requestCount(): number {
    return this.apiRequestCount + this.tokens.requestCount;
  }

  private url(path: string, query: Record<string, string>): string {
    const url = new URL(this.apiBase + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.toString();
  }

  async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const response = await this.send('GET', this.url(path, query), undefined, true);
    return (await response.json()) as T;
  }

  /** null when Halo answers 404. */
  async find<T>(path: string, query: Record<string, string> = {}): Promise<T | null> {
    try {
      return await this.get<T>(path, query);
    } catch (error) {
      if (error instanceof PsaError && error.details.status === 404) return null;
      throw error;
    }
  }

  /**
   * Halo's upsert: the body is an array, an element with an id updates, one without creates.
   * `safeToRepeat` says whether sending it twice does no harm (an absolute change does; a create not).
   */
  async post<T>(path: string, body: unknown[], safeToRepeat: boolean): Promise<T | null> {
    const response = await this.send('POST', this.url(path, {}), body, safeToRepeat);
    return jsonOrNull<T>(response);
  }

  /**
   * Every row of a list, a page at a time: `pageinate=true&page_no=N&page_size=M`, until the rows seen
   * reach `record_count` (the total) or a page comes back short. After the first page the total is
   * known, so the following pages are fetched `window` at a time (the gate still bounds them).
   */
  async *pages<T>(
    path: string,
    key: string,
    query: Record<string, string> = {},
    window = 4,
  ): AsyncGenerator<T[]> {
    const page = async (n: number): Promise<{ rows: T[]; total: number | null }> => {
      const body = await this.get<Record<string, unknown>>(path, {
        ...query,
        pageinate: 'true',
        page_no: String(n),
        page_size: String(HALO_PAGE_SIZE),
      });
      const rows = body?.[key];
      if (!Array.isArray(rows)) {
        throw new PsaError(`HaloPSA answered ${path} without a list of ${key}`, true);
      }
      const total = Number(body.record_count);
      return { rows: rows as T[], total: Number.isFinite(total) ? total : null };
    };
    const first = await page(1);
    if (first.rows.length > 0) yield first.rows;
    let seen = first.rows.length;
    if (first.rows.length < HALO_PAGE_SIZE) return;
    // Without a total, a full page says there may be more; one page at a time then.
    const lastPage = first.total === null ? Infinity : Math.ceil(first.total / HALO_PAGE_SIZE);
    const ahead = first.total === null ? 1 : Math.max(1, window);
    const queue: Promise<{ rows: T[]; total: number | null }>[] = [];
    let next = 2;
    const fill = () => {
      while (queue.length < ahead && next <= lastPage) {
        const p = page(next++);
        // Settled early so a failure of a prefetched page is reported by its own await, not as unhandled.
        p.catch(() => {});
        queue.push(p);
      }
    };
    fill();
    while (queue.length > 0) {
      const { rows } = await (queue.shift() as Promise<{ rows: T[]; total: number | null }>);
      if (rows.length > 0) yield rows;
      seen += rows.length;
      if (rows.length < HALO_PAGE_SIZE || (first.total !== null && seen >= first.total)) return;
      fill();
    }
  }

  private send(method: string, url: string, body: unknown, safeToRepeat: boolean): Promise<Response> {
    return withRetries(this.options, safeToRepeat, async () => {
      const token = await this.tokens.get();
      const outcome = await this.gate.run(() => this.attempt(method, url, body, token));
      if (!(outcome instanceof Response) && outcome.error.details.status === 401) {
        // The token expired early or was revoked: one fresh token, one more try.
        this.tokens.drop(token);
        const fresh = await this.tokens.get();
        return this.gate.run(() => this.attempt(method, url, body, fresh));
      }
      return outcome;
    });
  }

  private async attempt(method: string, url: string, body: unknown, token: string): Promise<Attempt> {
    this.apiRequestCount++;
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchOnce(
      'HaloPSA',
      url,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      this.options.timeoutMs ?? 30_000,
    );
    if (!(response instanceof Response) || response.ok) return response;
    const parsed = await jsonOrNull<unknown>(response);
    const details = { status: response.status };
    return refused(
      'HaloPSA',
      response,
      (fallback) => `HaloPSA answered ${response.status}: ${words(parsed, fallback)}`,
      details,
      'the token was refused',
    );
  }
}
