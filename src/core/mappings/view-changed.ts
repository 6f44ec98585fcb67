import {
  type BillingStatus,
  billingStatus,
  type DebounceWindow,
  viewInputsChanged,
} from '../builds/debounce.js';
import type { Repo } from '../ports.js';

/**
 * Schedules a rebuild of the integration's billing view after a mapping change, in the caller's
 * transaction so the change and its "unbuilt" mark commit together.
 */
export async function markViewChanged(
  tx: Repo,
  integrationId: string,
  nowMs: number,
  window: DebounceWindow,
): Promise<BillingStatus> {
  const state = await tx.lockBuildState(integrationId);
  if (!state) throw new Error(`Integration ${integrationId} has no build state`);
  const next = viewInputsChanged(state, nowMs, window);
  await tx.updateBuildState(next);
  return billingStatus(next, nowMs);
}
