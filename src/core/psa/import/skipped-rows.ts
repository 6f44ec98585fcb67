import { stringify } from 'csv-stringify/sync';
import type { LineError } from './read-csv.js';

/**
 * The rows an import skipped, as a CSV file the partner can fix and import again: the file's own
 * columns, then the line it came from and why it was skipped. Rows the parser could not read at all
 * have only the line and the reason.
 */
export function skippedRowsCsv(header: string[], errors: LineError[], fields: Map<number, string[]>): string {
  const rows = errors.map((e) => {
    const cells = fields.get(e.line) ?? [];
    return [...header.map((_, i) => cells[i] ?? ''), String(e.line), e.reason];
  });
  return stringify(rows, { header: true, columns: [...header, 'line', 'reason'] });
}
