import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * Applies numbered SQL steps with Kysely's migrator, which records what ran and takes a lock so two
 * processes starting together do not both migrate.
 *
 * `migrationTableSchema` pins the migrator's own tables to one PostgreSQL schema, the same one the
 * PostgreSQL dialect's introspector looks in (postgres/own-schema-dialect.ts): another schema's
 * copies (a second deployment, or a concurrent test run) are then neither found nor read.
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
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Our migration texts contain no semicolons inside literals, so splitting on ';' is safe. */
const splitStatements = (text: string): string[] =>
  text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
