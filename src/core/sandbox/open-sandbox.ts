import { gradientToken } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { reissuePartnerKey } from '../integrations/reissue-partner-key.js';
import { reissuePartnerToken } from '../partners/reissue-partner-token.js';
import { reissueVendorKey } from '../vendors/reissue-vendor-key.js';
import { type CreatedSandbox, createSandboxVendor } from './create-sandbox.js';

/**
 * The sandbox vendor with this name, made if there is none. Keys are stored only as digests, so an
 * existing sandbox gets new ones (the old ones stop working) and keeps its data.
 */
export async function openNamedSandbox(
  ctx: CoreContext,
  name: string,
): Promise<CreatedSandbox & { created: boolean }> {
  const sandboxVendors = new Set(await ctx.store.listSandboxVendorIds());
  const vendor = (await ctx.store.listVendors()).find((v) => v.name === name && sandboxVendors.has(v.id));
  const sandbox = vendor && (await ctx.store.findSandboxOfVendor(vendor.id));
  if (!vendor || !sandbox) return { ...(await createSandboxVendor(ctx, { name })), created: true };
  const { vendorKey } = await reissueVendorKey(ctx, vendor.id);
  const { partnerKey } = await reissuePartnerKey(ctx, sandbox.integrationId);
  const { partnerToken } = await reissuePartnerToken(ctx, sandbox.partnerId);
  return {
    vendor,
    vendorKey,
    partnerId: sandbox.partnerId,
    partnerToken,
    integrationId: sandbox.integrationId,
    partnerKey,
    gradientToken: gradientToken(vendorKey, partnerKey),
    created: false,
  };
}
