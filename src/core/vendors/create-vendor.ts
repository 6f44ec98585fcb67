import { generateKey, hashKey } from '../auth/keys.js';
import type { CoreContext } from '../context.js';
import type { Vendor } from '../model.js';
import { requireVendorText } from './vendor-text.js';

export interface CreateVendorInput {
  name: string;
  description?: string;
}

/** Registers a vendor and returns its API key; the key is shown this once and stored only hashed. */
export async function createVendor(
  ctx: CoreContext,
  input: CreateVendorInput,
): Promise<{ vendor: Vendor; vendorKey: string }> {
  requireVendorText(input);
  const nowMs = ctx.clock.nowMs();
  const vendor: Vendor = {
    id: ctx.ids.objectId(),
    name: input.name,
    description: input.description ?? '',
    integrationType: 'api',
    imageUri: null,
    isDistributor: false,
    integrationPortalUrl: null,
    vendorSupportPageUrl: null,
    externalIntegrationStatus: 'active',
    mappingResponsibilities: ['services', 'accounts'],
    modules: [{ variation: 'billing' }, { variation: 'alerts' }],
    organizationId: null,
    attributes: {},
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    version: 0,
  };
  const vendorKey = generateKey('vendor');
  await ctx.store.insertVendor(vendor, hashKey(vendorKey));
  return { vendor, vendorKey };
}
