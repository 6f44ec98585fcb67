/** What the PSA benchmarks share: a fresh store and partner, timed syncs and write-backs, one row format. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psaAdapters } from '../src/connectors/index.js';
import { systemClock } from '../src/core/clock.js';
import type { CoreContext } from '../src/core/context.js';
import { MemoryEventBus } from '../src/core/events/memory-bus.js';
import { randomIds } from '../src/core/ids.js';
import type { PsaKind } from '../src/core/model.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import { connectPsa } from '../src/core/psa-connector/connect-psa.js';
import type { PsaConnectionInput } from '../src/core/psa-connector/connection-input.js';
import type { PsaDeps } from '../src/core/psa-connector/deps.js';
import type { PsaConnection, PsaWrite } from '../src/core/psa-connector/store.js';
import { PsaSyncRunner } from '../src/core/psa-connector/sync-runner.js';
import { PsaWriteWorker } from '../src/core/psa-connector/write-worker.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { fmt } from './support.js';

/** A partner on a fresh SQLite file, connected to the PSA, with a sync runner; `close` removes it all. */
export async function psaBenchWorld(input: PsaConnectionInput) {
  const dir = mkdtempSync(join(tmpdir(), `tally-${input.kind}-bench-`));
  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
  const key = randomBytes(32);
  const deps: PsaDeps = psaAdapters({
    secretKey: () => key,
    allowPrivateNetwork: false,
    maxInFlight: 4,
    fullSyncIntervalMs: 86_400_000,
  });
  const { partner } = await createPartner(ctx, { name: 'Bench MSP' });
  const connection: PsaConnection = await connectPsa(ctx, deps, partner.id, input);
  const runner = new PsaSyncRunner(ctx, deps, {
    checkEveryMs: 3_600_000,
    leaseMs: 60_000,
    window: { quietMs: 1000, maxWaitMs: 10_000 },
  });
  return {
    ctx,
    deps,
    partnerId: partner.id,
    connection,
    runner,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type PsaBenchWorld = Awaited<ReturnType<typeof psaBenchWorld>>;

/** A timed sync: seconds, requests the fake served, the sync's counts, and the heap it grew by. */
export async function timedSync(world: PsaBenchWorld, full: boolean, requestsServed: () => number) {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
  const before = requestsServed();
  const started = performance.now();
  await world.runner.startSync(world.partnerId, full);
  const sync = await world.runner.settled(world.partnerId);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (sync?.state !== 'succeeded') throw new Error(`${full ? 'full' : 'delta'} sync failed: ${sync?.error}`);
  return {
    seconds,
    requests: requestsServed() - before,
    lines: sync.counts.lines,
    heapGrowthMiB: (heapPeak - heapBefore) / 2 ** 20,
  };
}

/**
 * Queues one set-quantity write per synced line (by its PSA id), as approvals leave them in the
 * outbox, then runs the write worker until none is pending: seconds and requests the fake served.
 */
export async function timedWriteBacks(
  world: PsaBenchWorld,
  kind: PsaKind,
  targets: { externalId: string; quantity: number }[],
  requestsServed: () => number,
) {
  const { store } = world.ctx;
  const lineIds = await store.localIdsOf(
    world.partnerId,
    kind,
    'line',
    targets.map((t) => t.externalId),
  );
  const nowMs = Date.now();
  for (const [i, target] of targets.entries()) {
    const line = await store.getAgreementLine(world.partnerId, lineIds.get(target.externalId) as string);
    if (!line) throw new Error('line missing');
    const write: PsaWrite = {
      id: randomIds.objectId(),
      partnerId: world.partnerId,
      kind,
      op: 'set_quantity',
      period: '2026-12',
      cardId: `${line.companyId}.${line.productId}.${i}`,
      companyId: line.companyId,
      productId: line.productId,
      lineId: line.id,
      agreementId: line.agreementId,
      targetQuantity: target.quantity,
      state: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAtMs: nowMs,
      leaseUntilMs: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      remoteRef: null,
      effectiveDate: null,
    };
    await store.insertPsaWrite(write);
  }
  const worker = new PsaWriteWorker(world.ctx, world.deps, { pollMs: 50, leaseMs: 60_000 });
  const before = requestsServed();
  const started = performance.now();
  await worker.start({ soleProcess: true });
  for (;;) {
    const pending = await store.listPsaWrites(world.partnerId, { state: 'pending', limit: 1 });
    if (pending.length === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const written = await store.listPsaWrites(world.partnerId, { state: 'written', limit: targets.length + 1 });
  return { seconds, requests: requestsServed() - before, written: written.length };
}

/** The latency floor: how long `count` bare requests take, sent `send` at a time as the client allows. */
export async function bareRequests(count: number, send: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, send));
  return (performance.now() - started) / 1000;
}

/** One phase as the benchmarks print it: time, requests, the floor and the ratio to it. */
export const phaseRow = (label: string, seconds: number, requests: number, floor: number, extra: string) =>
  `  ${label.padEnd(34)} ${fmt(seconds, 2).padStart(6)} s  ${String(requests).padStart(6)} requests  ` +
  `floor ${fmt(floor, 2)} s  ratio ${fmt(seconds / floor, 2)}  ${extra}`;
