import { generateKey, hashKey } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import type { Partner } from '../model.js';
import {
  type AddedUser,
  type NewUserInput,
  insertPreparedUser,
  prepareUser,
} from '../users/add-partner-user.js';

export interface RegisterPartnerInput {
  name: string;
  /** The person who signs in to the web UI first; none when left out. */
  firstUser?: NewUserInput;
}

export interface RegisteredPartner {
  partner: Partner;
  /** The partner API bearer token: shown once, stored hashed. */
  partnerToken: string;
  user: AddedUser | null;
}

/**
 * Registers an MSP, with its first user when one is named, all or nothing: a bad email or one in use
 * leaves no partner behind whose token was never shown.
 */
export async function registerPartner(
  ctx: CoreContext,
  input: RegisterPartnerInput,
): Promise<RegisteredPartner> {
  const partner: Partner = { id: ctx.ids.objectId(), name: input.name, createdAtMs: ctx.clock.nowMs() };
  // Checked and hashed before the transaction: scrypt is slow and needs no lock.
  const prepared = input.firstUser ? await prepareUser(ctx, partner.id, input.firstUser) : null;
  const partnerToken = generateKey('partnerToken');
  await ctx.store.transaction(async (tx) => {
    await tx.insertPartner(partner, hashKey(partnerToken));
    if (prepared) await insertPreparedUser(tx, prepared);
  });
  return {
    partner,
    partnerToken,
    user: prepared && { user: prepared.user, generatedPassword: prepared.generatedPassword },
  };
}
