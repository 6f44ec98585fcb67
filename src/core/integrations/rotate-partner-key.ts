import type { CoreContext } from '../context.js';
import { conflict } from '../errors.js';
import { partnerIntegration } from '../mappings/partner-integration.js';
import { reissuePartnerKey } from './reissue-partner-key.js';

/**
 * A partner replaces its key for one vendor: the old GRADIENT-TOKEN is refused at once; accounts,
 * mappings and counts stay. A disconnected integration has no key to rotate: connect it again.
 */
export async function rotatePartnerKey(
  ctx: CoreContext,
  input: { partnerId: string; integrationId: string },
): Promise<{ partnerKey: string }> {
  const integration = await partnerIntegration(ctx.store, input.partnerId, input.integrationId);
  if (integration.disconnectedAtMs !== null) {
    throw conflict('This integration is disconnected; connect the vendor again to get a key');
  }
  return reissuePartnerKey(ctx, integration.id);
}
