/**
 * `tally migrate-to` round-trips a demo database: every table of the SQLite file arrives in
 * PostgreSQL with exactly the same rows, and the copy serves the same vendors, keys and views.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { BuildScheduler } from '../../src/core/builds/scheduler.js';
import { systemClock } from '../../src/core/clock.js';
import type { CoreContext } from '../../src/core/context.js';
import { setUnitCount } from '../../src/core/counts/set-unit-count.js';
import { type DemoSeed, seedDemo } from '../../src/cli/demo/seed-demo.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { tally, tempDir } from '../cli/cli-harness.js';
import { call, startServer } from '../support/harness.js';
import { dropSchema, postgresSkipReason, urlWithSchema } from './postgres-support.js';

const skip = await postgresSkipReason('tally migrate-to tests');
const WINDOW = { quietMs: 2000, maxWaitMs: 30_000 };

/**
 * The demo, built once (billing rows, a finished build), then one more count so an unbuilt,
 * scheduled change must carry over too; plus an idempotency record, an alert and its ticket.
 */
async function seedSource(file: string): Promise<DemoSeed> {
  const store = await openSqliteStore({ file });
  const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
  try {
    const seed = await seedDemo(ctx, WINDOW);
    const scheduler = new BuildScheduler(ctx, { leaseMs: 60_000, pollMs: 1000 });
    await scheduler.start({ soleProcess: true });
    await scheduler.flush(seed.integration.id, 10_000);
    await scheduler.stop();
    await setUnitCount(ctx, WINDOW, {
      integration: (await store.getIntegration(seed.integration.id)) ?? seed.integration,
      serviceId: seed.sample.serviceId,
      account: { accountId: seed.sample.accountId },
      unitCount: 99.5,
      noBuild: false,
      requestId: 'after-the-build',
      idempotency: { key: 'retry-1', bodyHash: 'body-digest', ttlMs: 86_400_000 },
    });
    const nowMs = Date.now();
    await store.insertAlert({
      messageId: randomIds.uuid(),
      integrationId: seed.integration.id,
      accountId: seed.sample.accountId,
      alertId: 'vendor-alert-1',
      correlationId: randomIds.objectId(),
      payloadJson: '{"title":"Backup failed"}',
      status: 'success',
      ticketId: 'ticket-1',
      statusCode: null,
      errorsJson: null,
      createdAtMs: nowMs,
      processedAtMs: nowMs + 1,
    });
    await store.insertTicket({
      id: 'ticket-1',
      partnerId: seed.partner.id,
      companyId: null,
      integrationId: seed.integration.id,
      title: 'Backup failed',
      description: '',
      priority: 2,
      status: 1,
      dueAtMs: null,
      createdAtMs: nowMs,
    });
    return seed;
  } finally {
    await store.close();
  }
}

/** Every row of every Tally table in the SQLite file, as column-ordered arrays, per table. */
function sqliteTables(file: string): Map<string, { columns: string[]; rows: unknown[][] }> {
  const db = new Database(file, { readonly: true });
  try {
    const names = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((name) => !name.startsWith('sqlite_') && !name.startsWith('kysely_'));
    return new Map(
      names.map((name) => {
        const columns = (db.pragma(`table_info("${name}")`) as { name: string }[]).map((c) => c.name);
        return [name, { columns, rows: db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][] }];
      }),
    );
  } finally {
    db.close();
  }
}

/** The same tables read from PostgreSQL, columns in the SQLite order. */
async function postgresTables(url: string, shape: Map<string, { columns: string[] }>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = new Map<string, unknown[][]>();
    for (const [name, { columns }] of shape) {
      const result = await client.query({
        text: `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${name}"`,
        rowMode: 'array',
      });
      tables.set(name, result.rows as unknown[][]);
    }
    return tables;
  } finally {
    await client.end();
  }
}

/** Rows in a canonical order: the engines need not return them in the same one. */
const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

describe('tally migrate-to', { skip }, () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'source.db');
  const schema = `m_${randomBytes(6).toString('hex')}`;
  const url = urlWithSchema(schema);
  let seed: DemoSeed;

  before(async () => {
    seed = await seedSource(file);
  });
  after(async () => {
    cleanup();
    await dropSchema(schema);
  });

  /** Asserts that PostgreSQL holds exactly the SQLite file's rows, table by table. */
  async function assertSameRows(): Promise<number> {
    const source = sqliteTables(file);
    const target = await postgresTables(url, source);
    let rows = 0;
    for (const [name, { rows: expected }] of source) {
      assert.deepEqual(sorted(target.get(name) ?? []), sorted(expected), `table ${name}`);
      rows += expected.length;
    }
    for (const name of [
      'vendors',
      'count_history',
      'build_states',
      'billing_rows',
      'waiting_counts',
      'tickets',
    ]) {
      assert.ok((source.get(name)?.rows.length ?? 0) > 0, `the demo filled ${name}, so its copy is tested`);
    }
    return rows;
  }

  test('copies every table of a demo database exactly, with progress on stderr', async () => {
    const result = await tally(['migrate-to', '--db', file, '--database-url', url, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Copying .*source\.db into postgres:/m);
    assert.match(result.stderr, /^copied count_history: \d+ rows$/m);
    const report = JSON.parse(result.stdout) as { tables: { name: string; rows: number }[] };
    const copied = await assertSameRows();
    assert.equal(
      report.tables.reduce((sum, t) => sum + t.rows, 0),
      copied,
      'the report counts what was copied',
    );
  });

  test('refuses a target that holds rows, and --force replaces them', async () => {
    const refused = await tally(['migrate-to', '--db', file, '--database-url', url]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /error: The target database is not empty: .*vendors.* hold rows; nothing was copied/,
    );
    assert.match(refused.stderr, /hint: .*--force/);
    await assertSameRows();

    const forced = await tally(['migrate-to', '--db', file, '--database-url', url, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^Copied \d+ rows in \d+ tables/);
    assert.match(forced.stderr, /^emptying \d+ tables of the target$/m);
    await assertSameRows();
  });

  test('the copy serves the same keys and views, and new history rows get fresh ids', async () => {
    const store = await openPostgresStore({ url });
    const server = await startServer({ store });
    try {
      const organization = await call(server.baseUrl, 'GET', '/api/vendor-api/organization', {
        token: seed.gradientToken,
      });
      assert.equal(organization.status, 200, 'the vendor key and partner key digests carried over');
      assert.equal(organization.body.billing.builds, 1);
      assert.equal(
        organization.body.billing.unbuiltChanges,
        1,
        'the change made after the build still waits',
      );
      const billing = await call(server.baseUrl, 'GET', '/api/partner/billing', {
        bearer: seed.partnerToken,
      });
      assert.equal(billing.status, 200, 'the partner token digest carried over');
      assert.ok(billing.body.cards.length > 0);

      const [newest] = await store.listHistory(seed.integration.id, { limit: 1 });
      await store.appendHistory({
        integrationId: seed.integration.id,
        accountId: seed.sample.accountId,
        serviceId: seed.sample.serviceId,
        atMs: Date.now(),
        unitCount: 1,
        previousUnitCount: 99.5,
        revision: 100,
        requestId: 'after-the-move',
        idempotencyKey: null,
      });
      const [added] = await store.listHistory(seed.integration.id, { limit: 1 });
      assert.equal(added?.requestId, 'after-the-move');
      assert.ok((added?.id ?? 0) > (newest?.id ?? Infinity), 'the id sequence starts after the copied ids');
    } finally {
      await server.close();
      await store.close();
    }
  });

  test('a missing SQLite file is reported, and not created', async () => {
    const missing = join(dir, 'missing.db');
    const result = await tally(['migrate-to', '--db', missing, '--database-url', url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: There is no SQLite database at .*missing\.db\nhint: .*--db/);
    assert.throws(() => new Database(missing, { fileMustExist: true }), 'no file was left behind');
  });
});
