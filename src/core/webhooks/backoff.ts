export interface RetryPolicy {
  /** Delay before the first retry, before jitter (which takes up to half of it off). */
  baseMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
  /** How long after it was queued a delivery is still retried. */
  retryForMs: number;
}

/**
 * Exponential backoff with jitter: the delay doubles per failure up to the cap, and a random half
 * of it is taken off, so endpoints recovering from an outage are not hit by every retry at once.
 * A Retry-After the receiver sent is honoured up to the cap.
 */
export function retryDelayMs(
  failures: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs: number | null = null,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxDelayMs));
}
