/**
 * ConnectWise sync and write-back against the fake ConnectWise with 20 ms added per request:
 * a full sync of 2,000 companies, 5,000 catalog items, 3,000 agreements and 30,000 additions; a
 * delta sync after 50 additions changed; 1,000 quantity writes through the outbox at 4 in flight.
 * The baseline is the latency floor measured in the same run: the same number of bare requests
 * sent by the same client at the same concurrency.
 *   node --import tsx bench/psa-connectwise.ts    (or npm run bench -- --only psa)
 */
import { ConnectWiseClient } from '../src/connectors/connectwise/client.js';
import { CW_CREDENTIALS, FakeConnectWise } from '../test/fakes/connectwise.js';
import { bareRequests, phaseRow, psaBenchWorld, timedSync, timedWriteBacks } from './psa-support.js';
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
  return bareRequests(count, () => client.get('/procurement/catalog', { pageSize: '1' }));
}

export async function measurePsa(latencyMs = 20): Promise<PsaBenchResult> {
  const cw = await new FakeConnectWise().start();
  cw.record = false;
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
  const world = await psaBenchWorld({ kind: 'connectwise', site: cw.baseUrl, ...CW_CREDENTIALS });
  try {
    cw.latencyMs = latencyMs;
    const served = () => cw.requestsServed;
    const full = await timedSync(world, true, served);
    for (const addition of additions.slice(0, 50)) cw.touch(addition, { quantity: 99 });
    const delta = await timedSync(world, false, served);

    // 1,000 writes, as 1,000 approvals leave them in the outbox.
    const targets = additions.slice(100, 1100);
    cw.maxInFlight = 0;
    const writes = await timedWriteBacks(
      world,
      'connectwise',
      targets.map((a, i) => ({ externalId: String(a.id), quantity: 500 + i })),
      served,
    );
    const exactlyOnce =
      writes.written === targets.length &&
      targets.every((a, i) => a.quantity === 500 + i && cw.patchesApplied.get(a.id) === 1);
    return {
      latencyMs,
      full: { ...full, floorSeconds: await latencyFloor(cw, full.requests) },
      delta: { ...delta, floorSeconds: await latencyFloor(cw, delta.requests) },
      writes: {
        seconds: writes.seconds,
        requests: writes.requests,
        floorSeconds: await latencyFloor(cw, writes.requests),
        exactlyOnce,
        maxInFlight: cw.maxInFlight,
      },
    };
  } finally {
    await world.close();
    await cw.stop();
  }
}

export function describePsa(r: PsaBenchResult): string {
  const row = phaseRow;
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
