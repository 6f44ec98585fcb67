import { sql } from 'kysely';
import type { Sku, Vendor } from '../../core/model.js';
import type { VendorStore } from '../../core/ports.js';
import type { Db, SkusTable, VendorsTable } from '../schema.js';

const toVendor = (r: VendorsTable): Vendor => ({
  id: r.id,
  name: r.name,
  description: r.description,
  integrationType: r.integration_type,
  imageUri: r.image_uri,
  isDistributor: r.is_distributor === 1,
  integrationPortalUrl: r.integration_portal_url,
  vendorSupportPageUrl: r.vendor_support_page_url,
  externalIntegrationStatus: r.external_integration_status,
  mappingResponsibilities: JSON.parse(r.mapping_responsibilities) as string[],
  modules: JSON.parse(r.modules) as { variation: string }[],
  organizationId: r.organization_id,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
  version: r.version,
});

const vendorColumns = (v: Vendor) => ({
  name: v.name,
  description: v.description,
  integration_type: v.integrationType,
  image_uri: v.imageUri,
  is_distributor: v.isDistributor ? 1 : 0,
  integration_portal_url: v.integrationPortalUrl,
  vendor_support_page_url: v.vendorSupportPageUrl,
  external_integration_status: v.externalIntegrationStatus,
  mapping_responsibilities: JSON.stringify(v.mappingResponsibilities),
  modules: JSON.stringify(v.modules),
  organization_id: v.organizationId,
  attributes: JSON.stringify(v.attributes),
  updated_at_ms: v.updatedAtMs,
  version: v.version,
});

const toSku = (r: SkusTable): Sku => ({
  id: r.id,
  vendorId: r.vendor_id,
  name: r.name,
  description: r.description,
  category: r.category,
  subcategory: r.subcategory,
  supportArticle: r.support_article,
  supportContact: r.support_contact,
  logo: r.logo,
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

const skuColumns = (s: Sku) => ({
  name: s.name,
  description: s.description,
  category: s.category,
  subcategory: s.subcategory,
  support_article: s.supportArticle,
  support_contact: s.supportContact,
  logo: s.logo,
  updated_at_ms: s.updatedAtMs,
});

export const vendorRepo = (db: Db): VendorStore => ({
  async insertVendor(v, keyHash) {
    await db
      .insertInto('vendors')
      .values({ id: v.id, key_hash: keyHash, created_at_ms: v.createdAtMs, ...vendorColumns(v) })
      .execute();
  },
  async getVendor(id) {
    const r = await db.selectFrom('vendors').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toVendor(r);
  },
  async findVendorByKeyHash(keyHash) {
    // Runs on every vendor request: plain SQL skips the query builder's cost.
    const { rows } = await sql<VendorsTable>`select * from vendors where key_hash = ${keyHash}`.execute(db);
    return rows[0] && toVendor(rows[0]);
  },
  async listVendors() {
    return (await db.selectFrom('vendors').selectAll().orderBy('name').execute()).map(toVendor);
  },
  async updateVendor(v) {
    await db.updateTable('vendors').set(vendorColumns(v)).where('id', '=', v.id).execute();
  },
  async setVendorKeyHash(vendorId, keyHash) {
    await db.updateTable('vendors').set({ key_hash: keyHash }).where('id', '=', vendorId).execute();
  },

  async insertSku(s) {
    await db
      .insertInto('skus')
      .values({ id: s.id, vendor_id: s.vendorId, created_at_ms: s.createdAtMs, ...skuColumns(s) })
      .execute();
  },
  async listSkus(vendorId) {
    return (
      await db.selectFrom('skus').selectAll().where('vendor_id', '=', vendorId).orderBy('id').execute()
    ).map(toSku);
  },
  async getSku(vendorId, skuId) {
    const { rows } =
      await sql<SkusTable>`select * from skus where vendor_id = ${vendorId} and id = ${skuId}`.execute(db);
    return rows[0] && toSku(rows[0]);
  },
  async updateSku(s) {
    await db.updateTable('skus').set(skuColumns(s)).where('id', '=', s.id).execute();
  },
});
