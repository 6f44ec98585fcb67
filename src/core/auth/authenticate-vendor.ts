import type { CoreContext } from '../context.js';
import { AnomalyError, unauthorized } from '../errors.js';
import type { Integration, Vendor } from '../model.js';
import { hashKey, parseGradientToken } from './keys.js';

/** Integration routes need both key halves; vendor routes only the vendor half. */
export type TokenScope = 'integration' | 'vendor';

export interface VendorPrincipal {
  vendor: Vendor;
  integration: Integration | null;
}

/**
 * Resolves a GRADIENT-TOKEN to its vendor and integration. Every failure is the same bare 401 so a
 * caller cannot learn which half was wrong.
 */
export async function authenticateVendor(
  ctx: CoreContext,
  header: string | undefined,
  scope: TokenScope,
): Promise<VendorPrincipal> {
  const parsed = header === undefined ? undefined : parseGradientToken(header);
  if (!parsed) throw unauthorized();
  const vendorDigest = hashKey(parsed.vendorKey);
  const partnerDigest = parsed.partnerKey === '' ? null : hashKey(parsed.partnerKey);
  const vendor = await ctx.store.findVendorByKeyHash(vendorDigest);
  const integration = partnerDigest ? await ctx.store.findIntegrationByKeyHash(partnerDigest) : undefined;
  if (!vendor) throw unauthorized();
  if (partnerDigest === null) {
    if (scope === 'integration') throw unauthorized();
    return { vendor, integration: null };
  }
  // A partner key of another vendor's integration is as unknown as a made-up one.
  if (!integration || integration.vendorId !== vendor.id) {
    throw unauthorized();
  }
  if (integration.disconnectedAtMs !== null) {
    throw new AnomalyError('This integration was disconnected by the partner', 'integration_disconnected');
  }
  if (integration.pausedAtMs !== null) {
    throw new AnomalyError('This integration is paused by the partner', 'integration_paused');
  }
  return { vendor, integration };
}
