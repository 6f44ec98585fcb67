import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../../core/ports.js';
import { migrateToLatest } from '../migrate.js';
import { createRepo } from '../repo/index.js';
import type { Database as Schema } from '../schema.js';
import { postgresCountBatchStore } from './count-batch-store.js';
import { postgresMigrations } from './migrations.js';
import { OwnSchemaPostgresDialect } from './own-schema-dialect.js';
import { assertSchemaName, schemaOfUrl } from './url-schema.js';

// Times and money are BIGINT columns; they stay far below 2^53, so plain numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  url: string;
  /**
   * A schema to use instead of public (tests give each file its own). Defaults to the search_path
   * of the URL's `options`, if any. Created if missing.
   */
  schema?: string;
  poolSize?: number;
}

/** SQLSTATEs of a CREATE SCHEMA IF NOT EXISTS that lost a race with another process doing the same. */
const SCHEMA_CREATED_CONCURRENTLY = new Set(['23505', '42P06']);

/** Creates the schema unless it exists; several processes starting together may all try. */
async function ensureSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    if (!SCHEMA_CREATED_CONCURRENTLY.has((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await admin.end();
  }
}

/** The cluster store: a pooled PostgreSQL connection shared by any number of Tally processes. */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const schema = options.schema === undefined ? schemaOfUrl(options.url) : assertSchemaName(options.schema);
  if (schema) await ensureSchema(options.url, schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new OwnSchemaPostgresDialect({ pool }, schema ?? 'public') });
  const appliedMigrations = await migrateToLatest(db, postgresMigrations, schema ?? 'public');
  return {
    ...createRepo(db, 'postgres'),
    ...postgresCountBatchStore(pool),
    dialect: 'postgres',
    appliedMigrations,
    transaction: (fn) => db.transaction().execute((trx) => fn(createRepo(trx, 'postgres'))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
