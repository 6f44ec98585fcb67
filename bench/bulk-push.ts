/**
 * A vendor's nightly full push of one MSP — 2,000 accounts × 10 services = 20,000 counts — through
 * the bulk route, 5,000 items a request, one request after another as a client would send them,
 * waiting out 429s as their Retry-After says. On SQLite and on PostgreSQL. Every count is checked
 * to be committed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/core/ports.js';
import { openPostgresStore } from '../src/storage/postgres/open.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { startServerProcess, stopProcess } from '../test/support/process.js';
import { committedCounts, fmt, seedMapped } from './support.js';

const BENCH_DATABASE_URL = process.env.TALLY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ITEMS_PER_REQUEST = 5000;

export interface BulkPushResult {
  label: string;
  counts: number;
  elapsedMs: number;
  requests: number;
  rateLimitedWaits: number;
  committed: number;
}

async function push(store: 'sqlite' | 'postgres'): Promise<BulkPushResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bulk-'));
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const url = `${BENCH_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const file = join(dir, 'bench.db');
  const open = (): Promise<Store> =>
    store === 'sqlite' ? openSqliteStore({ file }) : openPostgresStore({ url, poolSize: 2 });
  try {
    const seed = await open();
    process.stderr.write(`bulk push (${store}): seeding 2,000 accounts × 10 services… `);
    const { integrations } = await seedMapped(seed, { integrations: 1, accounts: 2000, services: 10 });
    const before = await committedCounts(seed);
    await seed.close();
    process.stderr.write('done\n');
    const integration = integrations[0];
    if (!integration) throw new Error('nothing seeded');
    const items = integration.accountIds.flatMap((accountId, a) =>
      integration.skuIds.map((serviceId, s) => ({ serviceId, accountId, unitCount: (a + s) % 50 })),
    );
    const { child, baseUrl } = await startServerProcess(
      store === 'sqlite' ? ['--db', file] : ['--database-url', url],
      {
        TALLY_RATE_LIMIT_PER_SECOND: '100',
      },
    );
    try {
      let requests = 0;
      let waits = 0;
      const startedMs = performance.now();
      for (let i = 0; i < items.length;) {
        const response = await fetch(`${baseUrl}/api/vendor-api/counts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'gradient-token': integration.token },
          body: JSON.stringify({ items: items.slice(i, i + ITEMS_PER_REQUEST) }),
        });
        requests++;
        if (response.status === 429) {
          waits++;
          await response.arrayBuffer();
          await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
          continue;
        }
        const body = (await response.json()) as { data?: { accepted: number } };
        if (
          response.status !== 200 ||
          body.data?.accepted !== Math.min(ITEMS_PER_REQUEST, items.length - i)
        ) {
          throw new Error(`bulk request answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
        }
        i += ITEMS_PER_REQUEST;
      }
      const elapsedMs = performance.now() - startedMs;
      await stopProcess(child);
      const check = await open();
      const committed = (await committedCounts(check)) - before;
      await check.close();
      return {
        label: store === 'sqlite' ? 'SQLite' : 'PostgreSQL',
        counts: items.length,
        elapsedMs,
        requests,
        rateLimitedWaits: waits,
        committed,
      };
    } finally {
      await stopProcess(child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (store === 'postgres') {
      const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

export async function measureBulkPush(): Promise<BulkPushResult[]> {
  return [await push('sqlite'), await push('postgres')];
}

export const describeBulkPush = (runs: BulkPushResult[]): string =>
  runs
    .map(
      (r) =>
        `bulk push, ${r.label}: ${r.counts} counts in ${fmt(r.elapsedMs / 1000, 2)} s ` +
        `(${r.requests} requests, ${r.rateLimitedWaits} waits after a 429), committed ${r.committed}` +
        (r.committed === r.counts ? ' (all)' : ' (MISSING)'),
    )
    .join('\n');
