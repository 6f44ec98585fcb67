import type { Store } from '../core/ports.js';
import { openPostgresStore } from './postgres/open.js';
import { openSqliteStore } from './sqlite/open.js';

export interface StoreConfig {
  databaseUrl: string | null;
  sqliteFile: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
}

/** PostgreSQL when a database URL is configured, the embedded SQLite file otherwise. */
export const openStore = (config: StoreConfig): Promise<Store> =>
  config.databaseUrl
    ? openPostgresStore({ url: config.databaseUrl })
    : openSqliteStore({ file: config.sqliteFile, synchronous: config.sqliteSynchronous });
