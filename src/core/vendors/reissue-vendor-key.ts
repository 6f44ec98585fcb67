import { generateKey, hashKey } from '../auth/keys.js';
import { announceAccess } from '../auth/announce-access.js';
import type { CoreContext } from '../context.js';
import { found } from '../errors.js';

/**
 * Gives a vendor a new API key and retires the old one. Keys are stored only as digests, so a lost
 * key cannot be shown again; reissuing is the way back in.
 */
export async function reissueVendorKey(ctx: CoreContext, vendorId: string): Promise<{ vendorKey: string }> {
  found(await ctx.store.getVendor(vendorId), 'vendor', vendorId);
  const vendorKey = generateKey('vendor');
  await ctx.store.setVendorKeyHash(vendorId, hashKey(vendorKey));
  await announceAccess(ctx, { vendorId });
  return { vendorKey };
}
