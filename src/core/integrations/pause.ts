import type { CoreContext } from '../context.js';
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
  return ctx.store.transaction(async (tx) => {
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    if (integration.disconnectedAtMs !== null) {
      throw conflict('This integration is disconnected; connect the vendor again instead');
    }
    if (input.paused === (integration.pausedAtMs !== null)) return integration;
    const pausedAtMs = input.paused ? ctx.clock.nowMs() : null;
    await tx.setIntegrationPaused(integration.id, pausedAtMs);
    await emitWebhookEvent(tx, ctx.ids, {
      type: input.paused ? 'integration.paused' : 'integration.resumed',
      partnerId: integration.partnerId,
      vendorId: integration.vendorId,
      integrationId: integration.id,
      occurredAtMs: ctx.clock.nowMs(),
      data: { integrationId: integration.id, vendorId: integration.vendorId },
    });
    return { ...integration, pausedAtMs };
  });
}
