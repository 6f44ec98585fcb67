import { createAccounts } from '../../core/accounts/create-items.js';
import { gradientToken } from '../../core/auth/keys.js';
import type { DebounceWindow } from '../../core/builds/debounce.js';
import type { CoreContext } from '../../core/context.js';
import { setUnitCount } from '../../core/counts/set-unit-count.js';
import { TallyError } from '../../core/errors.js';
import { connectIntegration } from '../../core/integrations/connect.js';
import { connectVendor } from '../../core/integrations/connect-vendor.js';
import { reissuePartnerKey } from '../../core/integrations/reissue-partner-key.js';
import type { Integration, Partner, Sku, Vendor } from '../../core/model.js';
import { createPartner } from '../../core/partners/create-partner.js';
import { reissuePartnerToken } from '../../core/partners/reissue-partner-token.js';
import { addPartnerUser } from '../../core/users/add-partner-user.js';
import { resetPassword } from '../../core/users/reset-password.js';
import { createVendor } from '../../core/vendors/create-vendor.js';
import { reissueVendorKey } from '../../core/vendors/reissue-vendor-key.js';
import { createService } from '../../core/vendors/services.js';
import {
  DEMO_PARTNER,
  DEMO_SAMPLE,
  DEMO_UNMAPPED_ACCOUNT_ID,
  DEMO_USER,
  DEMO_VENDORS,
  type DemoVendor,
} from './catalog.js';
import type { Progress } from './progress.js';
import { seedAgreements, seedMappings, seedPsa } from './seed-psa.js';

/** One demo vendor as seeded, with keys valid from now on. */
export interface DemoVendorSeed {
  vendor: Vendor;
  vendorKey: string;
  integration: Integration;
  partnerKey: string;
  gradientToken: string;
  /** Vendor services by their catalogue key (`server`, `m365`, `edr` …). */
  services: Record<string, Sku>;
  /** The account × service pairs whose counts the partner accepts (both mapped), with their counts now. */
  mappedPairs: { accountId: string; serviceId: string; unitCount: number }[];
  /** Counts this run set (zero on a repeat run: existing counts are left alone). */
  countsSet: number;
}

/** Everything a newcomer needs to talk to the demo; the top-level keys are the first vendor's. */
export interface DemoSeed extends DemoVendorSeed {
  partner: Partner;
  partnerToken: string;
  /** Every demo vendor, the first one included. */
  vendors: DemoVendorSeed[];
  /** A mapped account and service of the first vendor: a count for them is accepted. */
  sample: { accountId: string; serviceId: string };
  /** An account the partner has not mapped: a count for it is a 404. */
  unmappedAccountId: string;
  /** The sign-in of the web UI; the password is new on every run. */
  partnerEmail: string;
  partnerPassword: string;
}

/** Reports what a step did, for progress output; the seed itself never prints. */

/**
 * Seeds the demo world through the domain verbs, as vendors and a partner would through the API.
 * Idempotent: things are found by name and only what is missing is added, so a second run changes
 * no data. Keys and the demo password are the exception: they are stored only as digests and cannot
 * be shown again, so a repeat run reissues them (the old ones stop working). There is no outer
 * transaction; a run cut short is completed by running it again.
 */
export async function seedDemo(
  ctx: CoreContext,
  window: DebounceWindow,
  progress: Progress = () => {},
): Promise<DemoSeed> {
  const { partner, partnerToken } = await seedPartner(ctx, progress);
  const psa = await seedPsa(ctx, partner, progress);
  await seedAgreements(ctx, partner, psa, progress);
  const vendors: DemoVendorSeed[] = [];
  for (const demo of DEMO_VENDORS) {
    const { vendor, vendorKey } = await seedVendor(ctx, demo, progress);
    const services = await seedServices(ctx, demo, vendor, progress);
    const { integration, partnerKey } = await seedIntegration(ctx, vendor, partner, progress);
    await seedAccounts(ctx, demo, integration, progress);
    await seedMappings(ctx, window, { vendor: demo, integration, services }, psa, progress);
    const countsSet = await seedCounts(ctx, window, demo, integration, services, progress);
    vendors.push({
      vendor,
      vendorKey,
      integration: (await ctx.store.getIntegration(integration.id)) ?? integration,
      partnerKey,
      gradientToken: gradientToken(vendorKey, partnerKey),
      services,
      mappedPairs: await mappedPairs(ctx, demo, integration, services),
      countsSet,
    });
  }
  const { email, password } = await seedUser(ctx, partner, progress);
  const first = vendors.find((v) => v.vendor.name === DEMO_SAMPLE.vendor);
  const sampleService = first?.services[DEMO_SAMPLE.serviceKey];
  if (!first || !sampleService) throw new Error(`Demo catalogue has no ${DEMO_SAMPLE.vendor} sample`);
  return {
    ...first,
    partner,
    partnerToken,
    vendors,
    sample: { accountId: DEMO_SAMPLE.accountId, serviceId: sampleService.id },
    unmappedAccountId: DEMO_UNMAPPED_ACCOUNT_ID,
    partnerEmail: email,
    partnerPassword: password,
  };
}

async function seedVendor(ctx: CoreContext, demo: DemoVendor, progress: Progress) {
  const existing = (await ctx.store.listVendors()).find((v) => v.name === demo.name);
  if (!existing) {
    progress(`created vendor ${demo.name}`);
    return createVendor(ctx, { name: demo.name, description: demo.description });
  }
  progress(`found vendor ${existing.name}; reissued its key`);
  return { vendor: existing, ...(await reissueVendorKey(ctx, existing.id)) };
}

async function seedServices(ctx: CoreContext, demo: DemoVendor, vendor: Vendor, progress: Progress) {
  const skus = await ctx.store.listSkus(vendor.id);
  const services: Record<string, Sku> = {};
  for (const { key, product: _product, ...fields } of demo.services) {
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

/** Connects the vendor, or finds the integration (reconnecting it if the partner disconnected it). */
async function seedIntegration(ctx: CoreContext, vendor: Vendor, partner: Partner, progress: Progress) {
  const existing = await ctx.store.findIntegration(vendor.id, partner.id);
  if (!existing) {
    progress(`connected ${vendor.name} to ${partner.name}`);
    return connectIntegration(ctx, { vendorId: vendor.id, partnerId: partner.id });
  }
  if (existing.disconnectedAtMs !== null) {
    progress(`reconnected ${vendor.name}, which had been disconnected`);
    return connectVendor(ctx, { vendorId: vendor.id, partnerId: partner.id });
  }
  progress(`found the ${vendor.name} integration; reissued its partner key`);
  return { integration: existing, ...(await reissuePartnerKey(ctx, existing.id)) };
}

async function seedAccounts(
  ctx: CoreContext,
  demo: DemoVendor,
  integration: Integration,
  progress: Progress,
) {
  const known = new Set((await ctx.store.listAccounts(integration.id)).map((a) => a.id));
  const missing = demo.accounts.filter((a) => !known.has(a.id));
  if (missing.length === 0) return;
  await createAccounts(
    ctx,
    integration,
    missing.map((a) => ({ id: a.id, name: a.name, description: '', isArrears: false })),
  );
  progress(`added ${missing.length} ${demo.name} accounts`);
}

/** The demo user, made on the first run; later runs give it a new password to print. */
async function seedUser(ctx: CoreContext, partner: Partner, progress: Progress) {
  if (await ctx.store.findPartnerUserByEmail(DEMO_USER.email)) {
    progress(`found user ${DEMO_USER.email}; gave it a new password`);
    const { password } = await resetPassword(ctx, { email: DEMO_USER.email });
    return { email: DEMO_USER.email, password };
  }
  const { user, generatedPassword } = await addPartnerUser(ctx, { partnerId: partner.id, ...DEMO_USER });
  progress(`created user ${user.email}`);
  return { email: user.email, password: generatedPassword as string };
}

async function mappedPairs(
  ctx: CoreContext,
  demo: DemoVendor,
  integration: Integration,
  services: Record<string, Sku>,
) {
  const current = new Map(
    (await ctx.store.listCounts(integration.id)).map((c) => [
      `${c.accountId}\u0000${c.serviceId}`,
      c.unitCount,
    ]),
  );
  return demo.counts.flatMap((count) => {
    const mapped =
      demo.accounts.find((a) => a.id === count.accountId)?.company &&
      demo.services.find((s) => s.key === count.serviceKey)?.product;
    const service = services[count.serviceKey];
    const unitCount = service && current.get(`${count.accountId}\u0000${service.id}`);
    return mapped && service && unitCount !== undefined
      ? [{ accountId: count.accountId, serviceId: service.id, unitCount }]
      : [];
  });
}

/**
 * Sets each demo count through setUnitCount, as a vendor would. Pairs that already have a count (or a
 * waiting one) are skipped, so repeat runs add no history. Unmapped pairs are refused with not_found,
 * which is expected: the refusal is what makes them show up as waiting for the partner.
 */
async function seedCounts(
  ctx: CoreContext,
  window: DebounceWindow,
  demo: DemoVendor,
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
  for (const count of demo.counts) {
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
  if (accepted + waiting > 0) progress(`set ${accepted} ${demo.name} counts; ${waiting} wait for a mapping`);
  return accepted;
}
