import { PsaError } from '../../core/psa-connector/port.js';

/** One try of a request: the PSA's reply, or why it failed and how long the PSA asked to wait. */
export type Attempt = Response | { error: PsaError; retryAfterMs: number | null };

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After honoured; a longer one fails the request as retryable later. */
  maxRetryAfterMs?: number;
  /** Test seam for waiting between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

export const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds of a Retry-After header in ms; `fallbackMs` when it is missing or not a number. */
export function retryAfterMs(header: string | null, fallbackMs = 1000): number {
  const seconds = Number(header);
  return header !== null && header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0
    ? seconds * 1000
    : fallbackMs;
}

/**
 * Runs `attempt` until it answers or the policy gives up. A refusal with a wait (429) is waited out
 * whatever the request; 5xx, timeouts and dropped connections back off exponentially (capped, with
 * jitter) but only when the request is safe to repeat: an unanswered create may have happened, and
 * the caller must look before sending it again.
 */
export async function withRetries(
  policy: RetryPolicy,
  safeToRepeat: boolean,
  attempt: () => Promise<Attempt>,
): Promise<Response> {
  const maxAttempts = policy.maxAttempts ?? 6;
  const sleep = policy.sleep ?? sleepReal;
  let lastError: PsaError | null = null;
  for (let n = 1; n <= maxAttempts; n++) {
    const outcome = await attempt();
    if (outcome instanceof Response) return outcome;
    lastError = outcome.error;
    if (outcome.error.permanent || n === maxAttempts) break;
    if (outcome.retryAfterMs !== null) {
      if (outcome.retryAfterMs > (policy.maxRetryAfterMs ?? 120_000)) break;
      await sleep(outcome.retryAfterMs);
      continue;
    }
    if (!safeToRepeat) break;
    const base = policy.backoffBaseMs ?? 500;
    const delay = Math.min(policy.backoffCapMs ?? 30_000, base * 2 ** (n - 1));
    // Jitter keeps several connections from retrying in step.
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }
  throw lastError ?? new PsaError('The PSA request failed', false);
}

/**
 * One fetch with a time limit and no redirects (credentials go to the PSA's own address only); a
 * timeout or a dropped connection comes back as a retryable failure in the PSA's name.
 */
export async function fetchOnce(
  psaName: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<Attempt> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed';
    return { error: new PsaError(`${psaName} did not answer (${reason})`, false, {}), retryAfterMs: null };
  }
}

/** A body read as JSON, or null when it is not JSON (PSAs answer errors in HTML or plain text too). */
export async function jsonOrNull<T>(response: Response): Promise<T | null> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * A PSA's refusal as an attempt: 429 waits Retry-After, 5xx (and timeouts) may be tried again, any
 * other status is final. `say` words it in the PSA's terms, given a fallback for when the PSA gave
 * no reason of its own.
 */
export function refused(
  psaName: string,
  response: Response,
  say: (fallback: string) => string,
  details: { status?: number; code?: string; errors?: unknown[] },
  unauthorized = 'the credentials were refused',
): Attempt {
  if (response.status === 429) {
    return {
      error: new PsaError(`${psaName} is limiting requests (429)`, false, details),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  }
  const fallback =
    response.status === 401
      ? unauthorized
      : response.status >= 500
        ? 'server error'
        : response.statusText || 'the request was refused';
  return { error: new PsaError(say(fallback), response.status < 500, details), retryAfterMs: null };
}
