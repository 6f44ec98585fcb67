import type { CoreContext } from '../context.js';
import { conflict } from '../errors.js';
import { addPartnerUser } from '../users/add-partner-user.js';
import { resetPassword } from '../users/reset-password.js';
import { normalizeEmail } from '../users/user-input.js';

/** Someone who signs in to the web UI as the sandbox partner, to watch the sandbox's cards. */
export interface SandboxUser {
  email: string;
  /** Present when generated here: the one moment it can be shown. */
  password?: string;
}

/**
 * Makes the sandbox partner's web UI user with this email, or gives the existing one a new password
 * (generated unless given). An email that belongs to another partner is refused.
 */
export async function sandboxUser(
  ctx: CoreContext,
  partnerId: string,
  input: { email: string; name?: string; password?: string },
): Promise<SandboxUser> {
  const found = await ctx.store.findPartnerUserByEmail(normalizeEmail(input.email));
  if (found && found.user.partnerId !== partnerId) {
    throw conflict(`A user with email ${found.user.email} already exists`);
  }
  if (found) {
    const { user, password } = await resetPassword(ctx, { email: input.email, password: input.password });
    return { email: user.email, ...(input.password === undefined && { password }) };
  }
  const { user, generatedPassword } = await addPartnerUser(ctx, { partnerId, ...input });
  return { email: user.email, ...(generatedPassword !== null && { password: generatedPassword }) };
}
