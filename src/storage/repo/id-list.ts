import { type RawBuilder, sql } from 'kysely';

/**
 * `column` is one of `ids`, with the whole list bound as a single parameter (a JSON array on
 * SQLite, a text array on PostgreSQL). An `in (…)` of hundreds of values costs a placeholder each to
 * compile and bind, and SQLite caps how many a statement may have; this costs one, for any number.
 */
export function idIn(column: string, ids: string[], dialect: 'sqlite' | 'postgres'): RawBuilder<boolean> {
  return dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${ids}::text[])`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
}
