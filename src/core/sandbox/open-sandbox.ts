import { gradientToken } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { reissuePartnerKey } from '../integrations/reissue-partner-key.js';
import { reissuePartnerToken } from '../partners/reissue-partner-token.js';
import { reissueVendorKey } from '../vendors/reissue-vendor-key.js';
import { type CreatedSandbox, createSandboxVendor, type SandboxInput } from './create-sandbox.js';
import { sandboxUser } from './sandbox-user.js';

/**
 * The sandbox vendor with this name, made if there is none. Keys are stored only as digests, so an
 * existing sandbox gets new ones (the old ones stop working) and keeps its data; so does the web UI
 * user's password when a user is asked for.
 */
export async function openNamedSandbox(
  ctx: CoreContext,
  input: SandboxInput,
): Promise<CreatedSandbox & { created: boolean }> {
  const { name } = input;
  const sandboxVendors = new Set(await ctx.store.listSandboxVendorIds());
  const vendor = (await ctx.store.listVendors()).find((v) => v.name === name && sandboxVendors.has(v.id));
  const sandbox = vendor && (await ctx.store.findSandboxOfVendor(vendor.id));
  if (!vendor || !sandbox) return { ...(await createSandboxVendor(ctx, input)), created: true };
  const { vendorKey } = await reissueVendorKey(ctx, vendor.id);
  const { partnerKey } = await reissuePartnerKey(ctx, sandbox.integrationId);
  const { partnerToken } = await reissuePartnerToken(ctx, sandbox.partnerId);
  const user =
    input.userEmail === undefined
      ? undefined
      : await sandboxUser(ctx, sandbox.partnerId, {
          email: input.userEmail,
          name: input.userName,
          password: input.password,
        });
  return {
    vendor,
    vendorKey,
    partnerId: sandbox.partnerId,
    partnerToken,
    integrationId: sandbox.integrationId,
    partnerKey,
    gradientToken: gradientToken(vendorKey, partnerKey),
    ...(user && { user }),
    created: false,
  };
}
