import type { CoreContext } from '../../context.js';
import { FileRefusedError } from '../../errors.js';
import { plural } from '../names.js';
import type { ImportRow } from './rows.js';
import { type ScanInput, scanImport } from './scan-import.js';
import { writeImport } from './write-import.js';

export interface ImportResult {
  /** Rows that created or changed something. */
  imported: number;
  created: number;
  updated: number;
}

/**
 * Imports a file all or nothing. The file is read and checked as it streams, keeping only the valid
 * rows (so memory grows with the rows, not the bytes, and importMaxBytes bounds both); any bad row
 * fails the whole import with every error listed. The writes then happen in one transaction.
 */
export async function commitImport(ctx: CoreContext, input: ScanInput): Promise<ImportResult> {
  const rows: ImportRow[] = [];
  const scan = await scanImport(ctx.store, input, (row) => rows.push(row));
  if (scan.errors.length > 0) {
    throw new FileRefusedError(
      `${plural(scan.errors.length, 'row')} of ${scan.rows} cannot be imported; nothing was imported`,
      scan.errors,
    );
  }
  const nowMs = ctx.clock.nowMs();
  const { created, updated } = await ctx.store.transaction((tx) =>
    writeImport(tx, ctx.ids, { partnerId: input.partnerId, kind: input.kind, rows, nowMs }),
  );
  return { imported: created + updated, created, updated };
}
