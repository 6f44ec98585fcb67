/**
 * HaloPSA sync and write-back against the fake HaloPSA with 20 ms added per request: a full sync of
 * 2,000 customers, 5,000 items, 3,000 recurring invoices and 30,000 lines (a delta reads the same,
 * since Halo offers no "changed since" filter); 300 quantity writes through the outbox at 4 in
 * flight, each a read, a whole-invoice POST and a confirming read. The baseline is the latency floor
 * measured in the same run: the same number of bare requests sent by the same client at the same
 * concurrency.
 *   node --import tsx bench/psa-halo.ts
 */
import { HaloClient } from '../src/connectors/halo/client.js';
import { FakeHalo, HALO_CREDENTIALS } from '../test/fakes/halo.js';
import { fmt } from './support.js';
import { bareRequests, phaseRow, psaBenchWorld, timedSync, timedWriteBacks } from './psa-support.js';

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
  return bareRequests(count, () => client.get('/Item', { count: '1' }));
}

export async function measureHalo(latencyMs = 20): Promise<HaloBenchResult> {
  const halo = await new FakeHalo().start();
  halo.record = false;
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
  const world = await psaBenchWorld({ kind: 'halo', site: halo.baseUrl, ...HALO_CREDENTIALS });
  try {
    halo.latencyMs = latencyMs;
    const served = () => halo.requestsServed;
    const full = await timedSync(world, true, served);
    // Writes on lines of distinct invoices, as approvals across many customers leave them.
    const targets = lines.slice(100, 100 + SIZE.writes);
    halo.maxInFlight = 0;
    const writes = await timedWriteBacks(
      world,
      'halo',
      targets.map((l, i) => ({ externalId: String(l.id), quantity: 500 + i })),
      served,
    );
    const exactlyOnce =
      writes.written === targets.length &&
      targets.every((l, i) => l.qty_order === 500 + i && halo.quantityChanges.get(l.id) === 1);
    return {
      latencyMs,
      full: { ...full, floorSeconds: await latencyFloor(halo, full.requests) },
      writes: {
        count: targets.length,
        seconds: writes.seconds,
        requests: writes.requests,
        floorSeconds: await latencyFloor(halo, writes.requests),
        exactlyOnce,
        maxInFlight: halo.maxInFlight,
      },
    };
  } finally {
    await world.close();
    await halo.stop();
  }
}

export function describeHalo(r: HaloBenchResult): string {
  const row = phaseRow;
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
