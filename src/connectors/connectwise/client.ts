import { PsaError } from '../../core/psa-connector/port.js';

/** How the client reaches one ConnectWise PSA. */
export interface CwClientOptions {
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
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After honoured; a longer one fails the request as retryable later. */
  maxRetryAfterMs?: number;
  /** Test seam for waiting between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

/** What ConnectWise answers on an error: `{ code, message, errors: [{ code, message, field }] }`. */
interface CwErrorBody {
  code?: string;
  message?: string;
  errors?: { code?: string; message?: string; field?: string }[];
}

/** The largest page ConnectWise serves. */
export const CW_MAX_PAGE_SIZE = 1000;

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small counting semaphore: at most `limit` holders at once, the rest wait in order. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

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
  private readonly sleep: (ms: number) => Promise<void>;
  /** The codebase in use, once known. */
  codebase: string | null = null;
  /** Requests sent, retries included (for the benchmark and tests). */
  requestCount = 0;

  constructor(private readonly options: CwClientOptions) {
    this.gate = new Gate(options.maxInFlight ?? 4);
    this.sleep = options.sleep ?? sleepReal;
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

  private async send(
    method: string,
    url: string,
    body: unknown,
    safeToRepeat: boolean,
    authenticate = true,
  ): Promise<Response> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    let lastError: PsaError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.gate.run(() => this.attempt(method, url, body, authenticate));
      if (outcome instanceof Response) return outcome;
      lastError = outcome.error;
      if (outcome.error.permanent || attempt === maxAttempts) break;
      if (outcome.retryAfterMs !== null) {
        if (outcome.retryAfterMs > (this.options.maxRetryAfterMs ?? 120_000)) break;
        await this.sleep(outcome.retryAfterMs);
        continue;
      }
      if (!safeToRepeat) break;
      const base = this.options.backoffBaseMs ?? 500;
      const cap = this.options.backoffCapMs ?? 30_000;
      const delay = Math.min(cap, base * 2 ** (attempt - 1));
      // Jitter keeps several connections from retrying in step.
      await this.sleep(delay / 2 + Math.random() * (delay / 2));
    }
    throw lastError ?? new PsaError('ConnectWise request failed', false);
  }

  private async attempt(
    method: string,
    url: string,
    body: unknown,
    authenticate: boolean,
  ): Promise<Response | { error: PsaError; retryAfterMs: number | null }> {
    this.requestCount++;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticate) {
      headers.authorization = this.authorization;
      headers.clientId = this.options.clientId;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        redirect: 'error',
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed';
      return {
        error: new PsaError(`ConnectWise did not answer (${reason})`, false, {}),
        retryAfterMs: null,
      };
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let parsed: CwErrorBody | null = null;
    try {
      parsed = JSON.parse(text) as CwErrorBody;
    } catch {
      parsed = null;
    }
    const details = { status: response.status, code: parsed?.code, errors: parsed?.errors };
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return {
        error: new PsaError('ConnectWise is limiting requests (429)', false, details),
        retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000,
      };
    }
    if (response.status >= 500) {
      return {
        error: new PsaError(describe(response.status, parsed, 'server error'), false, details),
        retryAfterMs: null,
      };
    }
    const fallback = response.status === 401 ? 'the credentials were refused' : response.statusText;
    return {
      error: new PsaError(describe(response.status, parsed, fallback), true, details),
      retryAfterMs: null,
    };
  }
}
