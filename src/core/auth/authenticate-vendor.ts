import type { CoreContext } from '../context.js';
import { AnomalyError, unauthorized } from '../errors.js';
import type { Integration, Vendor } from '../model.js';
import { hashKey, parseGradientToken } from './keys.js';
import type { PrincipalCache } from './principal-cache.js';

/** Integration routes need both key halves; vendor routes only the vendor half. */
export type TokenScope = 'integration' | 'vendor';

export interface VendorPrincipal {
  vendor: Vendor;
  integration: Integration | null;
  /** The digests of the two key halves that admitted it (the partner's is '' for vendor tokens). */
  keyHashes: { vendor: string; partner: string };
}

/**
 * Resolves a GRADIENT-TOKEN to its vendor and integration. Every failure is the same bare 401 so a
 * caller cannot learn which half was wrong.
 */
export async function authenticateVendor(
  ctx: CoreContext,
  header: string | undefined,
  scope: TokenScope,
  cache?: PrincipalCache,
): Promise<VendorPrincipal> {
  const parsed = header === undefined ? undefined : parseGradientToken(header);
  if (!parsed) throw unauthorized();
  const vendorDigest = hashKey(parsed.vendorKey);
  const partnerDigest = parsed.partnerKey === '' ? null : hashKey(parsed.partnerKey);
  const cacheKey = `${vendorDigest}:${partnerDigest ?? ''}`;
  const remembered = cache?.get(cacheKey);
  if (remembered && (scope === 'vendor' || remembered.integration)) return remembered;
  const principal = await lookUp(ctx, vendorDigest, partnerDigest, scope);
  cache?.set(cacheKey, principal);
  return principal;
}

async function lookUp(
  ctx: CoreContext,
  vendorDigest: string,
  partnerDigest: string | null,
  scope: TokenScope,
): Promise<VendorPrincipal> {
  const vendor = await ctx.store.findVendorByKeyHash(vendorDigest);
  const integration = partnerDigest ? await ctx.store.findIntegrationByKeyHash(partnerDigest) : undefined;
  if (!vendor) throw unauthorized();
  if (partnerDigest === null) {
    if (scope === 'integration') throw unauthorized();
    return { vendor, integration: null, keyHashes: { vendor: vendorDigest, partner: '' } };
  }
  // A partner key of another vendor's integration is as unknown as a made-up one.
  if (!integration || integration.vendorId !== vendor.id) {
    throw unauthorized();
  }
  const refusal = integrationRefusal(integration);
  if (refusal) throw refusal;
  return { vendor, integration, keyHashes: { vendor: vendorDigest, partner: partnerDigest } };
}

/** Why the partner's side refuses the vendor now (disconnected or paused), or null. */
export function integrationRefusal(integration: {
  disconnectedAtMs: number | null;
  pausedAtMs: number | null;
}): AnomalyError | null {
  if (integration.disconnectedAtMs !== null) {
    return new AnomalyError('This integration was disconnected by the partner', 'integration_disconnected');
  }
  if (integration.pausedAtMs !== null) {
    return new AnomalyError('This integration is paused by the partner', 'integration_paused');
  }
  return null;
}
