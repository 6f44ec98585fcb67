import { generatePassword, hashPassword } from '../auth/password.js';
import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { PartnerUser } from '../model.js';
import { normalizeEmail, requirePassword } from './user-input.js';

/** Gives a user a new password (generated when not given); sessions already open stay open. */
export async function resetPassword(
  ctx: CoreContext,
  input: { email: string; password?: string },
): Promise<{ user: PartnerUser; password: string }> {
  const password = input.password === undefined ? generatePassword() : requirePassword(input.password);
  const found = await ctx.store.findPartnerUserByEmail(normalizeEmail(input.email));
  if (!found) throw notFound(`No user found with email: ${input.email}`);
  await ctx.store.setPartnerUserPassword(found.user.id, await hashPassword(password));
  return { user: found.user, password };
}
