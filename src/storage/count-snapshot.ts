/** Row shapes of the count batch path, shared by the SQLite and PostgreSQL count stores. */
import type { LockedIntegration } from '../core/counts/batch-store.js';
import type { IntegrationStatus, Mapping, MappingKind } from '../core/model.js';
import { type BuildStateRow, msOrNull as num, toBuildState } from './rows.js';

/** A locked build-state row joined with its integration and vendor. */
export interface LockedRow extends BuildStateRow {
  status: string;
  paused_at_ms: number | string | null;
  disconnected_at_ms: number | string | null;
  key_hash: string;
  vendor_key_hash: string;
}

export const toLocked = (r: LockedRow): LockedIntegration => ({
  state: toBuildState(r),
  status: r.status as IntegrationStatus,
  pausedAtMs: num(r.paused_at_ms),
  disconnectedAtMs: num(r.disconnected_at_ms),
  partnerKeyHash: r.key_hash,
  vendorKeyHash: r.vendor_key_hash,
});

/** A mapping from its left-joined columns; undefined when there is none (no `updated_at_ms`). */
export const mappingOf = (
  integrationId: string,
  kind: MappingKind,
  itemId: string,
  targetId: string | null,
  excluded: number | boolean | null,
  updatedAtMs: number | string | null,
): Mapping | undefined =>
  updatedAtMs === null
    ? undefined
    : {
        integrationId,
        kind,
        itemId,
        targetId,
        excluded: excluded === true || Number(excluded) === 1,
        updatedAtMs: Number(updatedAtMs),
      };

/** The columns of the lock statement, the same in both dialects. */
export const LOCKED_COLUMNS = `b.*, i.status, i.paused_at_ms, i.disconnected_at_ms, i.key_hash,
  v.key_hash as vendor_key_hash
  from build_states b join integrations i on i.id = b.integration_id join vendors v on v.id = i.vendor_id`;
