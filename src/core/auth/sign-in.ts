import type { CoreContext } from '../context.js';
import { unauthorized } from '../errors.js';
import type { Partner, PartnerUser } from '../model.js';
import { normalizeEmail } from '../users/user-input.js';
import { generateKey, hashKey } from './keys.js';
import { decoyHash, verifyPassword } from './password.js';

export interface SignedIn {
  /** The cookie value; stored only as its digest. */
  sessionToken: string;
  expiresAtMs: number;
  user: PartnerUser;
  partner: Partner;
}

/**
 * Checks an email and password and opens a session. Every failure is the same bare 401, and an
 * unknown email costs as much time as a wrong password.
 */
export async function signIn(
  ctx: CoreContext,
  input: { email: string; password: string; lifetimeMs: number },
): Promise<SignedIn> {
  const found = await ctx.store.findPartnerUserByEmail(normalizeEmail(input.email));
  const matches = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
  if (!found || !matches) throw unauthorized();
  const partner = await ctx.store.getPartner(found.user.partnerId);
  if (!partner) throw unauthorized();
  const nowMs = ctx.clock.nowMs();
  const sessionToken = generateKey('session');
  const expiresAtMs = nowMs + input.lifetimeMs;
  // Sign-ins are rare, so this is a cheap moment to forget sessions that ran out.
  await ctx.store.deleteSessionsExpiredBefore(nowMs);
  await ctx.store.insertSession({
    tokenHash: hashKey(sessionToken),
    userId: found.user.id,
    partnerId: partner.id,
    createdAtMs: nowMs,
    expiresAtMs,
  });
  return { sessionToken, expiresAtMs, user: found.user, partner };
}
