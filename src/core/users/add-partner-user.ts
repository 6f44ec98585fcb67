import { generatePassword, hashPassword } from '../auth/password.js';
import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import type { PartnerUser } from '../model.js';
import { requireEmail, requirePassword } from './user-input.js';

export interface AddPartnerUserInput {
  partnerId: string;
  email: string;
  /** Shown in the UI; the part of the email before the @ when not given. */
  name?: string;
  /** A generated one is returned when not given. */
  password?: string;
}

/**
 * Adds a person who signs in for a partner. Returns the password only when it was generated here,
 * since that is the one moment it can be shown.
 */
export async function addPartnerUser(
  ctx: CoreContext,
  input: AddPartnerUserInput,
): Promise<{ user: PartnerUser; generatedPassword: string | null }> {
  const email = requireEmail(input.email);
  const password = input.password === undefined ? generatePassword() : requirePassword(input.password);
  found(await ctx.store.getPartner(input.partnerId), 'partner', input.partnerId);
  const user: PartnerUser = {
    id: ctx.ids.objectId(),
    partnerId: input.partnerId,
    email,
    name: input.name?.trim() || (email.split('@')[0] as string),
    createdAtMs: ctx.clock.nowMs(),
  };
  const passwordHash = await hashPassword(password);
  await ctx.store.transaction(async (tx) => {
    if (await tx.findPartnerUserByEmail(email)) throw conflict(`A user with email ${email} already exists`);
    await tx.insertPartnerUser(user, passwordHash);
  });
  return { user, generatedPassword: input.password === undefined ? password : null };
}
