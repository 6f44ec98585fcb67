import { generateKey, hashKey } from '../auth/keys.js';
import { announceAccess } from '../auth/announce-access.js';
import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';

/**
 * Gives a vendor a new API key and retires the old one. Keys are stored only as digests, so a lost
 * key cannot be shown again; reissuing is the way back in.
 */
export async function reissueVendorKey(ctx: CoreContext, vendorId: string): Promise<{ vendorKey: string }> {
  if (!(await ctx.store.getVendor(vendorId))) throw notFound(`No vendor found with id: ${vendorId}`);
  const vendorKey = generateKey('vendor');
  await ctx.store.setVendorKeyHash(vendorId, hashKey(vendorKey));
  await announceAccess(ctx, { vendorId });
  return { vendorKey };
}
