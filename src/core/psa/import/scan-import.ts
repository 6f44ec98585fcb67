import type { Readable } from 'node:stream';
import { IMPORT_CHUNK_ROWS } from '../../limits/input-limits.js';
import type { Repo } from '../../ports.js';
import { type ImportKind, checkColumnMap, resolveColumns } from './fields.js';
import { type LineError, readCsv, readHeader } from './read-csv.js';
import { type ImportRow, type Lookups, type NameIndex, cells, readRow } from './rows.js';

export interface ScanInput {
  partnerId: string;
  kind: ImportKind;
  source: Readable;
  /** `column.<field>=<header>` mappings; unmapped fields use the header named like the field. */
  columns: Record<string, string>;
  maxBytes: number;
}

export interface Scan {
  /** Data rows read (the header not counted). */
  rows: number;
  valid: number;
  /** Every bad row, in line order. */
  errors: LineError[];
  /** The first few valid rows as they would be imported. */
  sample: Record<string, unknown>[];
}

const SAMPLE_ROWS = 5;

const nameIndex = (items: { id: string; name: string }[]): NameIndex => {
  const index: NameIndex = new Map();
  for (const { id, name } of items) {
    const key = name.toLowerCase();
    index.set(key, index.has(key) ? null : id);
  }
  return index;
};

async function lookups(repo: Repo, partnerId: string, kind: ImportKind): Promise<Lookups> {
  if (kind !== 'agreement-lines') return { companies: new Map(), products: new Map() };
  return {
    companies: nameIndex((await repo.listCompanies(partnerId, {})).rows),
    products: nameIndex(await repo.listProducts(partnerId)),
  };
}

/**
 * Reads and checks an import file row by row as it streams in. Only the outcome is kept — counts,
 * errors, a sample — plus each valid row handed to `keep` (a commit keeps them; a preview does not),
 * so a preview of a file of any size needs little memory.
 */
export async function scanImport(
  repo: Repo,
  input: ScanInput,
  keep: (row: ImportRow, line: number) => void = () => {},
  /** Sees the header and each bad row's cells, for a file of the rows an import skipped. */
  skip?: { header: (names: string[]) => void; row: (line: number, fields: string[]) => void },
): Promise<Scan> {
  checkColumnMap(input.kind, input.columns);
  const known = await lookups(repo, input.partnerId, input.kind);
  const scan: Scan = { rows: 0, valid: 0, errors: [], sample: [] };
  const unreadable: LineError[] = [];
  // The parser may report several problems with one record; the first says enough.
  const records = readCsv(input.source, input.maxBytes, (error) => {
    if (unreadable.at(-1)?.line !== error.line) unreadable.push(error);
  });
  const header = await readHeader(records);
  skip?.header(header);
  const columns = resolveColumns(input.kind, header, input.columns);
  for await (const record of records) {
    scan.rows += 1;
    // Other requests get their turn between steps of a long file.
    if (scan.rows % IMPORT_CHUNK_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
    // PostgreSQL text cannot hold U+0000; refusing it here keeps both engines alike.
    if (record.fields.some((field) => field.includes('\u0000'))) {
      scan.errors.push({ line: record.line, reason: 'the row contains a NUL (\\u0000) character' });
      skip?.row(record.line, []);
      continue;
    }
    const outcome = readRow(input.kind, cells(record.fields, columns), known);
    if ('reason' in outcome) {
      scan.errors.push({ line: record.line, reason: outcome.reason });
      skip?.row(record.line, record.fields);
      continue;
    }
    scan.valid += 1;
    keep(outcome.row, record.line);
    if (scan.sample.length < SAMPLE_ROWS) scan.sample.push(outcome.shown);
  }
  // Records the parser skipped are rows too, and bad ones.
  scan.rows += unreadable.length;
  scan.errors.push(...unreadable);
  scan.errors.sort((a, b) => a.line - b.line);
  return scan;
}
