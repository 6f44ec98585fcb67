import { type BillingStatus, billingStatus } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import type { Integration, Vendor } from '../model.js';

export interface PartnerIntegration {
  integration: Integration;
  vendor: Vendor;
  billing: BillingStatus;
}

/** A partner's integrations (disconnected ones too), each with its vendor and where its build stands. */
export async function listPartnerIntegrations(
  ctx: CoreContext,
  partnerId: string,
): Promise<PartnerIntegration[]> {
  const integrations = await ctx.store.listIntegrationsOfPartner(partnerId);
  const nowMs = ctx.clock.nowMs();
  return Promise.all(
    integrations.map(async (integration) => {
      const vendor = await ctx.store.getVendor(integration.vendorId);
      const state = await ctx.store.getBuildState(integration.id);
      if (!vendor || !state) throw new Error(`Integration ${integration.id} lacks its vendor or build state`);
      return { integration, vendor, billing: billingStatus(state, nowMs) };
    }),
  );
}
