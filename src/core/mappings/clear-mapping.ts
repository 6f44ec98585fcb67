import { billingStatus, type DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import type { MappingKind } from '../model.js';
import { requireMappableItem } from './mappable-item.js';
import { partnerIntegration } from './partner-integration.js';
import type { MappingChange } from './set-mapping.js';
import { markViewChanged } from './view-changed.js';

/**
 * Removes the partner's decision about an item, so its counts are refused (and wait) again.
 * Removing a mapping that does not exist changes nothing and schedules no build.
 */
export async function clearMapping(
  ctx: CoreContext,
  window: DebounceWindow,
  input: { partnerId: string; integrationId: string; kind: MappingKind; itemId: string },
): Promise<MappingChange> {
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    await requireMappableItem(tx, integration, input.kind, input.itemId);
    if (!(await tx.getMapping(integration.id, input.kind, input.itemId))) {
      const state = await tx.getBuildState(integration.id);
      if (!state) throw new Error(`Integration ${integration.id} has no build state`);
      return { mapping: null, build: billingStatus(state, nowMs) };
    }
    await tx.deleteMapping(integration.id, input.kind, input.itemId);
    return { mapping: null, build: await markViewChanged(tx, integration.id, nowMs, window) };
  });
}
