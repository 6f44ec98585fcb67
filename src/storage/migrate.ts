import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * Applies numbered SQL steps with Kysely's migrator, which records what ran and takes a lock so two
 * processes starting together do not both migrate.
 *
 * `migrationTableSchema` pins the migrator's own tables to one PostgreSQL schema. Without it the
 * migrator looks for them in every schema of the database, finds another schema's copies (a second
 * deployment, or a concurrent test run) and then fails to read a lock table that is not on its path.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  steps: Record<string, string>,
  migrationTableSchema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    ...(migrationTableSchema !== undefined && { migrationTableSchema }),
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          Object.entries(steps).map(([name, text]) => [
            name,
            {
              up: async (trx: Kysely<unknown>) => {
                for (const statement of splitStatements(text)) await sql.raw(statement).execute(trx);
              },
            },
          ]),
        ),
    },
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Nothing was applied yet when the lookup failed, so trying again is safe.
    if (attempt < CATALOG_RACE_ATTEMPTS && isCatalogRace(error)) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

const CATALOG_RACE_ATTEMPTS = 5;

/**
 * Before migrating, Kysely's migrator looks its own tables up by listing the columns of every table
 * in every schema of the database. When another schema changes meanwhile (another deployment, or a
 * concurrent test run, creating or dropping its tables), that listing can name a column or table
 * that is gone by the time PostgreSQL describes it, and fails with one of these errors.
 */
function isCatalogRace(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === '42703' || code === '42P01' || code === '3F000') return true;
  return code === 'XX000' && typeof message === 'string' && message.includes('cache lookup failed');
}

/** Our migration texts contain no semicolons inside literals, so splitting on ';' is safe. */
const splitStatements = (text: string): string[] =>
  text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
