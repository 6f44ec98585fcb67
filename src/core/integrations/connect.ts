import { generateKey, gradientToken, hashKey } from '../auth/keys.js';
import { initialBuildState } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import type { Integration } from '../model.js';

export interface Connection {
  integration: Integration;
  partnerKey: string;
  /** Ready-made GRADIENT-TOKEN value, given the vendor key (only known at vendor creation). */
  gradientTokenFor: (vendorKey: string) => string;
}

/** Connects a vendor to a partner: a new integration, its partner key (shown once) and its build state. */
export async function connectIntegration(
  ctx: CoreContext,
  input: { vendorId: string; partnerId: string },
): Promise<Connection> {
  const vendor = found(await ctx.store.getVendor(input.vendorId), 'vendor', input.vendorId);
  const partner = found(await ctx.store.getPartner(input.partnerId), 'partner', input.partnerId);
  const partnerKey = generateKey('partnerKey');
  const integration: Integration = {
    id: ctx.ids.objectId(),
    vendorId: vendor.id,
    partnerId: partner.id,
    status: 'inactive',
    lastSyncedAtMs: null,
    disconnectedAtMs: null,
    pausedAtMs: null,
    createdAtMs: ctx.clock.nowMs(),
  };
  await ctx.store.transaction(async (tx) => {
    if (await tx.findIntegration(vendor.id, partner.id)) {
      throw conflict(`Vendor ${vendor.id} is already connected to partner ${partner.id}`);
    }
    await tx.insertIntegration(integration, hashKey(partnerKey));
    await tx.insertBuildState(initialBuildState(integration.id));
  });
  return { integration, partnerKey, gradientTokenFor: (vendorKey) => gradientToken(vendorKey, partnerKey) };
}
