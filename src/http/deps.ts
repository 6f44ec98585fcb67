import type { Config } from '../config/config.js';
import type { PrincipalCache } from '../core/auth/principal-cache.js';
import type { BuildScheduler } from '../core/builds/scheduler.js';
import type { CoreContext } from '../core/context.js';
import type { CountWriter } from '../core/counts/count-writer.js';
import type { PsaDeps } from '../core/psa-connector/deps.js';
import type { PsaSyncRunner } from '../core/psa-connector/sync-runner.js';
import type { PsaWriteWorker } from '../core/psa-connector/write-worker.js';
import type { SandboxDirectory } from '../core/sandbox/directory.js';
import type { SandboxBuilds } from '../core/sandbox/sandbox-builds.js';
import type { WebhookWorker } from '../core/webhooks/worker.js';
import type { Metrics } from './metrics.js';

/**
 * Admission control for the vendor API: the rate limit and the anomaly rules. It sees a request
 * before and after authentication, and every 401 and 429 it causes.
 */
export interface VendorGuard {
  /** Before authentication: refuses an address that is blocked for credential guessing (403). */
  checkAddress(address: string): Promise<void>;
  /**
   * After authentication: applies the per-token rate limit (429) and the 429-abuse block (403).
   * `weight` is how many requests this one counts as (a bulk request counts as several).
   */
  admit(tokenKey: string, weight?: number): Promise<RateLimitHeaders>;
  /** Counts a failed authentication from an address. */
  recordAuthFailure(address: string): Promise<void>;
  /**
   * Counts a password attempt as a failure before it is checked; refuses (403) one past the limit.
   * The caller reports a good password with `succeeded()`, which gives the attempt back.
   */
  spendSignInAttempt(address: string): Promise<{ succeeded(): Promise<void> }>;
}

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Everything the HTTP layer needs, built by the composition root. */
export interface HttpDeps {
  ctx: CoreContext;
  config: Config;
  scheduler: BuildScheduler;
  /** Group-commits Set unit count calls. */
  counts: CountWriter;
  guard: VendorGuard;
  metrics: Metrics;
  /** Principals remembered by key digests, for the count routes. */
  principals: PrincipalCache;
  /** Vendor sandboxes: which callers are sandboxes, and their builds on test clocks. */
  sandbox: { directory: SandboxDirectory; builds: SandboxBuilds };
  psa: PsaRuntime;
  /** Woken after an API call queues deliveries (test events, replays). */
  webhooks: WebhookWorker;
}

/** The partner's PSA connection at work: adapters, syncs and the write outbox's worker. */
export interface PsaRuntime {
  deps: PsaDeps;
  syncs: PsaSyncRunner;
  writes: PsaWriteWorker;
}
