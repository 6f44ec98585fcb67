import { PsaError, type PsaBudgetReport } from '../../core/psa-connector/port.js';
import { Gate } from '../http/gate.js';
import { type Attempt, sleepReal } from '../http/retries.js';

const HOUR_MS = 3_600_000;

/** Past this share of its hourly share used, a connection reports itself slowed (it is nearly spent). */
const NEARLY_SPENT = 0.9;
/** Autotask adds latency once half of the database's hourly limit is used (psa-apis.md §2). */
const PSA_WIDE_SLOW = 0.5;

export interface BudgetTuning {
  /** A response slower than this means Autotask is adding latency (it does from half its limit on). */
  slowResponseMs: number;
  /** How long one slow response keeps the connection slowed. */
  slowHoldMs: number;
  /** How often Autotask's own count for the database is probed (thresholdInformation). */
  probeEveryMs: number;
}

export const DEFAULT_BUDGET_TUNING: BudgetTuning = {
  slowResponseMs: 2_000,
  slowHoldMs: 5 * 60_000,
  probeEveryMs: 10 * 60_000,
};

export interface BudgetOptions extends Partial<BudgetTuning> {
  requestsPerHour: number;
  maxInFlight: number;
  /** The clock the rolling hour is measured on (a test moves it by hand). */
  nowMs?: () => number;
  /** How pacing waits between requests. */
  sleep?: (ms: number) => Promise<void>;
  /** How a response's latency is measured (real time, whatever the clock). */
  elapsedMs?: () => number;
}

/**
 * One Autotask connection's share of the database's request budget, kept by every connector the
 * process builds for it: at most `requestsPerHour` requests in any rolling hour and `maxInFlight` at
 * once. When Autotask adds latency (a slow response, or its own count past half its limit) requests
 * are paced evenly over the hour; when the share or Autotask's limit is used up, requests are refused
 * with a retryable error that says when they resume, and they resume by themselves then (the refusal
 * is computed from the hour's requests, nothing has to reset it).
 */
export class AutotaskBudget {
  private gate: Gate;
  private requestsPerHour: number;
  private maxInFlight: number;
  private readonly tuning: BudgetTuning;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly elapsedMs: () => number;
  /** When each request of the last hour started, oldest first. */
  private readonly sentAtMs: number[] = [];
  /** Autotask refused for its hourly limit: nothing is sent before this. */
  private spentUntilMs = 0;
  private slowedUntilMs = 0;
  /** Paced requests start no earlier than this. */
  private nextStartMs = 0;
  private psaWide: { used: number; limit: number; atMs: number } | undefined;
  private probedAtMs: number | null = null;

  constructor(options: BudgetOptions) {
    this.requestsPerHour = options.requestsPerHour;
    this.maxInFlight = options.maxInFlight;
    this.gate = new Gate(options.maxInFlight);
    this.tuning = {
      slowResponseMs: options.slowResponseMs ?? DEFAULT_BUDGET_TUNING.slowResponseMs,
      slowHoldMs: options.slowHoldMs ?? DEFAULT_BUDGET_TUNING.slowHoldMs,
      probeEveryMs: options.probeEveryMs ?? DEFAULT_BUDGET_TUNING.probeEveryMs,
    };
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? sleepReal;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
  }

  /** New settings of the same connection (a reconnect); requests already waiting keep the old gate. */
  configure(requestsPerHour: number, maxInFlight: number): void {
    this.requestsPerHour = requestsPerHour;
    if (maxInFlight !== this.maxInFlight) {
      this.maxInFlight = maxInFlight;
      this.gate = new Gate(maxInFlight);
    }
  }

  /**
   * Sends one request inside the budget: waits for a place, answers a refusal (with when to try
   * again) instead of sending while the budget is spent, paces while Autotask is slowing down, and
   * counts the request in the hour the moment it is sent.
   */
  run(send: () => Promise<Attempt>): Promise<Attempt> {
    return this.gate.run(async () => {
      const refusal = this.refusal(this.nowMs());
      if (refusal !== null) return refusal;
      if (this.slowed(this.nowMs())) {
        const now = this.nowMs();
        const startAt = Math.max(now, this.nextStartMs);
        this.nextStartMs = startAt + HOUR_MS / this.requestsPerHour;
        if (startAt > now) await this.sleep(startAt - now);
      }
      this.sentAtMs.push(this.nowMs());
      const started = this.elapsedMs();
      const outcome = await send();
      if (this.elapsedMs() - started > this.tuning.slowResponseMs) {
        this.slowedUntilMs = this.nowMs() + this.tuning.slowHoldMs;
      }
      return outcome;
    });
  }

  /**
   * Autotask answered that the database's hourly limit is reached: nothing more is sent until the
   * oldest request this connection counted leaves the hour.
   */
  noteHourlyLimit(): { resumesAtMs: number; waitMs: number } {
    const now = this.nowMs();
    this.prune(now);
    this.spentUntilMs = Math.max(this.spentUntilMs, (this.sentAtMs[0] ?? now) + HOUR_MS);
    return { resumesAtMs: this.spentUntilMs, waitMs: this.spentUntilMs - now };
  }

  /** Autotask's own count for the whole database (all integrations), from thresholdInformation. */
  notePsaWide(used: number, limit: number): void {
    this.psaWide = { used, limit, atMs: this.nowMs() };
  }

  /** A probe that failed is tried again before the next request instead of an interval later. */
  probeFailed(): void {
    this.probedAtMs = null;
  }

  /** True (once per interval) when Autotask's own count should be probed again. */
  claimProbe(): boolean {
    const now = this.nowMs();
    if (this.probedAtMs !== null && now - this.probedAtMs < this.tuning.probeEveryMs) return false;
    this.probedAtMs = now;
    return true;
  }

  report(): PsaBudgetReport {
    const now = this.nowMs();
    const resumesAtMs = this.resumesAtMs(now);
    const used = this.sentAtMs.length;
    const state =
      resumesAtMs !== null
        ? 'spent'
        : this.slowed(now) || used >= this.requestsPerHour * NEARLY_SPENT
          ? 'slowed'
          : 'ok';
    return {
      usedLastHour: used,
      hourlyShare: this.requestsPerHour,
      maxInFlight: this.maxInFlight,
      state,
      resumesAtMs,
      ...(this.psaWide !== undefined && { psaWide: { ...this.psaWide } }),
    };
  }

  private prune(now: number): void {
    let gone = 0;
    while (gone < this.sentAtMs.length && (this.sentAtMs[gone] as number) <= now - HOUR_MS) gone++;
    if (gone > 0) this.sentAtMs.splice(0, gone);
  }

  /** When requests may be sent again; null while they may be sent now. */
  private resumesAtMs(now: number): number | null {
    this.prune(now);
    let at = this.spentUntilMs > now ? this.spentUntilMs : null;
    const excess = this.sentAtMs.length - this.requestsPerHour;
    if (excess >= 0) {
      // Below the share again once this request leaves the hour.
      const own = (this.sentAtMs[excess] as number) + HOUR_MS;
      at = Math.max(at ?? own, own);
    }
    return at;
  }

  private slowed(now: number): boolean {
    if (this.slowedUntilMs > now) return true;
    const wide = this.psaWide;
    // A probe counts until two probe intervals pass without a newer one.
    return (
      wide !== undefined &&
      now - wide.atMs < 2 * this.tuning.probeEveryMs &&
      wide.used > wide.limit * PSA_WIDE_SLOW
    );
  }

  private refusal(now: number): Attempt | null {
    const resumesAtMs = this.resumesAtMs(now);
    if (resumesAtMs === null) return null;
    const why =
      this.spentUntilMs > now
        ? 'Autotask refused for its hourly limit'
        : `${this.sentAtMs.length} of ${this.requestsPerHour} requests in the last hour`;
    return {
      error: new PsaError(
        `Autotask's request budget is spent (${why}); requests resume at ${new Date(resumesAtMs).toISOString()}`,
        false,
        { code: 'budget-spent', retryAtMs: resumesAtMs },
      ),
      retryAfterMs: resumesAtMs - now,
    };
  }
}
