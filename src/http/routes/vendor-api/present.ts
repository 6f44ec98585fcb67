/** The vendor API's JSON shapes, built from domain records. Only this file knows them. */
import { NEVER_ISO, isoTime } from '../../../core/clock.js';
import type { BillingStatus } from '../../../core/builds/debounce.js';
import { isMapped } from '../../../core/accounts/list-items.js';
import type { Account, Integration, Mapping, OrgService, Partner, Sku, Vendor } from '../../../core/model.js';

export const presentSku = (s: Sku) => ({
  _id: s.id,
  id: s.id,
  name: s.name,
  description: s.description,
  category: s.category,
  subcategory: s.subcategory,
  ...(s.supportArticle !== null && { supportArticle: s.supportArticle }),
  ...(s.supportContact !== null && { supportContact: s.supportContact }),
  ...(s.logo !== null && { logo: s.logo }),
});

export const presentVendor = (v: Vendor, skus: Sku[]) => ({
  _id: v.id,
  id: v.id,
  name: v.name,
  description: v.description,
  integrationType: v.integrationType,
  ...(v.imageUri !== null && { imageUri: v.imageUri }),
  isDistributor: v.isDistributor,
  ...(v.integrationPortalUrl !== null && { integrationPortalUrl: v.integrationPortalUrl }),
  ...(v.vendorSupportPageUrl !== null && { vendorSupportPageUrl: v.vendorSupportPageUrl }),
  externalIntegrationStatus: v.externalIntegrationStatus,
  mappingResponsibilities: v.mappingResponsibilities,
  modules: v.modules,
  ...(v.organizationId !== null && { organizationId: v.organizationId }),
  attributes: v.attributes,
  skus: skus.map(presentSku),
  createdAt: isoTime(v.createdAtMs),
  updatedAt: isoTime(v.updatedAtMs),
  __v: v.version,
});

export const presentBilling = (b: BillingStatus) => ({
  state: b.state,
  unbuiltChanges: b.unbuiltChanges,
  dueAt: b.dueAtMs === null ? null : isoTime(b.dueAtMs),
  lastBuiltAt: b.lastBuiltAtMs === null ? null : isoTime(b.lastBuiltAtMs),
  builtRevision: b.builtRevision,
  builds: b.builds,
});

export const presentIntegration = (
  i: Integration,
  vendor: Vendor,
  partner: Partner,
  billing: BillingStatus,
) => ({
  organizationId: partner.id,
  name: partner.name,
  vendorId: vendor.id,
  vendorName: vendor.name,
  integrationId: i.id,
  status: i.status,
  lastSyncedAt: i.lastSyncedAtMs === null ? NEVER_ISO : isoTime(i.lastSyncedAtMs),
  billing: presentBilling(billing),
});

/** An account or organization service row; `mappingId` is the PSA company or product it maps to. */
export const presentItem = (item: Account | OrgService, mapping: Mapping | undefined) => ({
  id: item.id,
  name: item.name,
  description: item.description,
  isActive: item.isActive,
  isArrears: item.isArrears,
  isMapped: isMapped(mapping),
  ...(isMapped(mapping) && { mappingId: mapping?.targetId as string }),
});
