import type { Clock } from '../clock.js';
import { AnomalyError, type AnomalyRule, type RateLimitState, RateLimitedError } from '../errors.js';
import { describe, type BucketStep, type Rate } from './gcra.js';
import type { LimitStore } from './limit-store.js';

/** The knobs of §5 of the vendor API contract (named as in the configuration). */
export interface LimitSettings {
  rateLimitPerSecond: number;
  authFailureLimit: number;
  authFailureWindowMs: number;
  authBlockMs: number;
  rateLimitAbuseLimit: number;
  rateLimitAbuseWindowMs: number;
  rateLimitAbuseBlockMs: number;
}

/** The anomaly rules this module enforces, as they appear in logs and metrics. */
/** The rules this limiter applies itself. */
export type LimitRule = Extract<AnomalyRule, 'auth_failures' | 'rate_limit_abuse'>;

/** Told about every refusal, for metrics. */
export interface LimitObserver {
  rateLimited(): void;
  anomaly(rule: LimitRule): void;
}

/** The standard RateLimit-* values of an admitted (or refused) request. */
export type RateLimitStatus = RateLimitState;

/** Whole seconds for a header, never 0: "retry in 0 seconds" invites a tight loop. */
const headerSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** An event that emptied its bucket (or found it empty) crosses an anomaly threshold. */
const drained = (step: BucketStep, rate: Rate, nowMs: number): boolean =>
  !step.allowed || describe(step, rate, nowMs).remaining === 0;

const requestsPhrase = (n: number): string => `${n} request${n === 1 ? '' : 's'} a second`;

/**
 * Admission rules of the vendor API over a LimitStore: the per-token rate limit (429), an address
 * that keeps failing authentication (403 `auth_failures`) and a token that keeps sending after a
 * 429 (403 `rate_limit_abuse`). Time comes from the injected clock only.
 */
export class VendorLimits {
  private readonly requestRate: Rate;
  private readonly authFailureRate: Rate;
  private readonly abuseRate: Rate;

  constructor(
    private readonly store: LimitStore,
    private readonly clock: Clock,
    private readonly settings: LimitSettings,
    private readonly observer: LimitObserver,
  ) {
    this.requestRate = { limit: settings.rateLimitPerSecond, periodMs: 1000 };
    this.authFailureRate = { limit: settings.authFailureLimit, periodMs: settings.authFailureWindowMs };
    this.abuseRate = { limit: settings.rateLimitAbuseLimit, periodMs: settings.rateLimitAbuseWindowMs };
  }

  /** Refuses an address blocked for guessing credentials, whatever token it sends. */
  async checkAddress(address: string): Promise<void> {
    await this.refuseIfBlocked(
      `auth-block:${address}`,
      'auth_failures',
      'Too many failed authentications from this address; try again later',
    );
  }

  /** Counts a 401 from an address; the one that reaches the limit starts the block. */
  async recordAuthFailure(address: string): Promise<void> {
    const nowMs = this.clock.nowMs();
    const step = await this.store.consume(`auth:${address}`, this.authFailureRate, nowMs);
    if (drained(step, this.authFailureRate, nowMs)) {
      await this.store.block(`auth-block:${address}`, nowMs + this.settings.authBlockMs, nowMs);
    }
  }

  /**
   * Spends `weight` requests (one by default) of the token's budget, or refuses with 429 (or 403
   * while it is blocked).
   */
  async admit(tokenKey: string, weight = 1): Promise<RateLimitStatus> {
    await this.refuseIfBlocked(
      `abuse-block:${tokenKey}`,
      'rate_limit_abuse',
      'Requests kept coming after the rate limit was reached; try again later',
    );
    const nowMs = this.clock.nowMs();
    // A request weighing more than the whole budget is admitted from a full bucket, never refused forever.
    const events = Math.min(weight, this.requestRate.limit);
    const step = await this.store.consume(`rate:${tokenKey}`, this.requestRate, nowMs, events);
    const decision = describe(step, this.requestRate, nowMs);
    const status: RateLimitStatus = {
      limit: decision.limit,
      remaining: decision.remaining,
      resetSeconds: headerSeconds(decision.resetMs),
    };
    if (decision.allowed) return status;

    const abuse = await this.store.consume(`abuse:${tokenKey}`, this.abuseRate, nowMs);
    if (drained(abuse, this.abuseRate, nowMs)) {
      await this.store.block(`abuse-block:${tokenKey}`, nowMs + this.settings.rateLimitAbuseBlockMs, nowMs);
    }
    this.observer.rateLimited();
    throw new RateLimitedError(
      `Request limit reached (${requestsPhrase(this.settings.rateLimitPerSecond)})`,
      headerSeconds(decision.retryAfterMs),
      status,
    );
  }

  /** Releases the store's resources. */
  close(): Promise<void> {
    return this.store.close();
  }

  private async refuseIfBlocked(key: string, rule: LimitRule, message: string): Promise<void> {
    const nowMs = this.clock.nowMs();
    const untilMs = await this.store.blockedUntil(key, nowMs);
    if (untilMs === null) return;
    this.observer.anomaly(rule);
    throw new AnomalyError(message, rule, headerSeconds(untilMs - nowMs));
  }
}
