import { PsaError } from '../../core/psa-connector/port.js';
import {
  type Attempt,
  type RetryPolicy,
  fetchOnce,
  jsonOrNull,
  retryAfterMs,
  withRetries,
} from '../http/retries.js';
import type { HaloToken } from './types.js';

export interface HaloTokenOptions extends RetryPolicy {
  /** The authorisation server, e.g. https://acme.halopsa.com/auth. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  tenant?: string;
  timeoutMs?: number;
  /** The clock expiry is measured on. */
  nowMs?: () => number;
}

/** A token is renewed this long before Halo says it expires (at most; a fifth of short lifetimes). */
const RENEW_BEFORE_MS = 60_000;

/** Halo's words for a refused token request. */
function describe(status: number, body: HaloToken | string | null, tenant: string | undefined): PsaError {
  const details = { status, code: typeof body === 'object' ? body?.error : undefined };
  if (status === 429) return new PsaError('HaloPSA is limiting requests (429)', false, details);
  if (typeof body === 'object' && body?.error === 'invalid_client') {
    return new PsaError('HaloPSA refused the client id or secret', true, details);
  }
  const words =
    typeof body === 'string'
      ? body
      : (body?.error_description ??
        body?.error ??
        (status >= 500 ? 'server error' : 'the request was refused'));
  // Halo answers a tenant it does not know with a 500.
  const hint = status >= 500 && tenant !== undefined ? ` (is the tenant "${tenant}" right?)` : '';
  return new PsaError(
    `HaloPSA answered ${status} to the token request: ${words}${hint}`,
    status < 500,
    details,
  );
}

/**
 * OAuth2 client credentials for one Halo connection: the token is fetched once, kept until shortly
 * before it expires, and shared: requests that need one while it is being fetched wait for that same
 * fetch instead of asking again.
 */
export class HaloTokens {
  private current: { token: string; renewAtMs: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Token requests sent, retries included. */
  requestCount = 0;

  constructor(
    private readonly options: HaloTokenOptions,
    /** Runs each token request (the connection's gate). */
    private readonly run: (fn: () => Promise<Attempt>) => Promise<Attempt> = (fn) => fn(),
  ) {}

  private nowMs(): number {
    return this.options.nowMs?.() ?? Date.now();
  }

  /** A token good for a while yet. */
  get(): Promise<string> {
    if (this.current !== null && this.nowMs() < this.current.renewAtMs) {
      return Promise.resolve(this.current.token);
    }
    if (this.pending === null) {
      this.pending = this.fetch().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  /** Forgets `token` after Halo refused it; a newer one already fetched is kept. */
  drop(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async fetch(): Promise<string> {
    const { authUrl, clientId, clientSecret, tenant } = this.options;
    const url = new URL(`${authUrl.replace(/\/+$/, '')}/token`);
    if (tenant !== undefined) url.searchParams.set('tenant', tenant);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'all',
    });
    const askedAtMs = this.nowMs();
    // Asking for a token again is harmless, so it is retried like a read.
    const response = await withRetries(this.options, true, () =>
      this.run(async () => {
        this.requestCount++;
        const reply = await fetchOnce(
          'HaloPSA',
          url.toString(),
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
          },
          this.options.timeoutMs ?? 30_000,
        );
        if (!(reply instanceof Response) || reply.ok) return reply;
        const body = await jsonOrNull<HaloToken | string>(reply);
        return {
          error: describe(reply.status, body, tenant),
          retryAfterMs: reply.status === 429 ? retryAfterMs(reply.headers.get('retry-after')) : null,
        };
      }),
    );
    const body = await jsonOrNull<HaloToken>(response);
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new PsaError('HaloPSA answered the token request without an access token', true, {
        status: response.status,
      });
    }
    const lifetimeMs = Math.max(0, Number(body.expires_in ?? 3600)) * 1000;
    this.current = {
      token: body.access_token,
      renewAtMs: askedAtMs + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 5),
    };
    return body.access_token;
  }
}
