/**
 * Autotask sync and write-back against the fake Autotask with 20 ms added per request: a full sync
 * of 2,000 companies, 5,000 services, 3,000 recurring contracts and 30,000 contract services (with
 * last, this and next month's unit rows each); then 1,000 quantity writes through the outbox worker,
 * inside the connection's default hourly share of 2,000 requests and its 2 requests at once, each
 * applied exactly once (adjustments counted in the fake). The baseline is the latency floor measured
 * in the same run: the same number of bare requests at the same concurrency.
 *   node --import tsx bench/psa-autotask.ts
 */
import { AutotaskBudget } from '../src/connectors/autotask/budget.js';
import { AutotaskClient } from '../src/connectors/autotask/client.js';
import { AUTOTASK_DEFAULT_REQUESTS_PER_HOUR } from '../src/core/psa-connector/connection-input.js';
import { AT_CREDENTIALS, FakeAutotask } from '../test/fakes/autotask.js';
import { fmt } from './support.js';
import { bareRequests, phaseRow, psaBenchWorld, timedSync, timedWriteBacks } from './psa-support.js';

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
  return bareRequests(count, () => client.get('/Companies/0'));
}

export async function measureAutotask(latencyMs = 20): Promise<AutotaskBenchResult> {
  const at = await new FakeAutotask().start();
  at.record = false;
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
  const world = await psaBenchWorld({ kind: 'autotask', site: at.baseUrl, ...AT_CREDENTIALS });
  try {
    at.latencyMs = latencyMs;
    const served = () => at.requestsServed;
    const full = await timedSync(world, true, served);
    // 1,000 writes, as 1,000 approvals leave them in the outbox (every 30th line, each to 40 + i % 9).
    const targets = lines.filter((_, i) => i % 30 === 0).slice(0, SIZE.writes);
    const target = (i: number) => 40 + (i % 9);
    at.maxInFlight = 0;
    const writes = await timedWriteBacks(
      world,
      'autotask',
      targets.map((cs, i) => ({ externalId: String(cs.id), quantity: target(i) })),
      served,
    );
    const exactlyOnce =
      writes.written === targets.length &&
      targets.every((cs, i) => at.currentUnits(cs.id) === target(i) && at.adjustmentsPosted.get(cs.id) === 1);
    const budget = world.deps.budgetOf(world.connection);
    return {
      latencyMs,
      full: { ...full, floorSeconds: await latencyFloor(at, full.requests) },
      writes: {
        seconds: writes.seconds,
        requests: writes.requests,
        floorSeconds: await latencyFloor(at, writes.requests),
        exactlyOnce,
        maxInFlight: at.maxInFlight,
        usedLastHour: budget?.usedLastHour ?? -1,
        hourlyShare: budget?.hourlyShare ?? AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
        budgetState: budget?.state ?? 'none',
      },
    };
  } finally {
    await world.close();
    await at.stop();
  }
}

export function describeAutotask(r: AutotaskBenchResult): string {
  const row = phaseRow;
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
