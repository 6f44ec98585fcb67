import { conflict } from '../errors.js';
import { PSA_NAMES, type PsaRef } from '../model.js';

/**
 * Rows synced from a PSA belong to it: an edit in Tally would be overwritten by the next sync and
 * never reach the PSA, so it is refused with a pointer to where the change belongs.
 */
export function requireHandMade(row: { psa?: PsaRef }, what: string): void {
  if (!row.psa) return;
  const psa = PSA_NAMES[row.psa.kind];
  throw conflict(`${what} comes from ${psa}; change it in ${psa}`);
}
