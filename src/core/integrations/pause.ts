import type { CoreContext } from '../context.js';
import { announceAccess } from '../auth/announce-access.js';
import { conflict } from '../errors.js';
import { partnerIntegration } from '../mappings/partner-integration.js';
import type { Integration } from '../model.js';
import { emitWebhookEvent } from '../webhooks/emit.js';

/**
 * A partner pauses an integration (the vendor is refused with 403 while it lasts; accounts,
 * mappings and counts stay) or resumes it. Pausing or resuming twice changes nothing.
 */
export async function setIntegrationPause(
  ctx: CoreContext,
  input: { partnerId: string; integrationId: string; paused: boolean },
): Promise<Integration> {
  const { integration, changed } = await ctx.store.transaction(async (tx) => {
    const found = await partnerIntegration(tx, input.partnerId, input.integrationId);
    if (found.disconnectedAtMs !== null) {
      throw conflict('This integration is disconnected; connect the vendor again instead');
    }
    if (input.paused === (found.pausedAtMs !== null)) return { integration: found, changed: false };
    const pausedAtMs = input.paused ? ctx.clock.nowMs() : null;
    await tx.setIntegrationPaused(found.id, pausedAtMs);
    await emitWebhookEvent(tx, ctx.ids, {
      type: input.paused ? 'integration.paused' : 'integration.resumed',
      partnerId: found.partnerId,
      vendorId: found.vendorId,
      integrationId: found.id,
      occurredAtMs: ctx.clock.nowMs(),
      data: { integrationId: found.id, vendorId: found.vendorId },
    });
    return { integration: { ...found, pausedAtMs }, changed: true };
  });
  if (changed) await announceAccess(ctx, { integrationId: integration.id });
  return integration;
}
