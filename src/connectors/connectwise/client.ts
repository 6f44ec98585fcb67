import { PsaError } from '../../core/psa-connector/port.js';
import { Gate } from '../http/gate.js';
import {
  type Attempt,
  type RetryPolicy,
  fetchOnce,
  jsonOrNull,
  refused,
  withRetries,
} from '../http/retries.js';

/** How the client reaches one ConnectWise PSA. */
export interface CwClientOptions extends RetryPolicy {
  /** e.g. https://api-na.myconnectwise.net (no path). */
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  /** Requests in flight at once for this connection. */
  maxInFlight?: number;
  /** One request's time limit; a request past it is retried like a 5xx. */
  timeoutMs?: number;
}

/** What ConnectWise answers on an error: `{ code, message, errors: [{ code, message, field }] }`. */
interface CwErrorBody {
  code?: string;
  message?: string;
  errors?: { code?: string; message?: string; field?: string }[];
}

/** The largest page ConnectWise serves. */
export const CW_MAX_PAGE_SIZE = 1000;

/** The `rel="next"` address of a Link header, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (match) return match[1] as string;
  }
  return null;
}

/** ConnectWise's own words for an error: its message and each entry of errors[]. */
function describe(status: number, body: CwErrorBody | null, fallback: string): string {
  const base = body?.message ?? fallback;
  const details = (body?.errors ?? [])
    .map((e) => [e.field, e.message].filter(Boolean).join(': '))
    .filter((s) => s !== '');
  return `ConnectWise answered ${status}: ${base}${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
}

/**
 * A small typed client for ConnectWise PSA's REST API 3.0: codebase discovery, Basic + clientId
 * authentication, Link paging, and retries. 429 waits Retry-After; 5xx, timeouts and dropped
 * connections back off exponentially (capped) — but only for requests that are safe to repeat
 * (reads and absolute PATCHes); a POST is retried only when it was refused (429), because an
 * unanswered create may have happened, and the caller must look before sending it again.
 */
export class ConnectWiseClient {
  private readonly gate: Gate;
  private apiBase: string | null = null;
  /** The codebase in use, once known. */
  codebase: string | null = null;
  /** Requests sent, retries included (for the benchmark and tests). */
  requestCount = 0;

  constructor(private readonly options: CwClientOptions) {
    this.gate = new Gate(options.maxInFlight ?? 4);
  }

  private get authorization(): string {
    const { companyId, publicKey, privateKey } = this.options;
    return `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
  }

  /** Finds the codebase (e.g. "v2026_1/") the company runs on, and the company's display name. */
  async discover(): Promise<{ codebase: string; companyName: string }> {
    const url = `${this.options.site}/login/companyinfo/${encodeURIComponent(this.options.companyId)}`;
    const response = await this.send('GET', url, undefined, true, false);
    const info = (await response.json().catch(() => null)) as {
      Codebase?: string;
      CompanyName?: string;
    } | null;
    if (!info?.Codebase) {
      throw new PsaError(
        `ConnectWise knows no company "${this.options.companyId}" at ${this.options.site}`,
        true,
        {
          status: response.status,
        },
      );
    }
    this.apiBase = `${this.options.site}/${info.Codebase}apis/3.0`;
    this.codebase = info.Codebase;
    return { codebase: info.Codebase, companyName: info.CompanyName ?? this.options.companyId };
  }

  /** Uses a codebase found earlier instead of asking again. */
  useCodebase(codebase: string): void {
    this.codebase = codebase;
    this.apiBase = `${this.options.site}/${codebase}apis/3.0`;
  }

  private async base(): Promise<string> {
    if (this.apiBase === null) await this.discover();
    return this.apiBase as string;
  }

  async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const url = new URL((await this.base()) + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const response = await this.send('GET', url.toString(), undefined, true);
    return (await response.json()) as T;
  }

  /** null when ConnectWise answers 404. */
  async find<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof PsaError && error.details.status === 404) return null;
      throw error;
    }
  }

  async patch<T>(path: string, operations: unknown[]): Promise<T> {
    // An absolute replace is safe to repeat, so it is retried like a read.
    const response = await this.send('PATCH', (await this.base()) + path, operations, true);
    return (await response.json()) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.send('POST', (await this.base()) + path, body, false);
    return (await response.json()) as T;
  }

  /**
   * Every row of a list, a page at a time, following the Link header's next address until there is
   * none: a short page alone never ends the list, nor does a full one continue it.
   */
  async *pages<T>(path: string, query: Record<string, string> = {}): AsyncGenerator<T[]> {
    const base = await this.base();
    const first = new URL(base + path);
    for (const [k, v] of Object.entries(query)) first.searchParams.set(k, v);
    first.searchParams.set('pageSize', String(CW_MAX_PAGE_SIZE));
    first.searchParams.set('page', '1');
    let next: string | null = first.toString();
    while (next !== null) {
      const response = await this.send('GET', next, undefined, true);
      const rows = (await response.json()) as T[];
      if (rows.length > 0) yield rows;
      next = nextLink(response.headers.get('link'));
      // Credentials go to the PSA's own address only, whatever a Link header says.
      if (next !== null && new URL(next).origin !== first.origin) {
        throw new PsaError(
          `ConnectWise sent a next-page address on another host: ${new URL(next).origin}`,
          true,
        );
      }
    }
  }

  private send(
    method: string,
    url: string,
    body: unknown,
    safeToRepeat: boolean,
    authenticate = true,
  ): Promise<Response> {
    return withRetries(this.options, safeToRepeat, () =>
      this.gate.run(() => this.attempt(method, url, body, authenticate)),
    );
  }

  private async attempt(method: string, url: string, body: unknown, authenticate: boolean): Promise<Attempt> {
    this.requestCount++;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticate) {
      headers.authorization = this.authorization;
      headers.clientId = this.options.clientId;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchOnce(
      'ConnectWise',
      url,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      this.options.timeoutMs ?? 30_000,
    );
    if (!(response instanceof Response)) return response;
    if (response.ok) return response;
    const parsed = await jsonOrNull<CwErrorBody>(response);
    const details = { status: response.status, code: parsed?.code, errors: parsed?.errors };
    return refused(
      'ConnectWise',
      response,
      (fallback) => describe(response.status, parsed, fallback),
      details,
    );
  }
}
