import type { PsaKind, PsaRef } from '../../core/model.js';

interface PsaColumns {
  source: string;
  external_id: string | null;
  external_code: string | null;
}

/** The columns that say where a ledger row comes from ('tally' and no external id when made in Tally). */
export const psaColumns = (row: { psa?: PsaRef }): PsaColumns => ({
  source: row.psa?.kind ?? 'tally',
  external_id: row.psa?.externalId ?? null,
  external_code: row.psa?.code ?? null,
});

/** `{ psa }` for a synced row, nothing for a row made in Tally (so hand-made records stay as they were). */
export const psaRefOf = (r: PsaColumns): { psa?: PsaRef } =>
  r.source === 'tally' || r.external_id === null
    ? {}
    : { psa: { kind: r.source as PsaKind, externalId: r.external_id, code: r.external_code } };
