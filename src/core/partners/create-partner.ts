import type { CoreContext } from '../context.js';
import type { Partner } from '../model.js';
import { registerPartner } from './register-partner.js';

/** Registers an MSP without a user and returns its bearer token for the partner API (shown once). */
export async function createPartner(
  ctx: CoreContext,
  input: { name: string },
): Promise<{ partner: Partner; partnerToken: string }> {
  const { partner, partnerToken } = await registerPartner(ctx, { name: input.name });
  return { partner, partnerToken };
}
