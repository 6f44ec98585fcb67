import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store } from '../../core/ports.js';
import { migrateToLatest } from '../migrate.js';
import { createRepo } from '../repo/index.js';
import type { Database as Schema } from '../schema.js';
import { sqliteMigrations } from './migrations.js';
import { sqliteCountBatchStore } from './count-batch-store.js';
import { cachingDatabase } from './statement-cache.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' for a throwaway database. */
  file: string;
  /** FULL makes every commit reach the disk before a 201 is sent; NORMAL survives process crashes only. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The embedded store: one SQLite connection in WAL mode. Kysely's SQLite driver hands the single
 * connection to one transaction at a time, so transactions never interleave and readers outside
 * a transaction never see half of one.
 */
export async function openSqliteStore(options: SqliteOptions): Promise<Store> {
  const sqlite = new Database(options.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  const appliedMigrations = await migrateToLatest(db, sqliteMigrations);
  return {
    ...createRepo(db, 'sqlite'),
    ...sqliteCountBatchStore(sqlite, db),
    dialect: 'sqlite',
    appliedMigrations,
    transaction: (fn) => db.transaction().execute((trx) => fn(createRepo(trx, 'sqlite'))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
