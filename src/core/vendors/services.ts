import type { CoreContext } from '../context.js';
import { badRequest, found, invalidId } from '../errors.js';
import { isObjectId } from '../ids.js';
import type { Sku, Vendor } from '../model.js';

export interface ServiceFields {
  name: string;
  description: string;
  category: string;
  subcategory: string;
  supportArticle?: string;
  supportContact?: string;
}

/** Adds a service (SKU) to the vendor's catalogue with a server-made id. */
export async function createService(ctx: CoreContext, vendor: Vendor, fields: ServiceFields): Promise<Sku> {
  const nowMs = ctx.clock.nowMs();
  const sku: Sku = {
    id: ctx.ids.objectId(),
    vendorId: vendor.id,
    name: fields.name,
    description: fields.description,
    category: fields.category,
    subcategory: fields.subcategory,
    supportArticle: fields.supportArticle ?? null,
    supportContact: fields.supportContact ?? null,
    logo: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  await ctx.store.insertSku(sku);
  return sku;
}

/** Finds one of the vendor's services; a malformed id is a 400, an unknown one a 404. */
export async function getService(ctx: CoreContext, vendor: Vendor, serviceId: string): Promise<Sku> {
  if (!isObjectId(serviceId)) throw invalidId();
  const sku = found(await ctx.store.getSku(vendor.id, serviceId), 'service', serviceId);
  return sku;
}

export async function updateService(
  ctx: CoreContext,
  vendor: Vendor,
  serviceId: string,
  patch: Partial<ServiceFields>,
): Promise<Sku> {
  const sku = await getService(ctx, vendor, serviceId);
  const given = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw badRequest('Provide at least one field to update');
  const updated: Sku = { ...sku, ...Object.fromEntries(given), updatedAtMs: ctx.clock.nowMs() };
  await ctx.store.updateSku(updated);
  return updated;
}
