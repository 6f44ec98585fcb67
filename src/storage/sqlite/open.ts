import type { FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store } from '../../core/ports.js';
import { migrateToLatest } from '../migrate.js';
import { createRepo } from '../repo/index.js';
import type { Database as Schema } from '../schema.js';
import { sqliteMigrations } from './migrations.js';
import { sqliteCountBatchStore } from './count-batch-store.js';
import { explainOpenFailure } from './open-error.js';
import { cachingDatabase } from './statement-cache.js';
import { WalSync } from './wal-sync.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' for a throwaway database. */
  file: string;
  /** FULL makes every commit reach the disk before a 201 is sent; NORMAL survives process crashes only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How the log is flushed after count batches (fsync by default); tests watch or hold it. */
  flushLog?: (file: FileHandle) => Promise<void>;
}

/**
 * The embedded store: one SQLite connection in WAL mode. Kysely's SQLite driver hands the single
 * connection to one transaction at a time, so transactions never interleave and readers outside
 * a transaction never see half of one.
 */
export async function openSqliteStore(options: SqliteOptions): Promise<Store> {
  let sqlite: Database.Database | undefined;
  let db: Kysely<Schema> | undefined;
  let appliedMigrations: string[];
  // Everything that touches the file first happens here, so a bad file is named and explained.
  try {
    sqlite = new Database(options.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
    appliedMigrations = await migrateToLatest(db, sqliteMigrations);
  } catch (error) {
    if (db) await db.destroy().catch(() => undefined);
    else sqlite?.close();
    throw explainOpenFailure(error, options.file);
  }
  const opened = db;
  // Count batches flush the log off the event loop (see WalSync); a database in memory has no log.
  const walSync =
    (options.synchronous ?? 'FULL') === 'FULL' && !(sqlite as Database.Database).memory
      ? new WalSync(`${(sqlite as Database.Database).name}-wal`, options.flushLog)
      : undefined;
  return {
    ...createRepo(opened, 'sqlite'),
    ...sqliteCountBatchStore(sqlite as Database.Database, opened, walSync),
    dialect: 'sqlite',
    appliedMigrations,
    transaction: (fn) => opened.transaction().execute((trx) => fn(createRepo(trx, 'sqlite'))),
    ping: async () => {
      await sql`select 1`.execute(opened);
    },
    close: async () => {
      await walSync?.close();
      await opened.destroy();
    },
  };
}
