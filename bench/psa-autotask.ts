/**
 * Autotask sync and write-back against the fake Autotask with 20 ms added per request: a full sync
 * of 2,000 companies, 5,000 services, 3,000 recurring contracts and 30,000 contract services (with
 * last, this and next month's unit rows each); then 1,000 quantity writes through the outbox worker,
 * inside the connection's default hourly share of 2,000 requests and its 2 requests at once, each
 * applied exactly once (adjustments counted in the fake). The baseline is the latency floor measured
 * in the same run: the same number of bare requests at the same concurrency.
 *   node --import tsx bench/psa-autotask.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psaAdapters } from '../src/connectors/index.js';
import { AutotaskBudget } from '../src/connectors/autotask/budget.js';
import { AutotaskClient } from '../src/connectors/autotask/client.js';
import { systemClock } from '../src/core/clock.js';
import type { CoreContext } from '../src/core/context.js';
import { MemoryEventBus } from '../src/core/events/memory-bus.js';
import { randomIds } from '../src/core/ids.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import { connectPsa } from '../src/core/psa-connector/connect-psa.js';
import { AUTOTASK_DEFAULT_REQUESTS_PER_HOUR } from '../src/core/psa-connector/connection-input.js';
import type { PsaWrite } from '../src/core/psa-connector/store.js';
import { PsaSyncRunner } from '../src/core/psa-connector/sync-runner.js';
import { PsaWriteWorker } from '../src/core/psa-connector/write-worker.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { AT_CREDENTIALS, FakeAutotask } from '../test/fakes/autotask.js';
import { fmt } from './support.js';

export interface AutotaskBenchResult {
  latencyMs: number;
  full: { seconds: number; requests: number; floorSeconds: number; heapGrowthMiB: number; lines: number };
  writes: {
    seconds: number;
    requests: number;
    floorSeconds: number;
    exactlyOnce: boolean;
    maxInFlight: number;
    /** Requests the connection's budget counted in the hour (sync and writes), against its share. */
    usedLastHour: number;
    hourlyShare: number;
    budgetState: string;
  };
}

const SIZE = { companies: 2000, services: 5000, contracts: 3000, lines: 30000, writes: 1000 };

/** The time a client needs for `count` bare requests at 2 in flight (the connection's default). */
async function latencyFloor(at: FakeAutotask, count: number): Promise<number> {
  const budget = new AutotaskBudget({ requestsPerHour: 10_000, maxInFlight: 2, probeEveryMs: 3_600_000 });
  budget.claimProbe();
  const client = new AutotaskClient({ site: at.baseUrl, ...AT_CREDENTIALS, zoneUrl: at.zoneUrl, budget });
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, () => client.get('/Companies/0')));
  return (performance.now() - started) / 1000;
}

export async function measureAutotask(latencyMs = 20): Promise<AutotaskBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-autotask-bench-'));
  const at = await new FakeAutotask().start();
  at.record = false;
  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  try {
    const services = Array.from({ length: SIZE.services }, (_, i) =>
      at.addService(`Service ${i}`, 5 + (i % 20)),
    );
    const companies = Array.from({ length: SIZE.companies }, (_, i) => at.addCompany(`Customer ${i}`));
    const contracts = Array.from({ length: SIZE.contracts }, (_, i) =>
      at.addContract(companies[i % SIZE.companies] as (typeof companies)[number], `Contract ${i}`),
    );
    const lines = Array.from({ length: SIZE.lines }, (_, i) =>
      at.addContractService(
        contracts[i % SIZE.contracts] as (typeof contracts)[number],
        // 10 lines per contract, each of another service.
        services[(Math.floor(i / SIZE.contracts) * 397 + i) % SIZE.services] as (typeof services)[number],
        1 + (i % 7),
        { previousUnits: 50, nextUnits: 1 + (i % 7) },
      ),
    );

    const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
    const key = randomBytes(32);
    const deps = psaAdapters({
      secretKey: () => key,
      allowPrivateNetwork: false,
      maxInFlight: 4,
      fullSyncIntervalMs: 86_400_000,
    });
    const { partner } = await createPartner(ctx, { name: 'Bench MSP' });
    const connection = await connectPsa(ctx, deps, partner.id, {
      kind: 'autotask',
      site: at.baseUrl,
      ...AT_CREDENTIALS,
    });
    const runner = new PsaSyncRunner(ctx, deps, {
      checkEveryMs: 3_600_000,
      leaseMs: 60_000,
      window: { quietMs: 1000, maxWaitMs: 10_000 },
    });
    at.latencyMs = latencyMs;

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
    let before = at.requestsServed;
    let started = performance.now();
    await runner.startSync(partner.id, true);
    const fullSync = await runner.settled(partner.id);
    const fullSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (fullSync?.state !== 'succeeded') throw new Error(`full sync failed: ${fullSync?.error}`);
    const fullRequests = at.requestsServed - before;

    // 1,000 writes, as 1,000 approvals leave them in the outbox (every 30th line, each to 40 + i % 9).
    const targets = lines.filter((_, i) => i % 30 === 0).slice(0, SIZE.writes);
    const target = (i: number) => 40 + (i % 9);
    const lineIds = await store.localIdsOf(
      partner.id,
      'autotask',
      'line',
      targets.map((cs) => String(cs.id)),
    );
    const nowMs = Date.now();
    for (const [i, cs] of targets.entries()) {
      const line = await store.getAgreementLine(partner.id, lineIds.get(String(cs.id)) as string);
      if (!line) throw new Error('line missing');
      const write: PsaWrite = {
        id: randomIds.objectId(),
        partnerId: partner.id,
        kind: 'autotask',
        op: 'set_quantity',
        remoteRef: null,
        effectiveDate: null,
        period: '2026-12',
        cardId: `${line.companyId}.${line.productId}.${i}`,
        companyId: line.companyId,
        productId: line.productId,
        lineId: line.id,
        agreementId: line.agreementId,
        targetQuantity: target(i),
        state: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAtMs: nowMs,
        leaseUntilMs: null,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      await store.insertPsaWrite(write);
    }
    at.maxInFlight = 0;
    const worker = new PsaWriteWorker(ctx, deps, { pollMs: 50, leaseMs: 60_000 });
    before = at.requestsServed;
    started = performance.now();
    await worker.start({ soleProcess: true });
    for (;;) {
      const pending = await store.listPsaWrites(partner.id, { state: 'pending', limit: 1 });
      if (pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const writeSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const writeRequests = at.requestsServed - before;
    const maxInFlight = at.maxInFlight;
    const written = await store.listPsaWrites(partner.id, { state: 'written', limit: 2000 });
    const exactlyOnce =
      written.length === targets.length &&
      targets.every((cs, i) => at.currentUnits(cs.id) === target(i) && at.adjustmentsPosted.get(cs.id) === 1);
    const budget = deps.budgetOf(connection);

    return {
      latencyMs,
      full: {
        seconds: fullSeconds,
        requests: fullRequests,
        floorSeconds: await latencyFloor(at, fullRequests),
        heapGrowthMiB: (heapPeak - heapBefore) / 2 ** 20,
        lines: fullSync.counts.lines,
      },
      writes: {
        seconds: writeSeconds,
        requests: writeRequests,
        floorSeconds: await latencyFloor(at, writeRequests),
        exactlyOnce,
        maxInFlight,
        usedLastHour: budget?.usedLastHour ?? -1,
        hourlyShare: budget?.hourlyShare ?? AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
        budgetState: budget?.state ?? 'none',
      },
    };
  } finally {
    await store.close();
    await at.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeAutotask(r: AutotaskBenchResult): string {
  const row = (label: string, s: number, requests: number, floor: number, extra: string) =>
    `  ${label.padEnd(34)} ${fmt(s, 2).padStart(6)} s  ${String(requests).padStart(6)} requests  ` +
    `floor ${fmt(floor, 2)} s  ratio ${fmt(s / floor, 2)}  ${extra}`;
  return [
    `Autotask (fake, ${r.latencyMs} ms per request, 2 in flight):`,
    row(
      'full sync',
      r.full.seconds,
      r.full.requests,
      r.full.floorSeconds,
      `${r.full.lines} lines, heap +${fmt(r.full.heapGrowthMiB)} MiB`,
    ),
    row(
      '1,000 write-backs',
      r.writes.seconds,
      r.writes.requests,
      r.writes.floorSeconds,
      `exactly once: ${r.writes.exactlyOnce}, max in flight ${r.writes.maxInFlight}, ` +
        `budget ${r.writes.usedLastHour}/${r.writes.hourlyShare} this hour (${r.writes.budgetState})`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeAutotask(await measureAutotask()));
}
