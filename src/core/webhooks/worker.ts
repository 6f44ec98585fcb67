import { performance } from 'node:perf_hooks';
import { isoTime } from '../clock.js';
import type { CoreContext } from '../context.js';
import { RoundLoop } from '../round-loop.js';
import { type RetryPolicy, retryDelayMs } from './backoff.js';
import { signatureHeader } from './signing.js';
import type { AttemptOutcome, ClaimedDelivery } from './store.js';
import type { WebhookTransport } from './transport.js';

export interface WebhookWorkerOptions {
  transport: WebhookTransport;
  /** How long a claimed delivery is held before another process presumes this one dead. */
  leaseMs: number;
  /** How often to look for deliveries queued by any process. */
  pollMs: number;
  /** Per attempt; an answer slower than this counts as a failure. */
  timeoutMs: number;
  /** Deliveries on their way to one endpoint at once, across all processes. */
  maxInFlightPerEndpoint: number;
  /** Deliveries on their way at once from this process. */
  maxConcurrent?: number;
  retry: RetryPolicy;
  /** An endpoint whose attempts have all failed for this long is switched off. */
  disableAfterMs: number;
  random?: () => number;
  onAttempt?: (ok: boolean, latencyMs: number) => void;
  onError?: (error: unknown) => void;
}

/** Deliveries on their way at once from one process, unless told otherwise. */
const DEFAULT_MAX_CONCURRENT = 64;

/** Attempt outcomes committed in one transaction at most. */
const SETTLE_BATCH = 100;

/** Where an answer's body is cut for the delivery log. */
export const SNIPPET_CHARS = 500;

/**
 * Delivers queued webhook deliveries. The queue lives in the store: a delivery is claimed under a
 * lease, sent, and settled with the lease as a fence, so any number of processes can share one
 * database; a process that dies mid-send leaves a lease that runs out and the delivery is sent
 * again (with the same webhook-id, so receivers can tell).
 */
export class WebhookWorker {
  private readonly loop: RoundLoop;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly settleQueue: {
    outcome: AttemptOutcome;
    nowMs: number;
    done: (error?: unknown) => void;
  }[] = [];
  private settling = false;
  /** A finished delivery starts a claim once no more than this many are still on their way. */
  private readonly lowWater: number;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.lowWater = Math.floor(((options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT) * 3) / 4);
    this.loop = new RoundLoop(ctx.clock, () => this.round(), options);
  }

  /** A process that owns its store alone (embedded SQLite) ends the leases a dead run left. */
  async start(options: { soleProcess: boolean }): Promise<void> {
    if (options.soleProcess) await this.ctx.store.expireWebhookLeases(this.ctx.clock.nowMs());
    this.loop.start();
  }

  /** Looks for work now (after a commit that queued deliveries). */
  wake(): void {
    this.loop.kick();
  }

  /** Resolves once nothing is being claimed or sent by this process. */
  async idle(): Promise<void> {
    while (this.loop.isRunning || this.inFlight.size > 0) {
      await this.loop.idle();
      await Promise.all([...this.inFlight]);
    }
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.idle();
  }

  private async round(): Promise<void> {
    const free = (this.options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT) - this.inFlight.size;
    let claimed: ClaimedDelivery[] = [];
    if (free > 0) {
      const nowMs = this.ctx.clock.nowMs();
      claimed = await this.ctx.store.claimWebhookDeliveries(
        nowMs,
        nowMs + this.options.leaseMs,
        this.options.maxInFlightPerEndpoint,
        free,
      );
      for (const claim of claimed) {
        const sending: Promise<void> = this.deliver(claim)
          .catch((error) => this.options.onError?.(error))
          .finally(() => {
            this.inFlight.delete(sending);
            // Claiming costs a transaction; with most slots busy, wait until a few have freed up.
            if (this.inFlight.size <= this.lowWater) this.loop.kick();
          });
        this.inFlight.add(sending);
      }
    }
    if (this.loop.isStopped) return;
    // Deliveries that finish kick the next round, and the loop looks again within pollMs; with
    // nothing under way, a delivery due sooner wakes it then.
    if (claimed.length === 0 && this.inFlight.size === 0) {
      const due = await this.ctx.store.nextWebhookDueAtMs();
      if (due !== null && due > this.ctx.clock.nowMs()) this.loop.wakeAt(due);
    }
  }

  /**
   * Records an attempt's outcome. Outcomes that finish in the same turn of the event loop commit in
   * one transaction (in endpoint order, so concurrent processes lock rows alike), which saves a disk
   * flush per attempt on a busy server. A failed commit leaves those deliveries leased; they are
   * sent again when the lease runs out.
   */
  private settle(outcome: AttemptOutcome, nowMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settleQueue.push({ outcome, nowMs, done: (error) => (error ? reject(error) : resolve()) });
      if (this.settling) return;
      this.settling = true;
      setImmediate(() => void this.drainSettles());
    });
  }

  private async drainSettles(): Promise<void> {
    try {
      while (this.settleQueue.length > 0) {
        const batch = this.settleQueue
          .splice(0, SETTLE_BATCH)
          .sort(
            (a, b) =>
              a.outcome.attempt.endpointId.localeCompare(b.outcome.attempt.endpointId) ||
              a.outcome.deliveryId - b.outcome.deliveryId,
          );
        try {
          await this.ctx.store.transaction(async (tx) => {
            for (const s of batch) await tx.settleWebhookDelivery(s.outcome, s.nowMs);
          });
          for (const s of batch) s.done();
        } catch (error) {
          for (const s of batch) s.done(error);
        }
      }
    } finally {
      this.settling = false;
    }
  }

  private async deliver({ delivery, event, endpoint }: ClaimedDelivery): Promise<void> {
    const attemptAtMs = this.ctx.clock.nowMs();
    const timestampSeconds = Math.floor(attemptAtMs / 1000);
    // The stored data is already JSON text; it is spliced in rather than parsed and written again.
    const body = `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(isoTime(event.occurredAtMs))},"data":${event.data}}`;
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && (endpoint.previousSecretUntilMs ?? 0) > attemptAtMs) {
      secrets.push(endpoint.previousSecret);
    }
    const started = performance.now();
    const response = await this.options.transport.send({
      url: endpoint.url,
      body,
      timeoutMs: this.options.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tally-Webhooks/1',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestampSeconds),
        'webhook-signature': signatureHeader(secrets, event.id, timestampSeconds, body),
      },
    });
    const latencyMs = Math.round(performance.now() - started);
    const ok = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
    this.options.onAttempt?.(ok, latencyMs);
    const nowMs = this.ctx.clock.nowMs();
    const retryAtMs =
      nowMs +
      retryDelayMs(
        delivery.attempts + 1,
        this.options.retry,
        this.options.random ?? Math.random,
        response.retryAfterMs,
      );
    await this.settle(
      {
        deliveryId: delivery.id,
        leaseUntilMs: delivery.leaseUntilMs,
        ok,
        nextAttemptAtMs: retryAtMs <= delivery.createdAtMs + this.options.retry.retryForMs ? retryAtMs : null,
        disableIfFailingSinceMs: nowMs - this.options.disableAfterMs,
        attempt: {
          deliveryId: delivery.id,
          endpointId: endpoint.id,
          eventId: event.id,
          atMs: attemptAtMs,
          statusCode: response.statusCode,
          latencyMs,
          error: response.error ?? (ok ? null : `HTTP ${response.statusCode}`),
          responseSnippet: response.snippet.slice(0, SNIPPET_CHARS),
        },
      },
      nowMs,
    );
  }
}
