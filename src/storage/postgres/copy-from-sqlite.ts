/**
 * Copies an embedded SQLite database into PostgreSQL, row for row: the same ids, key digests,
 * history ids and build state, so vendors' keys, partners' tokens and the debounce state carry over.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { conflict, notFound } from '../../core/errors.js';
import { openSqliteStore } from '../sqlite/open.js';
import { openPostgresStore } from './open.js';

export interface CopyOptions {
  sqliteFile: string;
  /** The target; its search_path (if any) picks the schema. */
  url: string;
  /** Empty the target's tables first instead of refusing a target that holds rows. */
  force: boolean;
  /** Told what is happening, for progress output. */
  progress: (message: string) => void;
}

export interface CopiedTable {
  name: string;
  rows: number;
}

/** PostgreSQL accepts at most 65535 parameters per statement; batches stay well below. */
const MAX_PARAMETERS = 30_000;
/** Report progress on a long table every this many rows. */
const PROGRESS_EVERY_ROWS = 10_000;

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** Tables ordered so that every table comes after the tables its foreign keys point at. */
function inDependencyOrder(source: Database.Database, tables: string[]): string[] {
  const parents = new Map(
    tables.map((table) => [
      table,
      (source.pragma(`foreign_key_list(${quote(table)})`) as { table: string }[])
        .map((fk) => fk.table)
        .filter((parent) => parent !== table),
    ]),
  );
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`Foreign keys form a cycle: ${[...path, table].join(' → ')}`);
    for (const parent of parents.get(table) ?? []) visit(parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, []);
  return ordered;
}

/** Tally's own tables in the source: everything but SQLite's and the migrator's bookkeeping. */
function sourceTables(source: Database.Database): string[] {
  const rows = source
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_%' ESCAPE '\\'`,
    )
    .all() as { name: string }[];
  return inDependencyOrder(
    source,
    rows.map((r) => r.name),
  );
}

const sourceColumns = (source: Database.Database, table: string): string[] =>
  (source.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name);

/** Fails unless the target has each table with the very same columns (both sides migrated to one version). */
async function checkTargetShape(target: pg.ClientBase, tables: Map<string, string[]>): Promise<void> {
  const { rows } = await target.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  for (const [table, columns] of tables) {
    const targetColumns = rows.filter((r) => r.table_name === table).map((r) => r.column_name);
    const missing = columns.filter((c) => !targetColumns.includes(c));
    const extra = targetColumns.filter((c) => !columns.includes(c));
    if (targetColumns.length === 0 || missing.length > 0 || extra.length > 0) {
      throw new Error(
        `The target's table ${table} does not match the source (missing: ${missing.join(', ') || '-'}; ` +
          `extra: ${extra.join(', ') || '-'}): are both on the same Tally version?`,
      );
    }
  }
}

async function tablesHoldingRows(target: pg.ClientBase, tables: string[]): Promise<string[]> {
  const holding: string[] = [];
  for (const table of tables) {
    const { rowCount } = await target.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`);
    if (rowCount) holding.push(table);
  }
  return holding;
}

/** Copies one table in multi-row INSERTs; returns the number of rows. */
async function copyTable(
  source: Database.Database,
  target: pg.ClientBase,
  table: string,
  columns: string[],
  progress: (message: string) => void,
): Promise<number> {
  const total = (source.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
  const batchRows = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const columnList = columns.map(quote).join(', ');
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch
      .map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ');
    await target.query(`INSERT INTO ${quote(table)} (${columnList}) VALUES ${values}`, batch.flat());
    const before = copied;
    copied += batch.length;
    batch = [];
    if (Math.floor(copied / PROGRESS_EVERY_ROWS) > Math.floor(before / PROGRESS_EVERY_ROWS)) {
      progress(`  ${table}: ${copied}/${total} rows`);
    }
  };
  // raw(): rows as arrays in column order, exactly as stored.
  for (const row of source
    .prepare(`SELECT ${columnList} FROM ${quote(table)}`)
    .raw()
    .iterate()) {
    batch.push(row as unknown[]);
    if (batch.length >= batchRows) await flush();
  }
  await flush();
  return copied;
}

/** Moves every serial sequence past the ids just copied, so the next row gets a fresh id. */
async function advanceSequences(target: pg.ClientBase, tables: string[]): Promise<void> {
  const { rows } = await target.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table_name: table, column_name: column } of rows) {
    if (!tables.includes(table)) continue;
    await target.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${quote(column)}), 1), MAX(${quote(column)}) IS NOT NULL)
         FROM ${quote(table)}`,
      [table, column],
    );
  }
}

/**
 * Copies every table of the SQLite file into the PostgreSQL database, in one PostgreSQL transaction
 * (a failure leaves the target as it was) and from one SQLite read snapshot. Both sides are first
 * migrated to the current schema. A missing file is `not_found`; a target that already holds rows
 * is refused (a `conflict` naming its tables) unless `force` empties it first.
 */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopiedTable[]> {
  // Checked first: opening a missing file would create an empty database and copy nothing.
  if (!existsSync(options.sqliteFile)) throw notFound(`There is no SQLite database at ${options.sqliteFile}`);
  // Opening each store applies its pending migrations, so both sides have the same tables.
  await (await openSqliteStore({ file: options.sqliteFile })).close();
  await (await openPostgresStore({ url: options.url, poolSize: 1 })).close();

  const source = new Database(options.sqliteFile, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: options.url });
  await target.connect();
  try {
    const tables = new Map(sourceTables(source).map((t) => [t, sourceColumns(source, t)]));
    const names = [...tables.keys()];
    await checkTargetShape(target, tables);
    await target.query('BEGIN');
    const holding = await tablesHoldingRows(target, names);
    if (holding.length > 0 && !options.force) {
      throw conflict(`The target database is not empty: ${holding.join(', ')} hold rows`);
    }
    if (holding.length > 0) {
      options.progress(`emptying ${holding.length} tables of the target`);
      await target.query(`TRUNCATE ${names.map(quote).join(', ')} RESTART IDENTITY`);
    }
    // One read transaction: every table comes from the same moment even if a server is writing.
    source.exec('BEGIN');
    const copied: CopiedTable[] = [];
    for (const [table, columns] of tables) {
      const rows = await copyTable(source, target, table, columns, options.progress);
      options.progress(`copied ${table}: ${rows} rows`);
      copied.push({ name: table, rows });
    }
    await advanceSequences(target, names);
    await target.query('COMMIT');
    return copied;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await target.end();
  }
}
