import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { AlertWorker } from '../core/alerts/worker.js';
import { PrincipalCache } from '../core/auth/principal-cache.js';
import { BuildScheduler } from '../core/builds/scheduler.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { CoreContext } from '../core/context.js';
import { CountWriter } from '../core/counts/count-writer.js';
import { MemoryEventBus } from '../core/events/memory-bus.js';
import { SandboxDirectory } from '../core/sandbox/directory.js';
import { SandboxBuilds } from '../core/sandbox/sandbox-builds.js';
import { type IdGenerator, randomIds } from '../core/ids.js';
import type { EventBus, Store } from '../core/ports.js';
import { secretKeySource } from '../config/secret-key.js';
import { psaAdapters } from '../connectors/index.js';
import { PsaSyncRunner } from '../core/psa-connector/sync-runner.js';
import { PsaWriteWorker } from '../core/psa-connector/write-worker.js';
import type { PsaRuntime } from '../http/deps.js';
import { UnmappedAnnouncer } from '../core/webhooks/unmapped.js';
import type { WebhookTransport } from '../core/webhooks/transport.js';
import { WebhookWorker } from '../core/webhooks/worker.js';
import { buildHttpApp } from '../http/app.js';
import { httpWebhookTransport } from '../http/webhook-transport.js';
import { createGuard } from '../http/guard/create-guard.js';
import { Metrics } from '../http/metrics.js';
import { openStore } from '../storage/open.js';
import { PostgresEventBus } from '../storage/postgres/event-bus.js';

export interface TallyServer {
  app: FastifyInstance;
  ctx: CoreContext;
  scheduler: BuildScheduler;
  /** Turns queued vendor alerts into partner tickets. */
  alerts: AlertWorker;
  /** Sends queued webhook deliveries. */
  webhooks: WebhookWorker;
  metrics: Metrics;
  config: Config;
  /** PSA syncs and the write outbox. */
  psa: PsaRuntime;
  /** Principals the count routes remember; dropped on access changes. */
  principals: PrincipalCache;
  /** Stops taking requests, lets running builds land, closes the store. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  clock?: Clock;
  ids?: IdGenerator;
  /** An already open store (tests share one between restarts of the server). */
  store?: Store;
  logger?: boolean | object;
  /** Export process-wide metrics (memory, event loop); off in tests that start many servers. */
  processMetrics?: boolean;
  /** Test seam: where webhook requests go (default: HTTP). */
  webhookTransport?: WebhookTransport;
  /** Test seam: see SchedulerOptions.beforeBuild. */
  beforeBuild?: (integrationId: string) => Promise<void>;
  /** Test seam: how PSA clients wait between retries (tests skip the waiting). */
  psaSleep?: (ms: number) => Promise<void>;
}

/** How often due scheduled PSA full syncs are looked for. */
const PSA_SYNC_CHECK_MS = 60_000;

/**
 * Remembered principals live this long at most: a bound on staleness for a change made where no
 * event reaches this process (a CLI command on the same SQLite file). Counts re-check keys anyway.
 */
const PRINCIPAL_TTL_MS = 10_000;
const PRINCIPAL_CACHE_ENTRIES = 10_000;

/** Alerts turned into tickets per poll; the rest wait for the next one. */
const ALERT_BATCH_SIZE = 50;

/** The composition root: wires the store, the scheduler, the guard and the HTTP app from one config. */
export async function composeTally(config: Config, options: ComposeOptions = {}): Promise<TallyServer> {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config));
  // Builds landing on another process must reach this one's event streams and flushes.
  const events: EventBus =
    store.dialect === 'postgres' && config.databaseUrl
      ? await PostgresEventBus.open({
          url: config.databaseUrl,
          onError: (error) => app.log.warn({ err: error }, 'build event listener: reconnecting'),
        })
      : new MemoryEventBus();
  // Sandbox integrations run on test clocks of their own; everyone else on `clock`.
  const sandboxes = new SandboxDirectory(store, clock);
  const ctx: CoreContext = { store, clock, ids: options.ids ?? randomIds, events, clocks: sandboxes };
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const logger = options.logger ?? false;
  const scheduler = new BuildScheduler(ctx, {
    leaseMs: config.buildLeaseMs,
    pollMs: config.buildPollMs,
    onBuild: (outcome, lagMs) => {
      metrics.builds.inc();
      metrics.buildDuration.observe(outcome.durationMs / 1000);
      if (lagMs !== null) metrics.buildLag.observe(lagMs / 1000);
    },
    onError: (error) => app.log.error({ err: error }, 'build round failed'),
    beforeBuild: options.beforeBuild,
  });
  const counts = new CountWriter(
    ctx,
    { quietMs: config.buildQuietMs, maxWaitMs: config.buildMaxWaitMs },
    {
      lanes: store.dialect === 'postgres' ? config.countLanes : 1,
      unmapped: new UnmappedAnnouncer(ctx.ids, config.webhookUnmappedWindowMs),
    },
  );
  const sandboxBuilds = new SandboxBuilds(ctx, scheduler, sandboxes, {
    pollMs: config.buildPollMs,
    onError: (error) => app.log.error({ err: error }, 'sandbox build round failed'),
  });
  const webhooks = new WebhookWorker(ctx, {
    transport:
      options.webhookTransport ??
      httpWebhookTransport({ allowPrivateNetworks: config.webhookAllowPrivateNetworks }),
    leaseMs: config.webhookLeaseMs,
    pollMs: config.webhookPollMs,
    timeoutMs: config.webhookTimeoutMs,
    maxInFlightPerEndpoint: config.webhookMaxInFlight,
    retry: {
      baseMs: config.webhookRetryBaseMs,
      maxDelayMs: config.webhookRetryMaxDelayMs,
      retryForMs: config.webhookRetryForMs,
    },
    disableAfterMs: config.webhookDisableAfterMs,
    onAttempt: (ok, latencyMs) => {
      metrics.webhookAttempts.inc({ outcome: ok ? 'delivered' : 'failed' });
      metrics.webhookLatency.observe(latencyMs / 1000);
    },
    onError: (error) => app.log.error({ err: error }, 'webhook delivery round failed'),
  });
  const guard = await createGuard(config, clock, metrics);
  const psaDeps = psaAdapters({
    secretKey: secretKeySource(config, (message) => app.log.warn(message)),
    allowPrivateNetwork: config.psaAllowPrivateNetwork,
    maxInFlight: config.psaMaxInFlight,
    fullSyncIntervalMs: config.psaFullSyncIntervalMs,
    sleep: options.psaSleep,
  });
  const psa: PsaRuntime = {
    deps: psaDeps,
    syncs: new PsaSyncRunner(ctx, psaDeps, {
      checkEveryMs: PSA_SYNC_CHECK_MS,
      leaseMs: config.psaWriteLeaseMs,
      window: { quietMs: config.buildQuietMs, maxWaitMs: config.buildMaxWaitMs },
      wake: (dueAtMs) => scheduler.wake(dueAtMs),
      onError: (error) => app.log.error({ err: error }, 'PSA sync failed'),
    }),
    writes: new PsaWriteWorker(ctx, psaDeps, {
      pollMs: config.psaWritePollMs,
      leaseMs: config.psaWriteLeaseMs,
      onError: (error) => app.log.error({ err: error }, 'PSA write failed'),
    }),
  };
  const principals = new PrincipalCache(clock, events, {
    ttlMs: PRINCIPAL_TTL_MS,
    maxEntries: PRINCIPAL_CACHE_ENTRIES,
  });
  const app = await buildHttpApp(
    {
      ctx,
      config,
      scheduler,
      guard,
      metrics,
      counts,
      principals,
      sandbox: { directory: sandboxes, builds: sandboxBuilds },
      psa,
      webhooks,
    },
    { logger },
  );
  const alerts = new AlertWorker(ctx, {
    pollMs: config.alertPollMs,
    batchSize: ALERT_BATCH_SIZE,
    onError: (error) => app.log.error({ err: error }, 'alert processing failed'),
  });
  await scheduler.start({ soleProcess: store.dialect === 'sqlite' });
  sandboxBuilds.start();
  alerts.start();
  psa.syncs.start();
  await psa.writes.start({ soleProcess: store.dialect === 'sqlite' });
  await webhooks.start({ soleProcess: store.dialect === 'sqlite' });
  return {
    app,
    ctx,
    scheduler,
    alerts,
    webhooks,
    metrics,
    config,
    psa,
    principals,
    async close() {
      await app.close();
      await psa.writes.stop();
      await psa.syncs.stop();
      await sandboxBuilds.stop();
      await scheduler.stop();
      await alerts.stop();
      await webhooks.stop();
      await guard.close();
      principals.close();
      await events.close();
      if (!options.store) await store.close();
    },
  };
}
