/**
 * Accepted Set-unit-count calls per second against a trivial route of the same server, measured in
 * the same run, with latencies and the server's peak memory. Every 201 is checked to be committed.
 */
import type autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import type { Store } from '../src/core/ports.js';
import { freePort, startServerProcess, stopProcess } from '../test/support/process.js';
import { committedCounts, countLoad, fmt, peakRssMiB, runLoad, seedMapped, statusCounts } from './support.js';

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
  /** Also measure the floor server (bench/floor-server.ts) on the same load, just before. */
  floor?: boolean;
}

export interface ThroughputResult {
  label: string;
  /** The floor server's counts/s on the same load, when measured. */
  floorRps: number | null;
  floorP99Ms: number | null;
  floorNon201: number;
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

  const floor = options.floor ? await startFloor(dir, integrations) : null;
  const { child, baseUrl } = await startServerProcess(serverArgs, {
    TALLY_RATE_LIMIT_PER_SECOND: '100',
    ...options.env,
  });
  try {
    const common = { connections: options.connections };
    await runLoad({ ...common, duration: 2, url: `${baseUrl}/healthz` }); // warm-up
    process.stderr.write(`baseline: GET /healthz for ${options.durationS}s…\n`);
    const baseline = await runLoad({ ...common, duration: options.durationS, url: `${baseUrl}/healthz` });

    const load = countLoad(integrations);
    const accepted201 = (r: autocannon.Result) => statusCounts(r)['201']?.count ?? 0;
    const warmAccepted = accepted201(
      await runLoad({ ...common, url: baseUrl, duration: 2, requests: [load.request] }),
    );
    if (floor) await runLoad({ ...common, url: floor.url, duration: 2, requests: [load.request] });
    // The machine is shared: the floor and Tally take turns in short phases, so both see the same noise.
    const rounds = floor ? 2 : 1;
    const phaseS = options.durationS / rounds;
    const tallyPhases: autocannon.Result[] = [];
    const floorPhases: autocannon.Result[] = [];
    for (let round = 0; round < rounds; round++) {
      if (floor) {
        process.stderr.write(`floor: POST …/count for ${phaseS}s…\n`);
        floorPhases.push(
          await runLoad({ ...common, url: floor.url, duration: phaseS, requests: [load.request] }),
        );
      }
      process.stderr.write(`counts: POST …/count for ${phaseS}s over ${integrations.length} tokens…\n`);
      tallyPhases.push(
        await runLoad({ ...common, url: baseUrl, duration: phaseS, requests: [load.request] }),
      );
    }
    const peak = peakRssMiB(child.pid as number);
    await stopProcess(child);
    if (floor) await stopProcess(floor.child);

    const check = await openStore();
    const committed = (await committedCounts(check)) - historyBefore;
    await check.close();
    const accepted = tallyPhases.reduce((sum, r) => sum + accepted201(r), 0);
    const rps = (phases: autocannon.Result[]) =>
      phases.reduce((sum, r) => sum + r.requests.average, 0) / phases.length;
    const worst = (phases: autocannon.Result[], pick: (r: autocannon.Result) => number) =>
      Math.max(...phases.map(pick));
    const non201 = (phases: autocannon.Result[]) =>
      phases
        .flatMap((r) => Object.entries(statusCounts(r)))
        .filter(([code]) => code !== '201')
        .reduce((sum, [, v]) => sum + (v?.count ?? 0), 0);
    const countRps = rps(tallyPhases);
    return {
      label: options.label ?? 'sqlite',
      floorRps: floor ? rps(floorPhases) : null,
      floorP99Ms: floor ? worst(floorPhases, (r) => r.latency.p99) : null,
      floorNon201: non201(floorPhases),
      baselineRps: baseline.requests.average,
      countRps,
      ratio: countRps / baseline.requests.average,
      countP50Ms: worst(tallyPhases, (r) => r.latency.p50),
      countP99Ms: worst(tallyPhases, (r) => r.latency.p99),
      baselineP99Ms: baseline.latency.p99,
      accepted,
      committed: committed - warmAccepted,
      non201: non201(tallyPhases),
      peakRssMiB: peak,
    };
  } finally {
    await stopProcess(child);
    if (floor) await stopProcess(floor.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the floor server (bench/floor-server.ts) on its own SQLite file with the seeded tokens. */
async function startFloor(
  dir: string,
  integrations: Awaited<ReturnType<typeof seedMapped>>['integrations'],
): Promise<{ child: ChildProcess; url: string }> {
  const tokensFile = join(dir, 'floor-tokens.json');
  writeFileSync(
    tokensFile,
    JSON.stringify(Object.fromEntries(integrations.map((i) => [i.token, i.integrationId]))),
  );
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/floor-server.ts', join(dir, 'floor.db'), tokensFile, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

export const describeThroughput = (r: ThroughputResult): string =>
  [
    ...(r.floorRps === null
      ? []
      : [
          `${r.label}: counts ${fmt(r.countRps, 0)} req/s vs floor server ${fmt(r.floorRps, 0)} req/s → ratio ${fmt(r.countRps / r.floorRps, 2)} (floor p99 ${fmt(r.floorP99Ms ?? NaN)} ms, floor non-201s ${r.floorNon201})`,
        ]),
    `${r.label}: counts ${fmt(r.countRps, 0)} req/s vs /healthz ${fmt(r.baselineRps, 0)} req/s → ratio ${fmt(r.ratio, 2)}`,
    `  count latency p50 ${fmt(r.countP50Ms)} ms, p99 ${fmt(r.countP99Ms)} ms (baseline p99 ${fmt(r.baselineP99Ms)} ms)`,
    // Requests still in flight when the load stops are committed but never counted by the client.
    `  201s ${r.accepted}, committed ${r.committed}${r.committed >= r.accepted ? ' (every 201 committed)' : ' (LOST COUNTS)'}, other statuses ${r.non201}`,
    `  server peak RSS ${fmt(r.peakRssMiB, 0)} MiB`,
  ].join('\n');
