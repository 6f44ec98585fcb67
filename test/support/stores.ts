import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../src/core/ports.js';
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';

/** Where PostgreSQL tests connect; CI and the development machines run one here. */
export const TEST_DATABASE_URL =
  process.env.TALLY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Which store the HTTP suites run on: `sqlite` (default) or `postgres`. */
export const testStoreKind = (): 'sqlite' | 'postgres' =>
  process.env.TALLY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh, empty store of the configured kind: SQLite in memory, or a PostgreSQL schema of its own. */
export async function openTestStore(kind = testStoreKind()): Promise<Store> {
  if (kind === 'sqlite') return openSqliteStore({ file: ':memory:' });
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  return {
    ...store,
    async close() {
      await store.close();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
