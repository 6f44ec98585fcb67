/**
 * The rate algorithm behind every limit: a token bucket in its GCRA form ("generic cell rate
 * algorithm"). A bucket is one number, its theoretical arrival time (TAT): the moment the bucket
 * would be full again. That makes it cheap to store and easy to update atomically in Redis, where
 * src/http/guard/redis-limit-store.ts runs the same arithmetic as a Lua script.
 *
 * Times are whole microseconds so that the per-event interval stays exact for common limits
 * (100 a second = 10 000 µs) and sums stay exact integers in a double (and in Lua).
 */

/** `limit` events per `periodMs`, of which up to `limit` may arrive at once. */
export interface Rate {
  limit: number;
  periodMs: number;
}

/** One event applied to a bucket: admitted or not, and the bucket's TAT afterwards. */
export interface BucketStep {
  allowed: boolean;
  tatUs: number;
}

/** How the caller sees a bucket after one event. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Events still admitted right now. */
  remaining: number;
  /** Until the bucket is full again, to the nearest millisecond (it only informs). */
  resetMs: number;
  /** Until the next event would be admitted, rounded up so waiting that long is enough; 0 when admitted. */
  retryAfterMs: number;
}

/** Microseconds for a caller's millisecond time. */
export const toUs = (ms: number): number => Math.floor(ms * 1000);

/**
 * Microseconds one event occupies. Rounded up so a bucket never admits more than `limit` per
 * period; for limits that do not divide a period evenly the refill is a hair slower.
 */
export const intervalUs = (rate: Rate): number => Math.ceil((rate.periodMs * 1000) / rate.limit);

/**
 * Applies `weight` events (one by default) at `nowMs` to a bucket last left at `tatUs` (null: never
 * used or expired): all are admitted, or none.
 */
export function consume(tatUs: number | null, rate: Rate, nowMs: number, weight = 1): BucketStep {
  const nowUs = toUs(nowMs);
  const interval = intervalUs(rate);
  // A bucket that has been idle is full, not "in credit": the past does not buy a larger burst.
  const from = Math.max(tatUs ?? nowUs, nowUs);
  const next = from + interval * weight;
  if (next - nowUs > interval * rate.limit) return { allowed: false, tatUs: from };
  return { allowed: true, tatUs: next };
}

/** Reads a step as counts and durations for headers and errors. */
export function describe(step: BucketStep, rate: Rate, nowMs: number): RateDecision {
  const interval = intervalUs(rate);
  const capacityUs = interval * rate.limit;
  const aheadUs = Math.max(0, step.tatUs - toUs(nowMs));
  return {
    allowed: step.allowed,
    limit: rate.limit,
    remaining: Math.max(0, Math.floor((capacityUs - aheadUs) / interval)),
    resetMs: Math.round(aheadUs / 1000),
    retryAfterMs: step.allowed ? 0 : Math.ceil((aheadUs + interval - capacityUs) / 1000),
  };
}
