import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Store } from '../../core/ports.js';
import { migrateToLatest } from '../migrate.js';
import { createRepo } from '../repo/index.js';
import type { Database as Schema } from '../schema.js';
import { postgresMigrations } from './migrations.js';

// Times and money are BIGINT columns; they stay far below 2^53, so plain numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  url: string;
  /** A schema to use instead of public (tests give each file its own). Created if missing. */
  schema?: string;
  poolSize?: number;
}

/** The cluster store: a pooled PostgreSQL connection shared by any number of Tally processes. */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const schema = options.schema;
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
    const admin = new pg.Client({ connectionString: options.url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const appliedMigrations = await migrateToLatest(db, postgresMigrations, schema ?? 'public');
  return {
    ...createRepo(db, 'postgres'),
    dialect: 'postgres',
    appliedMigrations,
    transaction: (fn) => db.transaction().execute((trx) => fn(createRepo(trx, 'postgres'))),
    close: () => db.destroy(),
  };
}
