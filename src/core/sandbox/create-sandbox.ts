import { gradientToken } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { connectIntegration } from '../integrations/connect.js';
import type { Vendor } from '../model.js';
import { createPartner } from '../partners/create-partner.js';
import { createVendor } from '../vendors/create-vendor.js';
import { type SandboxUser, sandboxUser } from './sandbox-user.js';

/** A new sandbox and every key to it, each shown this once. */
export interface CreatedSandbox {
  vendor: Vendor;
  vendorKey: string;
  partnerId: string;
  partnerToken: string;
  integrationId: string;
  partnerKey: string;
  gradientToken: string;
  /** The sandbox partner's web UI user, when one was asked for. */
  user?: SandboxUser;
}

export interface SandboxInput {
  name: string;
  description?: string;
  /** Also a web UI user for the sandbox partner (password generated unless given). */
  userEmail?: string;
  userName?: string;
  password?: string;
}

/**
 * Registers a sandbox vendor: a vendor whose only integration is with a partner made for it alone,
 * so nothing it sends reaches a real partner's billing. Its integration runs on a test clock,
 * takes injected faults and maps what the vendor creates by itself.
 */
export async function createSandboxVendor(ctx: CoreContext, input: SandboxInput): Promise<CreatedSandbox> {
  const { vendor, vendorKey } = await createVendor(ctx, { name: input.name, description: input.description });
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
  const user =
    input.userEmail === undefined
      ? undefined
      : await sandboxUser(ctx, partner.id, {
          email: input.userEmail,
          name: input.userName,
          password: input.password,
        });
  return {
    vendor,
    vendorKey,
    partnerId: partner.id,
    partnerToken,
    integrationId: integration.id,
    partnerKey,
    gradientToken: gradientToken(vendorKey, partnerKey),
    ...(user && { user }),
  };
}
