import { generateKey, hashKey } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import type { Partner } from '../model.js';

/** Registers an MSP and returns its bearer token for the partner API (shown once, stored hashed). */
export async function createPartner(
  ctx: CoreContext,
  input: { name: string },
): Promise<{ partner: Partner; partnerToken: string }> {
  const partner: Partner = { id: ctx.ids.objectId(), name: input.name, createdAtMs: ctx.clock.nowMs() };
  const partnerToken = generateKey('partnerToken');
  await ctx.store.insertPartner(partner, hashKey(partnerToken));
  return { partner, partnerToken };
}
