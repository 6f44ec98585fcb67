import { consume, toUs, type BucketStep, type Rate } from './gcra.js';
import type { LimitStore } from './limit-store.js';

/** How often, in clock time, spent buckets and blocks are dropped so memory follows live traffic. */
const SWEEP_EVERY_MS = 60_000;

/** Buckets and blocks in this process only: the default for a single server. */
export class MemoryLimitStore implements LimitStore {
  private readonly tatsUs = new Map<string, number>();
  private readonly blocksUntilMs = new Map<string, number>();
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  async consume(key: string, rate: Rate, nowMs: number, weight = 1): Promise<BucketStep> {
    this.sweep(nowMs);
    const step = consume(this.tatsUs.get(key) ?? null, rate, nowMs, weight);
    if (step.allowed) this.tatsUs.set(key, step.tatUs);
    return step;
  }

  async block(key: string, untilMs: number, nowMs: number): Promise<void> {
    this.sweep(nowMs);
    this.blocksUntilMs.set(key, untilMs);
  }

  async blockedUntil(key: string, nowMs: number): Promise<number | null> {
    const untilMs = this.blocksUntilMs.get(key);
    return untilMs !== undefined && untilMs > nowMs ? untilMs : null;
  }

  /** The number of keys held, so tests can see the sweep work. */
  get size(): number {
    return this.tatsUs.size + this.blocksUntilMs.size;
  }

  async close(): Promise<void> {
    this.tatsUs.clear();
    this.blocksUntilMs.clear();
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < SWEEP_EVERY_MS) return;
    this.lastSweepMs = nowMs;
    const nowUs = toUs(nowMs);
    // A bucket whose TAT has passed is full, exactly as if it had never been used.
    for (const [key, tatUs] of this.tatsUs) if (tatUs <= nowUs) this.tatsUs.delete(key);
    for (const [key, untilMs] of this.blocksUntilMs) if (untilMs <= nowMs) this.blocksUntilMs.delete(key);
  }
}
