import { generatePassword, hashPassword } from '../auth/password.js';
import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import type { PartnerUser } from '../model.js';
import type { Repo } from '../ports.js';
import { requireEmail, requirePassword } from './user-input.js';

export interface NewUserInput {
  email: string;
  /** Shown in the UI; the part of the email before the @ when not given. */
  name?: string;
  /** A generated one is returned when not given. */
  password?: string;
}

export interface AddPartnerUserInput extends NewUserInput {
  partnerId: string;
}

export interface AddedUser {
  user: PartnerUser;
  /** The password when it was generated here, since that is the one moment it can be shown. */
  generatedPassword: string | null;
}

/** A checked user with its password hash, ready to insert; nothing is written yet. */
export async function prepareUser(
  ctx: CoreContext,
  partnerId: string,
  input: NewUserInput,
): Promise<AddedUser & { passwordHash: string }> {
  const email = requireEmail(input.email);
  const password = input.password === undefined ? generatePassword() : requirePassword(input.password);
  const user: PartnerUser = {
    id: ctx.ids.objectId(),
    partnerId,
    email,
    name: input.name?.trim() || (email.split('@')[0] as string),
    createdAtMs: ctx.clock.nowMs(),
  };
  return {
    user,
    passwordHash: await hashPassword(password),
    generatedPassword: input.password === undefined ? password : null,
  };
}

/** Inserts a prepared user inside the caller's transaction; an email in use is a 409. */
export async function insertPreparedUser(
  tx: Repo,
  prepared: { user: PartnerUser; passwordHash: string },
): Promise<void> {
  const { email } = prepared.user;
  if (await tx.findPartnerUserByEmail(email)) throw conflict(`A user with email ${email} already exists`);
  await tx.insertPartnerUser(prepared.user, prepared.passwordHash);
}

/** Adds a person who signs in for a partner. */
export async function addPartnerUser(ctx: CoreContext, input: AddPartnerUserInput): Promise<AddedUser> {
  const prepared = await prepareUser(ctx, input.partnerId, input);
  found(await ctx.store.getPartner(input.partnerId), 'partner', input.partnerId);
  await ctx.store.transaction((tx) => insertPreparedUser(tx, prepared));
  return { user: prepared.user, generatedPassword: prepared.generatedPassword };
}
