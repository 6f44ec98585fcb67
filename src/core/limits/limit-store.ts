import type { BucketStep, Rate } from './gcra.js';

/**
 * Where buckets and blocks live: process memory for one server, Redis for a cluster. Every method
 * takes the caller's clock time so that all backends follow the injected clock, and each call is
 * atomic on its own key.
 */
export interface LimitStore {
  /** Applies one event to the bucket at `key` (see gcra.ts `consume`). */
  consume(key: string, rate: Rate, nowMs: number, weight?: number): Promise<BucketStep>;
  /** Blocks `key` until `untilMs`. */
  block(key: string, untilMs: number, nowMs: number): Promise<void>;
  /** The end of a block still running at `nowMs`, or null. */
  blockedUntil(key: string, nowMs: number): Promise<number | null>;
  close(): Promise<void>;
}
