/** Row conversions shared by the repositories and the count stores of both dialects. */
import type { BuildState } from '../core/model.js';

/**
 * A build-state row as a driver hands it back: PostgreSQL's bigint times arrive as strings from a
 * raw query, as numbers through Kysely's typed reads.
 */
export interface BuildStateRow {
  integration_id: string;
  revision: number;
  built_revision: number;
  unbuilt_changes: number;
  first_unbuilt_at_ms: number | string | null;
  due_at_ms: number | string | null;
  building_until_ms: number | string | null;
  claimed_revision: number;
  claimed_changes: number;
  last_built_at_ms: number | string | null;
  builds: number;
}

/** A nullable time column as milliseconds. */
export const msOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

export const toBuildState = (r: BuildStateRow): BuildState => ({
  integrationId: r.integration_id,
  revision: r.revision,
  builtRevision: r.built_revision,
  unbuiltChanges: r.unbuilt_changes,
  firstUnbuiltAtMs: msOrNull(r.first_unbuilt_at_ms),
  dueAtMs: msOrNull(r.due_at_ms),
  buildingUntilMs: msOrNull(r.building_until_ms),
  claimedRevision: r.claimed_revision,
  claimedChanges: r.claimed_changes,
  lastBuiltAtMs: msOrNull(r.last_built_at_ms),
  builds: r.builds,
});
