import { gradientToken } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { connectIntegration } from '../integrations/connect.js';
import type { Vendor } from '../model.js';
import { createPartner } from '../partners/create-partner.js';
import { createVendor } from '../vendors/create-vendor.js';

/** A new sandbox and every key to it, each shown this once. */
export interface CreatedSandbox {
  vendor: Vendor;
  vendorKey: string;
  partnerId: string;
  partnerToken: string;
  integrationId: string;
  partnerKey: string;
  gradientToken: string;
}

/**
 * Registers a sandbox vendor: a vendor whose only integration is with a partner made for it alone,
 * so nothing it sends reaches a real partner's billing. Its integration runs on a test clock,
 * takes injected faults and maps what the vendor creates by itself.
 */
export async function createSandboxVendor(
  ctx: CoreContext,
  input: { name: string; description?: string },
): Promise<CreatedSandbox> {
  const { vendor, vendorKey } = await createVendor(ctx, input);
  const { partner, partnerToken } = await createPartner(ctx, { name: `${input.name} (sandbox partner)` });
  const { integration, partnerKey } = await connectIntegration(ctx, {
    vendorId: vendor.id,
    partnerId: partner.id,
  });
  // Until this row exists the vendor is a plain one, but nobody holds its key yet.
  await ctx.store.insertSandbox({
    integrationId: integration.id,
    vendorId: vendor.id,
    partnerId: partner.id,
    clockOffsetMs: 0,
    faults: null,
    faultSequence: 0,
    createdAtMs: ctx.clock.nowMs(),
  });
  return {
    vendor,
    vendorKey,
    partnerId: partner.id,
    partnerToken,
    integrationId: integration.id,
    partnerKey,
    gradientToken: gradientToken(vendorKey, partnerKey),
  };
}
