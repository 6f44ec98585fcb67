import type { CoreContext } from '../../context.js';
import { FileRefusedError } from '../../errors.js';
import { plural } from '../names.js';
import type { ImportRow } from './rows.js';
import { type ScanInput, scanImport } from './scan-import.js';
import type { LineError } from './read-csv.js';
import { skippedRowsCsv } from './skipped-rows.js';
import { writeImport } from './write-import.js';

export interface ImportResult {
  /** Rows that created or changed something. */
  imported: number;
  created: number;
  updated: number;
  /** With skipInvalid: the bad rows left out, why, and the file of them to fix and import again. */
  skipped?: { rows: number; errors: LineError[]; csv: string };
}

export interface CommitInput extends ScanInput {
  /** Import the valid rows and skip the bad ones, instead of refusing the whole file. */
  skipInvalid?: boolean;
}

/**
 * Imports a file all or nothing. The file is read and checked as it streams, keeping only the valid
 * rows (so memory grows with the rows, not the bytes, and importMaxBytes bounds both); any bad row
 * fails the whole import with every error listed, unless `skipInvalid` asks to import the valid rows
 * and hand the bad ones back. The rows are then staged in short transactions and swapped into the
 * ledger in one (write-import.ts), so health checks and other tenants' requests — their writes too,
 * even on SQLite's single writer — keep being served while a large file commits.
 */
export async function commitImport(ctx: CoreContext, input: CommitInput): Promise<ImportResult> {
  const rows: ImportRow[] = [];
  let header: string[] = [];
  const badFields = new Map<number, string[]>();
  const scan = await scanImport(ctx.store, input, (row) => rows.push(row), {
    header: (names) => (header = names),
    row: (line, fields) => {
      if (input.skipInvalid === true) badFields.set(line, fields);
    },
  });
  if (scan.errors.length > 0 && input.skipInvalid !== true) {
    throw new FileRefusedError(
      `${plural(scan.errors.length, 'row')} of ${scan.rows} cannot be imported; nothing was imported`,
      scan.errors,
    );
  }
  const nowMs = ctx.clock.nowMs();
  const { created, updated } = await writeImport(ctx, {
    partnerId: input.partnerId,
    kind: input.kind,
    rows,
    nowMs,
  });
  const result: ImportResult = { imported: created + updated, created, updated };
  if (input.skipInvalid === true) {
    result.skipped = {
      rows: scan.errors.length,
      errors: scan.errors,
      csv: skippedRowsCsv(header, scan.errors, badFields),
    };
  }
  return result;
}
