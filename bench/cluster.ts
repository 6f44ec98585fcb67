/**
 * Accepted Set-unit-count calls per second on PostgreSQL with one and with two `tally serve`
 * processes, beside SQLite with one, all in the same run and with the same load. Every 201 is
 * checked to be committed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
}

/** A database for one run: the server arguments, a way to open it, and its removal. */
interface BenchDatabase {
  serverArgs: string[];
  open: () => Promise<Store>;
  remove: () => Promise<void>;
}

function sqliteDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  const file = join(dir, 'bench.db');
  return {
    serverArgs: ['--db', file],
    open: () => openSqliteStore({ file }),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDatabase(): BenchDatabase {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const url = `${BENCH_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    serverArgs: ['--database-url', url],
    open: () => openPostgresStore({ url, poolSize: 4 }),
    remove: async () => {
      const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** One configuration: seeds 100 integrations, starts the processes, loads them all at once. */
export async function measureClusterRun(options: ClusterRunOptions): Promise<ClusterRunResult> {
  const label = `${options.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${options.processes} process${options.processes > 1 ? 'es' : ''}`;
  const database = options.store === 'sqlite' ? sqliteDatabase() : postgresDatabase();
  const processes: ServerProcess[] = [];
  try {
    const seedStore = await database.open();
    process.stderr.write(`${label}: seeding ${options.integrations} integrations… `);
    const { integrations } = await seedMapped(seedStore, {
      integrations: options.integrations,
      accounts: 20,
      services: 2,
    });
    const before = await committedCounts(seedStore);
    await seedStore.close();
    process.stderr.write('done\n');

    for (let i = 0; i < options.processes; i++) {
      processes.push(await startServerProcess(database.serverArgs, { TALLY_RATE_LIMIT_PER_SECOND: '100' }));
    }
    // One sequence across all load generators, so the integrations rotate the same way in every run.
    const countRequest = countLoad(integrations).request;
    const load = (durationS: number) =>
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
    const warm = await load(2);
    const warmAccepted = warm.reduce((sum, r) => sum + (statusCounts(r)['201']?.count ?? 0), 0);
    process.stderr.write(`${label}: POST …/count for ${options.durationS}s…\n`);
    const results = await load(options.durationS);
    await Promise.all(processes.map((p) => stopProcess(p.child)));

    const check = await database.open();
    const committed = (await committedCounts(check)) - before - warmAccepted;
    await check.close();
    const accepted = results.reduce((sum, r) => sum + (statusCounts(r)['201']?.count ?? 0), 0);
    const all = results.reduce(
      (sum, r) => sum + Object.values(statusCounts(r)).reduce((s, v) => s + (v?.count ?? 0), 0),
      0,
    );
    return {
      label,
      countsPerSecond: accepted / options.durationS,
      p50Ms: Math.max(...results.map((r) => r.latency.p50)),
      p99Ms: Math.max(...results.map((r) => r.latency.p99)),
      accepted,
      committed,
      otherStatuses: all - accepted,
    };
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p.child)));
    await database.remove();
  }
}

/** SQLite with one process, then PostgreSQL with one and with two, under the same load. */
export async function measureCluster(options: {
  durationS: number;
  connections: number;
  integrations: number;
}): Promise<ClusterRunResult[]> {
  const runs: ClusterRunResult[] = [];
  for (const [store, processes] of [
    ['sqlite', 1],
    ['postgres', 1],
    ['postgres', 2],
  ] as const) {
    runs.push(await measureClusterRun({ ...options, store, processes }));
  }
  return runs;
}

export function describeCluster(runs: ClusterRunResult[]): string {
  const [sqlite, pgOne, pgTwo] = runs;
  const lines = runs.map((r) =>
    [
      `${r.label}: ${fmt(r.countsPerSecond, 0)} counts/s, p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms`,
      // Requests still in flight when the load stops are committed but never counted by the client.
      `  201s ${r.accepted}, committed ${r.committed}${r.committed >= r.accepted ? ' (every 201 committed)' : ' (LOST COUNTS)'}, other statuses ${r.otherStatuses}`,
    ].join('\n'),
  );
  if (sqlite && pgOne && pgTwo) {
    lines.push(
      `ratios: PostgreSQL 1 process / SQLite ${fmt(pgOne.countsPerSecond / sqlite.countsPerSecond, 2)}, ` +
        `PostgreSQL 2 processes / 1 process ${fmt(pgTwo.countsPerSecond / pgOne.countsPerSecond, 2)}`,
    );
  }
  return lines.join('\n');
}
