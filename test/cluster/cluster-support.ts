/** A cluster for tests: one fresh PostgreSQL schema and several real `tally serve` processes on it. */
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/clock.js';
import type { CoreContext } from '../../src/core/context.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { dropSchema, urlWithSchema } from '../storage/postgres-support.js';
import { call, type Fixture } from '../support/harness.js';
import { type ServerProcess, startServerProcess, stopProcess } from '../support/process.js';

/** The debounce quiet window the cluster runs with: short, so bursts build quickly. */
export const QUIET_MS = 300;

export interface Cluster {
  /** The database URL every process got; its search_path selects the cluster's schema. */
  url: string;
  /** A context over the cluster's database, to seed it and to check what it holds. */
  ctx: CoreContext;
  processes: ServerProcess[];
  /** Stops every process still running, closes the seeding store and drops the schema. */
  close(): Promise<void>;
}

/**
 * Creates a fresh schema, migrates it and starts `size` processes on it. Tests seed their own
 * integrations through `ctx` afterwards: the processes read everything from the database.
 */
export async function startCluster(options: {
  size: number;
  env?: Record<string, string>;
  args?: string[];
}): Promise<Cluster> {
  const schema = `c_${randomBytes(6).toString('hex')}`;
  const url = urlWithSchema(schema);
  const store = await openPostgresStore({ url, poolSize: 4 });
  const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
  const processes: ServerProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((p) => stopProcess(p.child)));
    await store.close();
    await dropSchema(schema);
  };
  const args = ['--database-url', url, '--build-quiet-ms', String(QUIET_MS), ...(options.args ?? [])];
  const started = await Promise.allSettled(
    Array.from({ length: options.size }, () => startServerProcess(args, options.env)),
  );
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { url, ctx, processes, close };
}

/** The `billing` member of GET /organization, as seen through one process. */
export async function billingVia(server: ServerProcess, f: Fixture) {
  const response = await call(server.baseUrl, 'GET', '/api/vendor-api/organization', { token: f.token });
  if (response.status !== 200) throw new Error(`GET /organization answered ${response.status}`);
  return response.body.billing as {
    state: string;
    unbuiltChanges: number;
    builtRevision: number;
    builds: number;
  };
}

/** Waits (polling every 50 ms, at most `timeoutMs`) until the integration's view is built up to `revision`. */
export async function waitUntilBuilt(
  server: ServerProcess,
  f: Fixture,
  revision: number,
  timeoutMs = 10_000,
) {
  let billing = await billingVia(server, f);
  for (let waitedMs = 0; waitedMs < timeoutMs; waitedMs += 50) {
    if (billing.state === 'idle' && billing.builtRevision >= revision) return billing;
    await new Promise((r) => setTimeout(r, 50));
    billing = await billingVia(server, f);
  }
  throw new Error(`not built up to revision ${revision} within ${timeoutMs} ms: ${JSON.stringify(billing)}`);
}

/** The partner's billing cards through one process, as company|product → vendor quantity. */
export async function cardsVia(server: ServerProcess, f: Fixture): Promise<Map<string, number>> {
  const response = await call(server.baseUrl, 'GET', '/api/partner/billing', { bearer: f.partnerToken });
  if (response.status !== 200) throw new Error(`GET /api/partner/billing answered ${response.status}`);
  const cards = response.body.cards as { companyId: string; productId: string; vendorQuantity: number }[];
  return new Map(cards.map((c) => [`${c.companyId}|${c.productId}`, c.vendorQuantity]));
}

/** A process's tally_builds_total: how many builds it ran itself. */
export async function buildsRunBy(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const match = /^tally_builds_total (\d+)/m.exec(text);
  if (!match) throw new Error('tally_builds_total is missing from /metrics');
  return Number(match[1]);
}

/** A build event as a partner's event stream carries it. */
export interface StreamedBuild {
  integrationId: string;
  builtRevision: number;
  builtAt: string;
}

/** An open GET /api/partner/events stream, collecting its `build` events as they arrive. */
export interface EventStream {
  builds: StreamedBuild[];
  /** Resolves with the first build (already received or still to come) that matches, or throws after `timeoutMs`. */
  waitFor(match: (build: StreamedBuild) => boolean, timeoutMs: number): Promise<StreamedBuild>;
  close(): void;
}

/** Opens a partner's server-sent event stream on one process; resolves once the stream is connected. */
export async function openEventStream(server: ServerProcess, partnerToken: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${server.baseUrl}/api/partner/events`, {
    headers: { authorization: `Bearer ${partnerToken}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`event stream answered ${response.status}`);
  const builds: StreamedBuild[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffered = '';
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffered += value;
      const messages = buffered.split('\n\n');
      buffered = messages.pop() ?? '';
      for (const message of messages) {
        const lines = message.split('\n');
        const data = lines.find((l) => l.startsWith('data: '));
        if (lines.includes('event: build') && data) builds.push(JSON.parse(data.slice(6)) as StreamedBuild);
      }
    }
  })();
  return {
    builds,
    async waitFor(match, timeoutMs) {
      for (let waitedMs = 0; waitedMs <= timeoutMs; waitedMs += 20) {
        const found = builds.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching build event within ${timeoutMs} ms; got ${JSON.stringify(builds)}`);
    },
    close: () => abort.abort(),
  };
}
