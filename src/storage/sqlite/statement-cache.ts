import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Enough for every distinct query Tally issues; bulk inserts of odd sizes simply fall out. */
const MAX_CACHED_STATEMENTS = 512;

/**
 * Kysely prepares every query anew; preparing costs more than running a point query, so this keeps
 * prepared statements by their SQL text and hands the same one back, oldest dropped first.
 */
export function cachingDatabase(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) return statement;
      statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}
