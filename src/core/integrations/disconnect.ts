import type { CoreContext } from '../context.js';
import { announceAccess } from '../auth/announce-access.js';
import type { Integration } from '../model.js';
import { partnerIntegration } from '../mappings/partner-integration.js';
import { emitWebhookEvent } from '../webhooks/emit.js';

export interface Disconnection {
  integration: Integration;
  removed: { accounts: number; services: number; counts: number; mappings: number };
}

/**
 * A partner disconnects a vendor: the integration's accounts, organization services, counts
 * (current and waiting), mappings and billing rows go; the count history stays for the audit. The
 * status becomes inactive and the vendor is refused (403) from now on. Disconnecting twice is
 * harmless: the second time finds nothing to remove.
 */
export async function disconnectIntegration(
  ctx: CoreContext,
  input: { partnerId: string; integrationId: string },
): Promise<Disconnection> {
  const nowMs = ctx.clock.nowMs();
  const disconnection = await ctx.store.transaction(async (tx): Promise<Disconnection> => {
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    const removed = await tx.purgeIntegration(integration.id);
    await tx.setIntegrationStatus(integration.id, 'inactive');
    const disconnectedAtMs = integration.disconnectedAtMs ?? nowMs;
    if (integration.disconnectedAtMs === null) {
      await tx.disconnectIntegration(integration.id, nowMs);
      await emitWebhookEvent(tx, ctx.ids, {
        type: 'integration.disconnected',
        partnerId: integration.partnerId,
        vendorId: integration.vendorId,
        integrationId: integration.id,
        occurredAtMs: nowMs,
        data: { integrationId: integration.id, vendorId: integration.vendorId },
      });
    }
    return { integration: { ...integration, status: 'inactive', disconnectedAtMs }, removed };
  });
  await announceAccess(ctx, { integrationId: disconnection.integration.id });
  return disconnection;
}
