import { type BillingStatus, billingStatus } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Integration, Partner } from '../model.js';

export interface IntegrationView {
  integration: Integration;
  partner: Partner;
  billing: BillingStatus;
}

/** The integration as its vendor sees it, read fresh so its status and billing are current. */
export async function integrationView(ctx: CoreContext, integrationId: string): Promise<IntegrationView> {
  // A missing partner or build state means the integration is not (or no longer) whole: a 404 alike.
  const integration = found(await ctx.store.getIntegration(integrationId), 'integration', integrationId);
  const partner = found(await ctx.store.getPartner(integration.partnerId), 'integration', integrationId);
  const state = found(await ctx.store.getBuildState(integrationId), 'integration', integrationId);
  return { integration, partner, billing: billingStatus(state, ctx.clock.nowMs()) };
}
