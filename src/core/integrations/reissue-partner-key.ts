import { generateKey, hashKey } from '../auth/keys.js';
import { announceAccess } from '../auth/announce-access.js';
import type { CoreContext } from '../context.js';
import { found } from '../errors.js';

/**
 * Gives an integration a new partner key. Accounts, mappings and counts stay; only the GRADIENT-TOKEN
 * built from the old key stops working.
 */
export async function reissuePartnerKey(
  ctx: CoreContext,
  integrationId: string,
): Promise<{ partnerKey: string }> {
  found(await ctx.store.getIntegration(integrationId), 'integration', integrationId);
  const partnerKey = generateKey('partnerKey');
  await ctx.store.setIntegrationKeyHash(integrationId, hashKey(partnerKey));
  await announceAccess(ctx, { integrationId });
  return { partnerKey };
}
