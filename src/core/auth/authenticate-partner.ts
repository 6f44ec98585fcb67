import type { CoreContext } from '../context.js';
import { unauthorized } from '../errors.js';
import type { Partner, PartnerUser } from '../model.js';
import { hashKey } from './keys.js';

/** Who calls the partner API: a partner, and the signed-in user unless a script's token was used. */
export interface PartnerPrincipal {
  partner: Partner;
  user: PartnerUser | null;
}

/**
 * Resolves a partner bearer token or a session cookie token. A bearer token, when sent, decides
 * alone: a wrong one is refused even beside a valid cookie, so a script never acts as a person.
 */
export async function authenticatePartner(
  ctx: CoreContext,
  credentials: { bearer?: string; sessionToken?: string },
): Promise<PartnerPrincipal> {
  if (credentials.bearer !== undefined) {
    const partner = await ctx.store.findPartnerByTokenHash(hashKey(credentials.bearer));
    if (!partner) throw unauthorized();
    return { partner, user: null };
  }
  if (credentials.sessionToken === undefined) throw unauthorized();
  const found = await ctx.store.findSession(hashKey(credentials.sessionToken), ctx.clock.nowMs());
  if (!found) throw unauthorized();
  return { partner: found.partner, user: found.user };
}
