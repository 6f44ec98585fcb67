import { generateKey, hashKey } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { found } from '../errors.js';

/** Gives a partner a new bearer token for the partner API; the old token stops working at once. */
export async function reissuePartnerToken(
  ctx: CoreContext,
  partnerId: string,
): Promise<{ partnerToken: string }> {
  found(await ctx.store.getPartner(partnerId), 'partner', partnerId);
  const partnerToken = generateKey('partnerToken');
  await ctx.store.setPartnerTokenHash(partnerId, hashKey(partnerToken));
  return { partnerToken };
}
