/** What tests that need a PostgreSQL server share: whether to skip them, and schemas of their own. */
import pg from 'pg';
import { TEST_DATABASE_URL } from '../support/stores.js';

const reachable = async (url: string): Promise<boolean> => {
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => {});
  }
};

/**
 * The skip reason for tests that need PostgreSQL: none when it answers, or in CI, where a missing
 * server must fail the run instead of hiding it. `what` names the tests in the warning.
 */
export async function postgresSkipReason(what: string): Promise<string | false> {
  if (process.env.CI === 'true' || (await reachable(TEST_DATABASE_URL))) return false;
  const reason = `PostgreSQL is not reachable at ${TEST_DATABASE_URL}; ${what} SKIPPED (CI=true makes this fail)`;
  console.warn(reason);
  return reason;
}

/** The test database's URL with every connection put in `schema`, as an operator would pass it. */
export const urlWithSchema = (schema: string): string =>
  `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/** Drops a schema a test made, with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
