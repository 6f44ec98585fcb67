/**
 * Accepted Set-unit-count calls per second against a trivial route of the same server, measured in
 * the same run, with latencies and the server's peak memory. Every 201 is checked to be committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import type { Store } from '../src/core/ports.js';
import { startServerProcess, stopProcess } from '../test/support/process.js';
import { committedCounts, countLoad, fmt, peakRssMiB, runLoad, seedMapped } from './support.js';

export interface ThroughputOptions {
  durationS: number;
  connections: number;
  integrations: number;
  /** Server arguments selecting the store, e.g. ['--db', file] or ['--database-url', url]. */
  serverArgs?: string[];
  /** Opens the store the server will use, to seed it and to count what was committed. */
  openStore?: () => Promise<Store>;
  label?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
}

export interface ThroughputResult {
  label: string;
  baselineRps: number;
  countRps: number;
  ratio: number;
  countP50Ms: number;
  countP99Ms: number;
  baselineP99Ms: number;
  accepted: number;
  committed: number;
  non201: number;
  peakRssMiB: number;
}

export async function measureCountThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  const file = join(dir, 'bench.db');
  const openStore = options.openStore ?? (() => openSqliteStore({ file }));
  const serverArgs = options.serverArgs ?? ['--db', file];
  const seedStore = await openStore();
  process.stderr.write(`seeding ${options.integrations} integrations… `);
  const { integrations } = await seedMapped(seedStore, {
    integrations: options.integrations,
    accounts: 20,
    services: 2,
  });
  const historyBefore = await committedCounts(seedStore);
  await seedStore.close();
  process.stderr.write('done\n');

  const { child, baseUrl } = await startServerProcess(serverArgs, {
    TALLY_RATE_LIMIT_PER_SECOND: '100',
    ...options.env,
  });
  try {
    const common = { url: baseUrl, connections: options.connections, duration: options.durationS };
    await runLoad({ ...common, duration: 2, url: `${baseUrl}/healthz` }); // warm-up
    process.stderr.write(`baseline: GET /healthz for ${options.durationS}s…\n`);
    const baseline = await runLoad({ ...common, url: `${baseUrl}/healthz` });

    const load = countLoad(integrations);
    const countRequest = load.request;
    const warm = await runLoad({ ...common, duration: 2, requests: [countRequest] });
    const warmAccepted =
      (warm.statusCodeStats as unknown as Record<string, { count: number }>)['201']?.count ?? 0;
    process.stderr.write(
      `counts: POST …/count for ${options.durationS}s over ${integrations.length} tokens…\n`,
    );
    load.reset();
    const counts = await runLoad({ ...common, requests: [countRequest] });
    const peak = peakRssMiB(child.pid as number);
    await stopProcess(child);

    const check = await openStore();
    const committed = (await committedCounts(check)) - historyBefore;
    await check.close();
    const stats = counts.statusCodeStats as unknown as Record<string, { count: number }>;
    const accepted = stats['201']?.count ?? 0;
    return {
      label: options.label ?? 'sqlite',
      baselineRps: baseline.requests.average,
      countRps: counts.requests.average,
      ratio: counts.requests.average / baseline.requests.average,
      countP50Ms: counts.latency.p50,
      countP99Ms: counts.latency.p99,
      baselineP99Ms: baseline.latency.p99,
      accepted,
      committed: committed - warmAccepted,
      non201: Object.entries(stats)
        .filter(([code]) => code !== '201')
        .reduce((s, [, v]) => s + v.count, 0),
      peakRssMiB: peak,
    };
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

export const describeThroughput = (r: ThroughputResult): string =>
  [
    `${r.label}: counts ${fmt(r.countRps, 0)} req/s vs /healthz ${fmt(r.baselineRps, 0)} req/s → ratio ${fmt(r.ratio, 2)}`,
    `  count latency p50 ${fmt(r.countP50Ms)} ms, p99 ${fmt(r.countP99Ms)} ms (baseline p99 ${fmt(r.baselineP99Ms)} ms)`,
    // Requests still in flight when the load stops are committed but never counted by the client.
    `  201s ${r.accepted}, committed ${r.committed}${r.committed >= r.accepted ? ' (every 201 committed)' : ' (LOST COUNTS)'}, other statuses ${r.non201}`,
    `  server peak RSS ${fmt(r.peakRssMiB, 0)} MiB`,
  ].join('\n');
