import type { CoreContext } from '../../context.js';
import { changeTracker, type ImportChanges } from './preview-changes.js';
import { type Scan, type ScanInput, scanImport } from './scan-import.js';

/**
 * Checks an import file without writing anything: how many rows, which are bad and why, a sample;
 * with `withChanges`, also what the valid rows would create, change (from → to), leave unchanged, and
 * which rows repeat a record an earlier row names.
 */
export async function previewImport(
  ctx: CoreContext,
  input: ScanInput,
  withChanges = false,
): Promise<Scan & { changes?: ImportChanges }> {
  if (!withChanges) return scanImport(ctx.store, input);
  const tracker = await changeTracker(ctx.store, input.partnerId, input.kind);
  const scan = await scanImport(ctx.store, input, (row, line) => tracker.see(row, line));
  return { ...scan, changes: tracker.changes };
}
