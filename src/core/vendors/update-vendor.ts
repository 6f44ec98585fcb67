import type { CoreContext } from '../context.js';
import { announceAccess } from '../auth/announce-access.js';
import { badRequest } from '../errors.js';
import type { Vendor } from '../model.js';

/** The vendor fields a vendor may change about itself. */
export interface VendorPatch {
  name?: string;
  description?: string;
  vendorSupportPageUrl?: string;
  integrationPortalUrl?: string;
}

export async function updateVendor(ctx: CoreContext, vendor: Vendor, patch: VendorPatch): Promise<Vendor> {
  const given = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (given.length === 0) {
    throw badRequest('Provide at least one of name, description, vendorSupportPageUrl, integrationPortalUrl');
  }
  const updated: Vendor = {
    ...vendor,
    ...Object.fromEntries(given),
    updatedAtMs: ctx.clock.nowMs(),
    version: vendor.version + 1,
  };
  await ctx.store.updateVendor(updated);
  await announceAccess(ctx, { vendorId: updated.id });
  return updated;
}
