import type { CoreContext } from '../context.js';
import type { AccessChange } from '../ports.js';

/**
 * Tells every process that a vendor's or an integration's access changed, after the change has
 * committed. A lost announcement only delays when other processes forget the principal (their
 * cache entries expire on their own, and counts re-check keys under their lock), so it does not
 * fail the change that was already made.
 */
export async function announceAccess(ctx: CoreContext, change: Partial<AccessChange>): Promise<void> {
  try {
    await ctx.events.announceAccessChange({
      vendorId: change.vendorId ?? null,
      integrationId: change.integrationId ?? null,
    });
  } catch {
    // See above: the change stands; remembered principals expire by themselves.
  }
}
