/**
 * ConnectWise sync and write-back against the fake ConnectWise with 20 ms added per request:
 * a full sync of 2,000 companies, 5,000 catalog items, 3,000 agreements and 30,000 additions; a
 * delta sync after 50 additions changed; 1,000 quantity writes through the outbox at 4 in flight.
 * The baseline is the latency floor measured in the same run: the same number of bare requests
 * sent by the same client at the same concurrency.
 *   node --import tsx bench/psa-connectwise.ts    (or npm run bench -- --only psa)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psaAdapters } from '../src/connectors/index.js';
import { ConnectWiseClient } from '../src/connectors/connectwise/client.js';
import { systemClock } from '../src/core/clock.js';
import type { CoreContext } from '../src/core/context.js';
import { MemoryEventBus } from '../src/core/events/memory-bus.js';
import { randomIds } from '../src/core/ids.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import { connectPsa } from '../src/core/psa-connector/connect-psa.js';
import type { PsaWrite } from '../src/core/psa-connector/store.js';
import { PsaSyncRunner } from '../src/core/psa-connector/sync-runner.js';
import { PsaWriteWorker } from '../src/core/psa-connector/write-worker.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { CW_CREDENTIALS, FakeConnectWise } from '../test/fakes/connectwise.js';
import { fmt } from './support.js';

export interface PsaBenchResult {
  latencyMs: number;
  full: { seconds: number; requests: number; floorSeconds: number; heapGrowthMiB: number; lines: number };
  delta: { seconds: number; requests: number; floorSeconds: number; lines: number };
  writes: {
    seconds: number;
    requests: number;
    floorSeconds: number;
    exactlyOnce: boolean;
    maxInFlight: number;
  };
}

const SIZE = { companies: 2000, items: 5000, agreements: 3000, additions: 30000 };

/** The time the same client needs for `count` bare requests at the same concurrency. */
async function latencyFloor(cw: FakeConnectWise, count: number): Promise<number> {
  const client = new ConnectWiseClient({ site: cw.baseUrl, ...CW_CREDENTIALS, maxInFlight: 4 });
  await client.discover();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, () => client.get('/procurement/catalog', { pageSize: '1' })),
  );
  return (performance.now() - started) / 1000;
}

export async function measurePsa(latencyMs = 20): Promise<PsaBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-psa-bench-'));
  const cw = await new FakeConnectWise().start();
  cw.record = false;
  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  try {
    const items = Array.from({ length: SIZE.items }, (_, i) => cw.addCatalogItem(`SKU-${i}`, `Item ${i}`));
    const companies = Array.from({ length: SIZE.companies }, (_, i) => cw.addCompany(`Customer ${i}`));
    const agreements = Array.from({ length: SIZE.agreements }, (_, i) =>
      cw.addAgreement(companies[i % SIZE.companies] as (typeof companies)[number], `Agreement ${i}`),
    );
    const additions = Array.from({ length: SIZE.additions }, (_, i) =>
      cw.addAddition(
        agreements[i % SIZE.agreements] as (typeof agreements)[number],
        items[i % SIZE.items] as (typeof items)[number],
        1 + (i % 7),
      ),
    );

    cw.backdate(3_600_000);
    const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
    const key = randomBytes(32);
    const deps = psaAdapters({
      secretKey: () => key,
      allowPrivateNetwork: false,
      maxInFlight: 4,
      fullSyncIntervalMs: 86_400_000,
    });
    const { partner } = await createPartner(ctx, { name: 'Bench MSP' });
    await connectPsa(ctx, deps, partner.id, { kind: 'connectwise', site: cw.baseUrl, ...CW_CREDENTIALS });
    const runner = new PsaSyncRunner(ctx, deps, {
      checkEveryMs: 3_600_000,
      leaseMs: 60_000,
      window: { quietMs: 1000, maxWaitMs: 10_000 },
    });
    cw.latencyMs = latencyMs;

    const requestsOf = () => cw.requestsServed;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
    let before = requestsOf();
    let started = performance.now();
    await runner.startSync(partner.id, true);
    const fullSync = await runner.settled(partner.id);
    const fullSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (fullSync?.state !== 'succeeded') throw new Error(`full sync failed: ${fullSync?.error}`);
    const fullRequests = requestsOf() - before;

    for (const addition of additions.slice(0, 50)) cw.touch(addition, { quantity: 99 });
    before = requestsOf();
    started = performance.now();
    await runner.startSync(partner.id, false);
    const deltaSync = await runner.settled(partner.id);
    const deltaSeconds = (performance.now() - started) / 1000;
    if (deltaSync?.state !== 'succeeded') throw new Error(`delta sync failed: ${deltaSync?.error}`);
    const deltaRequests = requestsOf() - before;

    // 1,000 writes, as 1,000 approvals leave them in the outbox.
    const targets = additions.slice(100, 1100);
    const lineIds = await store.localIdsOf(
      partner.id,
      'connectwise',
      'line',
      targets.map((a) => String(a.id)),
    );
    const nowMs = Date.now();
    for (const [i, addition] of targets.entries()) {
      const line = await store.getAgreementLine(partner.id, lineIds.get(String(addition.id)) as string);
      if (!line) throw new Error('line missing');
      const write: PsaWrite = {
        id: randomIds.objectId(),
        partnerId: partner.id,
        kind: 'connectwise',
        op: 'set_quantity',
        remoteRef: null,
        effectiveDate: null,
        period: '2026-12',
        cardId: `${line.companyId}.${line.productId}.${i}`,
        companyId: line.companyId,
        productId: line.productId,
        lineId: line.id,
        agreementId: line.agreementId,
        targetQuantity: 500 + i,
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
    cw.maxInFlight = 0;
    const worker = new PsaWriteWorker(ctx, deps, { pollMs: 50, leaseMs: 60_000 });
    before = requestsOf();
    started = performance.now();
    await worker.start({ soleProcess: true });
    for (;;) {
      const pending = await store.listPsaWrites(partner.id, { state: 'pending', limit: 1 });
      if (pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const writeSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const writeRequests = requestsOf() - before;
    const written = await store.listPsaWrites(partner.id, { state: 'written', limit: 2000 });
    const exactlyOnce =
      written.length === targets.length &&
      targets.every((a, i) => a.quantity === 500 + i && cw.patchesApplied.get(a.id) === 1);

    return {
      latencyMs,
      full: {
        seconds: fullSeconds,
        requests: fullRequests,
        floorSeconds: await latencyFloor(cw, fullRequests),
        heapGrowthMiB: (heapPeak - heapBefore) / 2 ** 20,
        lines: fullSync.counts.lines,
      },
      delta: {
        seconds: deltaSeconds,
        requests: deltaRequests,
        floorSeconds: await latencyFloor(cw, deltaRequests),
        lines: deltaSync.counts.lines,
      },
      writes: {
        seconds: writeSeconds,
        requests: writeRequests,
        floorSeconds: await latencyFloor(cw, writeRequests),
        exactlyOnce,
        maxInFlight: cw.maxInFlight,
      },
    };
  } finally {
    await store.close();
    await cw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describePsa(r: PsaBenchResult): string {
  const row = (label: string, s: number, requests: number, floor: number, extra: string) =>
    `  ${label.padEnd(34)} ${fmt(s, 2).padStart(6)} s  ${String(requests).padStart(6)} requests  ` +
    `floor ${fmt(floor, 2)} s  ratio ${fmt(s / floor, 2)}  ${extra}`;
  return [
    `ConnectWise (fake, ${r.latencyMs} ms per request, 4 in flight):`,
    row(
      'full sync',
      r.full.seconds,
      r.full.requests,
      r.full.floorSeconds,
      `${r.full.lines} lines, heap +${fmt(r.full.heapGrowthMiB)} MiB`,
    ),
    row(
      'delta sync (50 changed additions)',
      r.delta.seconds,
      r.delta.requests,
      r.delta.floorSeconds,
      `${r.delta.lines} lines`,
    ),
    row(
      '1,000 write-backs',
      r.writes.seconds,
      r.writes.requests,
      r.writes.floorSeconds,
      `exactly once: ${r.writes.exactlyOnce}, max in flight ${r.writes.maxInFlight}`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describePsa(await measurePsa()));
}
