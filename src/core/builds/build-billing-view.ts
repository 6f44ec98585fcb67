import type { Clock } from '../clock.js';
import type { CoreContext } from '../context.js';
import { buildFinished } from './debounce.js';
import { computeBillingRows } from './compute-rows.js';
import { announceBuild } from './announce-build.js';

export interface BuildOutcome {
  integrationId: string;
  /** False when another process took the build over after this one's lease ran out. */
  landed: boolean;
  builtRevision: number;
  rows: number;
  durationMs: number;
}

/**
 * Rebuilds one integration's billing view in a single transaction: reads the current counts and
 * mappings, replaces the integration's rows, and marks the claimed revision built. Readers see the
 * old rows or the new ones, never a mix. `leaseUntilMs` fences out a build whose lease expired.
 */
export async function buildBillingView(
  ctx: CoreContext,
  integrationId: string,
  leaseUntilMs: number,
  /** The integration's clock (a sandbox's test clock), which times the build. */
  clock: Clock = ctx.clock,
): Promise<BuildOutcome> {
  const startedMs = clock.nowMs();
  const outcome = await ctx.store.transaction(async (tx) => {
    const state = await tx.lockBuildState(integrationId);
    if (!state || state.buildingUntilMs !== leaseUntilMs) {
      return { landed: false, builtRevision: state?.builtRevision ?? 0, rows: 0 };
    }
    const [counts, accounts, orgServices, accountMappings, serviceMappings, previousRows] = await Promise.all(
      [
        tx.listCounts(integrationId),
        tx.listAccounts(integrationId),
        tx.listOrgServices(integrationId),
        tx.listMappings(integrationId, 'account'),
        tx.listMappings(integrationId, 'service'),
        tx.listBillingRows([integrationId]),
      ],
    );
    const nowMs = clock.nowMs();
    const rows = computeBillingRows({
      integrationId,
      counts,
      accounts,
      orgServices,
      accountMappings,
      serviceMappings,
      builtAtMs: nowMs,
      builtRevision: state.claimedRevision,
    });
    await tx.replaceBillingRows(integrationId, rows);
    await tx.updateBuildState(buildFinished(state, nowMs));
    await announceBuild(tx, ctx.ids, { state, previousRows, rows, nowMs });
    return { landed: true, builtRevision: state.claimedRevision, rows: rows.length };
  });
  return { integrationId, ...outcome, durationMs: clock.nowMs() - startedMs };
}
