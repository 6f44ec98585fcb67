import { generateKey, hashKey } from '../auth/keys.js';
import { announceAccess } from '../auth/announce-access.js';
import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import type { Integration } from '../model.js';
import { connectIntegration } from './connect.js';

/**
 * A partner connects a vendor. The first time, a new integration; after a disconnect, the same
 * integration comes back (its count history is still attached) with a new partner key, and the
 * vendor is accepted again. Either way the partner key is returned this once.
 */
export async function connectVendor(
  ctx: CoreContext,
  input: { partnerId: string; vendorId: string },
): Promise<{ integration: Integration; partnerKey: string; reconnected: boolean }> {
  const existing = await ctx.store.findIntegration(input.vendorId, input.partnerId);
  if (!existing) {
    const { integration, partnerKey } = await connectIntegration(ctx, input);
    return { integration, partnerKey, reconnected: false };
  }
  if (existing.disconnectedAtMs === null) {
    const vendor = await ctx.store.getVendor(input.vendorId);
    throw conflict(`${vendor?.name ?? 'This vendor'} is already connected`);
  }
  found(await ctx.store.getVendor(input.vendorId), 'vendor', input.vendorId);
  const partnerKey = generateKey('partnerKey');
  await ctx.store.transaction(async (tx) => {
    await tx.setIntegrationKeyHash(existing.id, hashKey(partnerKey));
    await tx.reconnectIntegration(existing.id);
  });
  await announceAccess(ctx, { integrationId: existing.id });
  return { integration: { ...existing, disconnectedAtMs: null }, partnerKey, reconnected: true };
}
