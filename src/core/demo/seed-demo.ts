import { createAccounts } from '../accounts/create-items.js';
import { gradientToken } from '../auth/keys.js';
import type { DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { setUnitCount } from '../counts/set-unit-count.js';
import { TallyError } from '../errors.js';
import { connectIntegration } from '../integrations/connect.js';
import { reissuePartnerKey } from '../integrations/reissue-partner-key.js';
import type { Integration, Partner, Sku, Vendor } from '../model.js';
import { createPartner } from '../partners/create-partner.js';
import { reissuePartnerToken } from '../partners/reissue-partner-token.js';
import { createVendor } from '../vendors/create-vendor.js';
import { reissueVendorKey } from '../vendors/reissue-vendor-key.js';
import { createService } from '../vendors/services.js';
import {
  DEMO_ACCOUNTS,
  DEMO_COUNTS,
  DEMO_PARTNER,
  DEMO_SAMPLE,
  DEMO_SERVICES,
  DEMO_UNMAPPED_ACCOUNT_ID,
  DEMO_VENDOR,
} from './catalog.js';
import { seedMappings, seedPsa } from './seed-psa.js';

/** Everything a newcomer needs to talk to the demo, with keys valid from now on. */
export interface DemoSeed {
  vendor: Vendor;
  vendorKey: string;
  partner: Partner;
  partnerToken: string;
  integration: Integration;
  partnerKey: string;
  gradientToken: string;
  /** Vendor services by their catalogue key (`server`, `m365`, `archive`). */
  services: Record<string, Sku>;
  /** A mapped account and service: a count for them is accepted. */
  sample: { accountId: string; serviceId: string };
  /** An account the partner has not mapped: a count for it is a 404. */
  unmappedAccountId: string;
  /** Counts this run set (zero on a repeat run: existing counts are left alone). */
  countsSet: number;
}

/** Reports what a step did, for progress output; the seed itself never prints. */
export type Progress = (message: string) => void;

/**
 * Seeds the demo world through the domain verbs, as a vendor and a partner would through the API. Idempotent: things are found by name and only what
 * is missing is added, so a second run changes no data. Keys are the exception: they are stored only
 * as digests and cannot be shown again, so a repeat run reissues them (the old ones stop working).
 * There is no outer transaction; a run cut short is completed by running it again.
 */
export async function seedDemo(
  ctx: CoreContext,
  window: DebounceWindow,
  progress: Progress = () => {},
): Promise<DemoSeed> {
  const { vendor, vendorKey } = await seedVendor(ctx, progress);
  const services = await seedServices(ctx, vendor, progress);
  const { partner, partnerToken } = await seedPartner(ctx, progress);
  const psa = await seedPsa(ctx, partner, progress);
  const { integration, partnerKey } = await seedIntegration(ctx, vendor, partner, progress);
  const missing = await missingAccounts(ctx, integration);
  if (missing.length > 0) {
    await createAccounts(
      ctx,
      integration,
      missing.map((a) => ({ id: a.id, name: a.name, description: '', isArrears: false })),
    );
    progress(`added ${missing.length} vendor accounts`);
  }
  await seedMappings(ctx, window, integration, services, psa, progress);
  const countsSet = await seedCounts(ctx, window, integration, services, progress);
  const sampleService = services[DEMO_SAMPLE.serviceKey];
  if (!sampleService) throw new Error(`Demo catalogue has no service ${DEMO_SAMPLE.serviceKey}`);
  return {
    vendor,
    vendorKey,
    partner,
    partnerToken,
    integration: (await ctx.store.getIntegration(integration.id)) ?? integration,
    partnerKey,
    gradientToken: gradientToken(vendorKey, partnerKey),
    services,
    sample: { accountId: DEMO_SAMPLE.accountId, serviceId: sampleService.id },
    unmappedAccountId: DEMO_UNMAPPED_ACCOUNT_ID,
    countsSet,
  };
}

async function seedVendor(ctx: CoreContext, progress: Progress) {
  const existing = (await ctx.store.listVendors()).find((v) => v.name === DEMO_VENDOR.name);
  if (!existing) {
    progress(`created vendor ${DEMO_VENDOR.name}`);
    return createVendor(ctx, DEMO_VENDOR);
  }
  progress(`found vendor ${existing.name}; reissued its key`);
  return { vendor: existing, ...(await reissueVendorKey(ctx, existing.id)) };
}

async function seedServices(ctx: CoreContext, vendor: Vendor, progress: Progress) {
  const skus = await ctx.store.listSkus(vendor.id);
  const services: Record<string, Sku> = {};
  for (const { key, ...fields } of DEMO_SERVICES) {
    const found = skus.find((s) => s.name === fields.name);
    services[key] = found ?? (await createService(ctx, vendor, fields));
    if (!found) progress(`created service ${fields.name}`);
  }
  return services;
}

async function seedPartner(ctx: CoreContext, progress: Progress) {
  const existing = (await ctx.store.listPartners()).find((p) => p.name === DEMO_PARTNER.name);
  if (!existing) {
    progress(`created partner ${DEMO_PARTNER.name}`);
    return createPartner(ctx, DEMO_PARTNER);
  }
  progress(`found partner ${existing.name}; reissued its token`);
  return { partner: existing, ...(await reissuePartnerToken(ctx, existing.id)) };
}

async function seedIntegration(ctx: CoreContext, vendor: Vendor, partner: Partner, progress: Progress) {
  const existing = await ctx.store.findIntegration(vendor.id, partner.id);
  if (!existing) {
    progress(`connected ${vendor.name} to ${partner.name}`);
    return connectIntegration(ctx, { vendorId: vendor.id, partnerId: partner.id });
  }
  progress(`found the integration; reissued its partner key`);
  return { integration: existing, ...(await reissuePartnerKey(ctx, existing.id)) };
}

async function missingAccounts(ctx: CoreContext, integration: Integration) {
  const known = new Set((await ctx.store.listAccounts(integration.id)).map((a) => a.id));
  return DEMO_ACCOUNTS.filter((a) => !known.has(a.id));
}

/**
 * Sets each demo count through setUnitCount, as a vendor would. Pairs that already have a count (or a
 * waiting one) are skipped, so repeat runs add no history. Unmapped pairs are refused with not_found,
 * which is expected: the refusal is what makes them show up as waiting for the partner.
 */
async function seedCounts(
  ctx: CoreContext,
  window: DebounceWindow,
  integration: Integration,
  services: Record<string, Sku>,
  progress: Progress,
): Promise<number> {
  const key = (accountId: string, serviceId: string) => `${accountId}\u0000${serviceId}`;
  const seen = new Set(
    [...(await ctx.store.listCounts(integration.id)), ...(await ctx.store.listWaiting(integration.id))].map(
      (c) => key(c.accountId, c.serviceId),
    ),
  );
  let accepted = 0;
  let waiting = 0;
  for (const count of DEMO_COUNTS) {
    const service = services[count.serviceKey];
    if (!service || seen.has(key(count.accountId, service.id))) continue;
    const current = (await ctx.store.getIntegration(integration.id)) ?? integration;
    try {
      await setUnitCount(ctx, window, {
        integration: current,
        serviceId: service.id,
        account: { accountId: count.accountId },
        unitCount: count.unitCount,
        noBuild: false,
        requestId: `demo-${ctx.ids.uuid()}`,
        idempotency: null,
      });
      accepted += 1;
    } catch (error) {
      if (!(error instanceof TallyError && error.code === 'not_found')) throw error;
      waiting += 1;
    }
  }
  if (accepted + waiting > 0) progress(`set ${accepted} counts; ${waiting} wait for a mapping`);
  return accepted;
}
