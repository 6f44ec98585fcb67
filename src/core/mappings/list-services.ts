import type { CoreContext } from '../context.js';
import type { OrgService, Sku } from '../model.js';
import { partnerIntegration } from './partner-integration.js';
import { type MappableRow, waitingFirst } from './waiting-first.js';

/** A service a count may name: one of the vendor's SKUs, or an organization service of the integration. */
export type MappableService =
  { source: 'vendor'; service: Sku } | { source: 'organization'; service: OrgService };

/**
 * Every service a partner's integration can count — the vendor's SKUs, then the integration's own
 * organization services — with its mapping and waiting counts.
 */
export async function listServiceMappings(
  ctx: CoreContext,
  partnerId: string,
  integrationId: string,
): Promise<MappableRow<MappableService>[]> {
  const integration = await partnerIntegration(ctx.store, partnerId, integrationId);
  const [skus, orgServices, mappings, waiting] = await Promise.all([
    ctx.store.listSkus(integration.vendorId),
    ctx.store.listOrgServices(integration.id),
    ctx.store.listMappings(integration.id, 'service'),
    ctx.store.listWaiting(integration.id),
  ]);
  const mappingOf = new Map(mappings.map((m) => [m.itemId, m]));
  const services: MappableService[] = [
    ...skus.map((service) => ({ source: 'vendor' as const, service })),
    ...orgServices.map((service) => ({ source: 'organization' as const, service })),
  ];
  return waitingFirst(
    services.map((item) => ({
      item,
      mapping: mappingOf.get(item.service.id) ?? null,
      waiting: waiting.filter((w) => w.serviceId === item.service.id),
    })),
  );
}
