/**
 * Accepted Set-unit-count calls per second on PostgreSQL with one and with two `tally serve`
 * processes, beside SQLite with one, all in the same run and with the same load. Every 201 is
 * checked to be committed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/core/ports.js';
import { openPostgresStore } from '../src/storage/postgres/open.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { type ServerProcess, startServerProcess, stopProcess } from '../test/support/process.js';
import { committedCounts, countLoad, fmt, runLoad, seedMapped, statusCounts } from './support.js';

/** Where the PostgreSQL runs connect; each run gets a schema of its own, dropped afterwards. */
const BENCH_DATABASE_URL = process.env.TALLY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ClusterRunOptions {
  store: 'sqlite' | 'postgres';
  processes: number;
  durationS: number;
  /** Connections in all, shared evenly between the processes. */
  connections: number;
  integrations: number;
  /** One busy integration: every count goes to it (its rate limit raised out of the way). */
  busy?: boolean;
  /** `TALLY_COUNT_LANES` of the processes, when not the default. */
  lanes?: number;
  /** Also write a CPU profile of each process into this folder (see profile-summary.ts). */
  profileDir?: string;
}

/** What the processes spent per accepted count during the measured phase. */
export interface CountCosts {
  /** CPU of the Tally processes (user + system, from /proc), µs per accepted count. */
  tallyCpuUs: number;
  /** CPU of the PostgreSQL backends serving them, µs per accepted count; null on SQLite. */
  databaseCpuUs: number | null;
  /** Queries sent to PostgreSQL per accepted count; null on SQLite. */
  roundTrips: number | null;
  transactions: number | null;
}

export interface ClusterRunResult {
  label: string;
  countsPerSecond: number;
  /** Latency percentiles of the slowest load generator (one per process). */
  p50Ms: number;
  p99Ms: number;
  accepted: number;
  committed: number;
  otherStatuses: number;
  costs: CountCosts;
}

/** A database for one run: the server arguments, a way to open it, and its removal. */
interface BenchDatabase {
  serverArgs: string[];
  /** PIDs of the PostgreSQL backends serving the Tally processes (none on SQLite). */
  backends: () => Promise<number[]>;
  open: () => Promise<Store>;
  remove: () => Promise<void>;
}

function sqliteDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  const file = join(dir, 'bench.db');
  return {
    serverArgs: ['--db', file],
    backends: async () => [],
    open: () => openSqliteStore({ file }),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDatabase(): BenchDatabase {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const url = `${BENCH_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${schema}`;
  return {
    serverArgs: ['--database-url', url],
    backends: async () => {
      const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
          [schema],
        );
        return rows.map((r) => r.pid);
      } finally {
        await admin.end();
      }
    },
    open: () => openPostgresStore({ url, poolSize: 4 }),
    remove: async () => {
      const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** CPU time of a process so far (user + system), in µs; 0 once it is gone. */
function cpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
/** USER_HZ: 100 on every Linux build this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

const readCalls = (file: string): { roundTrips: number; transactions: number } =>
  existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { roundTrips: number; transactions: number })
    : { roundTrips: 0, transactions: 0 };

/** What one measured slice of a configuration added up to. */
interface Slice {
  accepted: number;
  all: number;
  p50Ms: number;
  p99Ms: number;
  tallyCpuUs: number;
  databaseCpuUs: number;
  roundTrips: number;
  transactions: number;
}

/** A configuration ready to be loaded in slices: its database seeded, its processes running. */
interface PreparedRun {
  options: ClusterRunOptions;
  label: string;
  /** Loads every process at once; counts only what `measured` says, the rest is warm-up. */
  load(durationS: number, measured: boolean): Promise<Slice | null>;
  /** Stops the processes and checks that every 201 is committed. */
  finish(slices: Slice[]): Promise<ClusterRunResult>;
  remove(): Promise<void>;
}

const runLabel = (options: ClusterRunOptions): string =>
  `${options.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${options.processes} process${options.processes > 1 ? 'es' : ''}` +
  `${options.busy ? ', one busy integration' : ''}${options.lanes ? `, ${options.lanes} count lanes` : ''}`;

/** One configuration: seeds its database, starts its processes. */
async function prepareRun(options: ClusterRunOptions): Promise<PreparedRun> {
  const label = runLabel(options);
  const callsDir = mkdtempSync(join(tmpdir(), 'tally-bench-calls-'));
  const database = options.store === 'sqlite' ? sqliteDatabase() : postgresDatabase();
  const processes: ServerProcess[] = [];
  const remove = async () => {
    await Promise.all(processes.map((p) => stopProcess(p.child)));
    await database.remove();
    rmSync(callsDir, { recursive: true, force: true });
  };
  try {
    const seedStore = await database.open();
    process.stderr.write(`${label}: seeding ${options.busy ? 1 : options.integrations} integrations… `);
    const { integrations } = await seedMapped(seedStore, {
      integrations: options.busy ? 1 : options.integrations,
      accounts: 20,
      services: 2,
    });
    const seeded = await committedCounts(seedStore);
    await seedStore.close();
    process.stderr.write('done\n');
    for (let i = 0; i < options.processes; i++) {
      processes.push(
        await startServerProcess(database.serverArgs, {
          // One busy integration would otherwise meet its rate limit, which is not what is measured.
          TALLY_RATE_LIMIT_PER_SECOND: options.busy ? '1000000' : '100',
          NODE_OPTIONS: `--import ./bench/count-pg-calls.mjs${options.profileDir ? ' --import ./bench/cpu-profile.mjs' : ''}`,
          TALLY_BENCH_PG_CALLS_FILE: join(callsDir, `${i}.json`),
          ...(options.profileDir ? { TALLY_BENCH_PROFILE_DIR: options.profileDir } : {}),
          ...(options.lanes ? { TALLY_COUNT_LANES: String(options.lanes) } : {}),
        }),
      );
    }
    const callFiles = processes.map((_, i) => join(callsDir, `${i}.json`));
    const sumCalls = () =>
      callFiles.map(readCalls).reduce(
        (sum, c) => ({
          roundTrips: sum.roundTrips + c.roundTrips,
          transactions: sum.transactions + c.transactions,
        }),
        { roundTrips: 0, transactions: 0 },
      );
    const settle = () => new Promise((r) => setTimeout(r, 250));
    const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuUs(pid), 0);
    const tallyPids = processes.map((p) => p.child.pid as number);
    // One sequence across all load generators, so the integrations rotate the same way in every run.
    const countRequest = countLoad(integrations).request;
    let warmAccepted = 0;
    const loadAll = (durationS: number) =>
      Promise.all(
        processes.map((p) =>
          runLoad({
            url: p.baseUrl,
            connections: Math.max(1, Math.round(options.connections / processes.length)),
            duration: durationS,
            requests: [countRequest],
          }),
        ),
      );
    const acceptedOf = (results: Awaited<ReturnType<typeof loadAll>>) =>
      results.reduce((sum, r) => sum + (statusCounts(r)['201']?.count ?? 0), 0);

    return {
      options,
      label,
      async load(durationS, measured) {
        if (!measured) {
          warmAccepted += acceptedOf(await loadAll(durationS));
          return null;
        }
        await settle();
        const backends = await database.backends();
        const before = { tally: cpuOf(tallyPids), database: cpuOf(backends), calls: sumCalls() };
        const results = await loadAll(durationS);
        await settle();
        const after = { tally: cpuOf(tallyPids), database: cpuOf(backends), calls: sumCalls() };
        return {
          accepted: acceptedOf(results),
          all: results.reduce(
            (sum, r) => sum + Object.values(statusCounts(r)).reduce((s, v) => s + (v?.count ?? 0), 0),
            0,
          ),
          p50Ms: Math.max(...results.map((r) => r.latency.p50)),
          p99Ms: Math.max(...results.map((r) => r.latency.p99)),
          tallyCpuUs: after.tally - before.tally,
          databaseCpuUs: after.database - before.database,
          roundTrips: after.calls.roundTrips - before.calls.roundTrips,
          transactions: after.calls.transactions - before.calls.transactions,
        };
      },
      async finish(slices) {
        await Promise.all(processes.map((p) => stopProcess(p.child)));
        const check = await database.open();
        const committed = (await committedCounts(check)) - seeded - warmAccepted;
        await check.close();
        const sum = (pick: (s: Slice) => number) => slices.reduce((total, s) => total + pick(s), 0);
        const accepted = sum((s) => s.accepted);
        const pg = options.store === 'postgres';
        return {
          label,
          countsPerSecond: accepted / options.durationS,
          // The slowest slice's figures: a conservative p50 and p99 for the whole run.
          p50Ms: Math.max(...slices.map((s) => s.p50Ms)),
          p99Ms: Math.max(...slices.map((s) => s.p99Ms)),
          accepted,
          committed,
          otherStatuses: sum((s) => s.all) - accepted,
          costs: {
            tallyCpuUs: sum((s) => s.tallyCpuUs) / accepted,
            databaseCpuUs: pg ? sum((s) => s.databaseCpuUs) / accepted : null,
            roundTrips: pg ? sum((s) => s.roundTrips) / accepted : null,
            transactions: pg ? sum((s) => s.transactions) / accepted : null,
          },
        };
      },
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** How many times each configuration is loaded, in turn with the others. */
const ROUNDS = 2;

/**
 * SQLite with one process, then PostgreSQL with one and with two, under the same load; then one busy
 * integration on each; last, PostgreSQL with one process and the former default of four count lanes,
 * to show what one lane is worth in the same run. Every configuration is started first; then they
 * take turns, each loaded for half its measured time in each of two rounds (after a second of
 * warm-up each time), so that a machine whose speed drifts during the run weighs on all of them alike.
 */
export async function measureCluster(options: {
  durationS: number;
  connections: number;
  integrations: number;
  profileDir?: string;
}): Promise<ClusterRunResult[]> {
  const runs: PreparedRun[] = [];
  try {
    for (const [store, processes, busy, lanes] of [
      ['sqlite', 1, false, undefined],
      ['postgres', 1, false, undefined],
      ['postgres', 2, false, undefined],
      ['sqlite', 1, true, undefined],
      ['postgres', 1, true, undefined],
      ['postgres', 1, false, 4],
    ] as const) {
      runs.push(await prepareRun({ ...options, store, processes, busy, lanes }));
    }
    const slices = new Map<PreparedRun, Slice[]>(runs.map((run) => [run, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const run of runs) {
        process.stderr.write(`round ${round}/${ROUNDS}, ${run.label}: POST …/count\n`);
        await run.load(round === 1 ? 2 : 1, false);
        const slice = await run.load(options.durationS / ROUNDS, true);
        if (slice) slices.get(run)?.push(slice);
      }
    }
    const results: ClusterRunResult[] = [];
    for (const run of runs) results.push(await run.finish(slices.get(run) ?? []));
    return results;
  } finally {
    for (const run of runs) await run.remove();
  }
}

/**
 * Counts/s of N Tally processes, each on a core of its own, in front of a database with
 * `databaseCores` cores of its own, from the measured CPU per count: whichever side runs out of
 * CPU first. It leaves out what CPU does not show (lock waits of one busy integration, network).
 */
export function projectThroughput(costs: CountCosts, processes: number, databaseCores: number): number {
  const tallyBound = (processes * 1e6) / costs.tallyCpuUs;
  const databaseBound = costs.databaseCpuUs ? (databaseCores * 1e6) / costs.databaseCpuUs : Infinity;
  return Math.min(tallyBound, databaseBound);
}

/** The database's own cores assumed by the projection. */
export const PROJECTED_DATABASE_CORES = 4;

export function describeCluster(runs: ClusterRunResult[]): string {
  const [sqlite, pgOne, pgTwo, sqliteBusy, pgBusy, pgFourLanes] = runs;
  const lines = runs.map((r) =>
    [
      `${r.label}: ${fmt(r.countsPerSecond, 0)} counts/s, p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms`,
      `  per accepted count: Tally CPU ${fmt(r.costs.tallyCpuUs, 0)} µs` +
        (r.costs.databaseCpuUs === null
          ? ''
          : `, PostgreSQL backends CPU ${fmt(r.costs.databaseCpuUs, 0)} µs, ` +
            `${fmt(r.costs.roundTrips ?? NaN, 2)} round trips, ${fmt(r.costs.transactions ?? NaN, 3)} transactions`),
      // Requests still in flight when the load stops are committed but never counted by the client.
      `  201s ${r.accepted}, committed ${r.committed}${r.committed >= r.accepted ? ' (every 201 committed)' : ' (LOST COUNTS)'}, other statuses ${r.otherStatuses}`,
    ].join('\n'),
  );
  if (sqlite && pgOne && pgTwo) {
    lines.push(
      `ratios: PostgreSQL 1 process / SQLite ${fmt(pgOne.countsPerSecond / sqlite.countsPerSecond, 2)}, ` +
        `PostgreSQL 2 processes / 1 process ${fmt(pgTwo.countsPerSecond / pgOne.countsPerSecond, 2)}`,
    );
    lines.push(
      `projection from the PostgreSQL 1-process costs, database with ${PROJECTED_DATABASE_CORES} cores of its own: ` +
        [1, 2, 4, 8]
          .map((n) => `${n} → ${fmt(projectThroughput(pgOne.costs, n, PROJECTED_DATABASE_CORES), 0)}/s`)
          .join(', '),
    );
  }
  if (sqliteBusy && pgBusy) {
    lines.push(
      `one busy integration: PostgreSQL / SQLite ${fmt(pgBusy.countsPerSecond / sqliteBusy.countsPerSecond, 2)}`,
    );
  }
  if (pgOne && pgFourLanes) {
    lines.push(
      `PostgreSQL 1 process, one count lane / four lanes ${fmt(pgOne.countsPerSecond / pgFourLanes.countsPerSecond, 2)}`,
    );
  }
  return lines.join('\n');
}
