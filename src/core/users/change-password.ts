import { hashPassword, verifyPassword } from '../auth/password.js';
import { hashKey } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import { badRequest, forbidden } from '../errors.js';
import type { PartnerUser } from '../model.js';
import { requirePassword } from './user-input.js';

/**
 * A signed-in user replaces their password, proving the current one first. Every other session of
 * the user ends, so a password that leaked stops working everywhere at once; this one stays.
 */
export async function changePassword(
  ctx: CoreContext,
  input: { user: PartnerUser; sessionToken: string; currentPassword: string; newPassword: string },
): Promise<{ endedSessions: number }> {
  const found = await ctx.store.findPartnerUserByEmail(input.user.email);
  if (!found || !(await verifyPassword(input.currentPassword, found.passwordHash))) {
    throw forbidden('The current password is not right');
  }
  const newPassword = requirePassword(input.newPassword);
  if (newPassword === input.currentPassword)
    throw badRequest('The new password must differ from the current one');
  const passwordHash = await hashPassword(newPassword);
  return ctx.store.transaction(async (tx) => {
    await tx.setPartnerUserPassword(found.user.id, passwordHash);
    return { endedSessions: await tx.deleteOtherSessions(found.user.id, hashKey(input.sessionToken)) };
  });
}
