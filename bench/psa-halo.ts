/**
 * HaloPSA sync and write-back against the fake HaloPSA with 20 ms added per request: a full sync of
 * 2,000 customers, 5,000 items, 3,000 recurring invoices and 30,000 lines (a delta reads the same,
 * since Halo offers no "changed since" filter); 300 quantity writes through the outbox at 4 in
 * flight, each a read, a whole-invoice POST and a confirming read. The baseline is the latency floor
 * measured in the same run: the same number of bare requests sent by the same client at the same
 * concurrency.
 *   node --import tsx bench/psa-halo.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psaAdapters } from '../src/connectors/index.js';
import { HaloClient } from '../src/connectors/halo/client.js';
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
import { FakeHalo, HALO_CREDENTIALS } from '../test/fakes/halo.js';
import { fmt } from './support.js';

export interface HaloBenchResult {
  latencyMs: number;
  full: { seconds: number; requests: number; floorSeconds: number; heapGrowthMiB: number; lines: number };
  writes: {
    count: number;
    seconds: number;
    requests: number;
    floorSeconds: number;
    exactlyOnce: boolean;
    maxInFlight: number;
  };
}

const SIZE = { clients: 2000, items: 5000, invoices: 3000, lines: 30000, writes: 300 };

/** The time the same client needs for `count` bare requests at the same concurrency. */
async function latencyFloor(halo: FakeHalo, count: number): Promise<number> {
  const client = new HaloClient({
    site: halo.baseUrl,
    authUrl: `${halo.baseUrl}/auth`,
    ...HALO_CREDENTIALS,
    maxInFlight: 4,
  });
  await client.tokens.get();
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, () => client.get('/Item', { count: '1' })));
  return (performance.now() - started) / 1000;
}

export async function measureHalo(latencyMs = 20): Promise<HaloBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-halo-bench-'));
  const halo = await new FakeHalo().start();
  halo.record = false;
  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  try {
    const items = Array.from({ length: SIZE.items }, (_, i) => halo.addItem(`Item ${i}`));
    const clients = Array.from({ length: SIZE.clients }, (_, i) => halo.addClient(`Customer ${i}`));
    const invoices = Array.from({ length: SIZE.invoices }, (_, i) =>
      halo.addInvoice(clients[i % SIZE.clients] as (typeof clients)[number], `Contract ${i}`),
    );
    const lines = Array.from({ length: SIZE.lines }, (_, i) =>
      halo.addLine(
        invoices[i % SIZE.invoices] as (typeof invoices)[number],
        items[i % SIZE.items] as (typeof items)[number],
        1 + (i % 7),
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
    await connectPsa(ctx, deps, partner.id, { kind: 'halo', site: halo.baseUrl, ...HALO_CREDENTIALS });
    const runner = new PsaSyncRunner(ctx, deps, {
      checkEveryMs: 3_600_000,
      leaseMs: 60_000,
      window: { quietMs: 1000, maxWaitMs: 10_000 },
    });
    halo.latencyMs = latencyMs;

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
    let before = halo.requestsServed;
    let started = performance.now();
    await runner.startSync(partner.id, true);
    const fullSync = await runner.settled(partner.id);
    const fullSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (fullSync?.state !== 'succeeded') throw new Error(`full sync failed: ${fullSync?.error}`);
    const fullRequests = halo.requestsServed - before;

    // Writes on lines of distinct invoices, as approvals across many customers leave them.
    const targets = lines.slice(100, 100 + SIZE.writes);
    const lineIds = await store.localIdsOf(
      partner.id,
      'halo',
      'line',
      targets.map((l) => String(l.id)),
    );
    const nowMs = Date.now();
    for (const [i, target] of targets.entries()) {
      const line = await store.getAgreementLine(partner.id, lineIds.get(String(target.id)) as string);
      if (!line) throw new Error('line missing');
      const write: PsaWrite = {
        id: randomIds.objectId(),
        partnerId: partner.id,
        kind: 'halo',
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
    halo.maxInFlight = 0;
    const worker = new PsaWriteWorker(ctx, deps, { pollMs: 50, leaseMs: 60_000 });
    before = halo.requestsServed;
    started = performance.now();
    await worker.start({ soleProcess: true });
    for (;;) {
      const pending = await store.listPsaWrites(partner.id, { state: 'pending', limit: 1 });
      if (pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const writeSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const writeRequests = halo.requestsServed - before;
    const written = await store.listPsaWrites(partner.id, { state: 'written', limit: 2000 });
    const exactlyOnce =
      written.length === targets.length &&
      targets.every((l, i) => l.qty_order === 500 + i && halo.quantityChanges.get(l.id) === 1);

    return {
      latencyMs,
      full: {
        seconds: fullSeconds,
        requests: fullRequests,
        floorSeconds: await latencyFloor(halo, fullRequests),
        heapGrowthMiB: (heapPeak - heapBefore) / 2 ** 20,
        lines: fullSync.counts.lines,
      },
      writes: {
        count: targets.length,
        seconds: writeSeconds,
        requests: writeRequests,
        floorSeconds: await latencyFloor(halo, writeRequests),
        exactlyOnce,
        maxInFlight: halo.maxInFlight,
      },
    };
  } finally {
    await store.close();
    await halo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeHalo(r: HaloBenchResult): string {
  const row = (label: string, s: number, requests: number, floor: number, extra: string) =>
    `  ${label.padEnd(34)} ${fmt(s, 2).padStart(6)} s  ${String(requests).padStart(6)} requests  ` +
    `floor ${fmt(floor, 2)} s  ratio ${fmt(s / floor, 2)}  ${extra}`;
  return [
    `HaloPSA (fake, ${r.latencyMs} ms per request, 4 in flight):`,
    row(
      'full sync (= delta sync)',
      r.full.seconds,
      r.full.requests,
      r.full.floorSeconds,
      `${r.full.lines} lines, heap +${fmt(r.full.heapGrowthMiB)} MiB`,
    ),
    row(
      `${r.writes.count} write-backs`,
      r.writes.seconds,
      r.writes.requests,
      r.writes.floorSeconds,
      `exactly once: ${r.writes.exactlyOnce}, max in flight ${r.writes.maxInFlight}`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeHalo(await measureHalo()));
}
