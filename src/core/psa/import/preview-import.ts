import type { CoreContext } from '../../context.js';
import { type Scan, type ScanInput, scanImport } from './scan-import.js';

/** Checks an import file without writing anything: how many rows, which are bad and why, a sample. */
export const previewImport = (ctx: CoreContext, input: ScanInput): Promise<Scan> =>
  scanImport(ctx.store, input);
