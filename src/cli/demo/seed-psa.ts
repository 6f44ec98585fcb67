import type { DebounceWindow } from '../../core/builds/debounce.js';
import type { CoreContext } from '../../core/context.js';
import { setMapping } from '../../core/mappings/set-mapping.js';
import type { Company, Integration, Partner, Product, Sku } from '../../core/model.js';
import { createAgreement } from '../../core/psa/create-agreement.js';
import { createAgreementLine } from '../../core/psa/create-agreement-line.js';
import { createCompany } from '../../core/psa/create-company.js';
import { createProduct } from '../../core/psa/create-product.js';
import { DEMO_AGREEMENT, DEMO_COMPANIES, DEMO_LINES, DEMO_PRODUCTS, type DemoVendor } from './catalog.js';
import type { Progress } from './progress.js';

/** The demo partner's PSA records, by name. */
export interface DemoPsa {
  companies: Map<string, Company>;
  products: Map<string, Product>;
}

/** Adds the demo PSA companies and products that are missing, as the partner API would. */
export async function seedPsa(ctx: CoreContext, partner: Partner, progress: Progress): Promise<DemoPsa> {
  const companies = new Map(
    (await ctx.store.listCompanies(partner.id, {})).rows.map((c) => [c.name, c] as const),
  );
  const newCompanies = DEMO_COMPANIES.filter((name) => !companies.has(name));
  for (const name of newCompanies) companies.set(name, await createCompany(ctx, partner.id, { name }));
  const products = new Map((await ctx.store.listProducts(partner.id)).map((p) => [p.name, p] as const));
  const newProducts = DEMO_PRODUCTS.filter((p) => !products.has(p.name));
  for (const input of newProducts) products.set(input.name, await createProduct(ctx, partner.id, input));
  if (newCompanies.length + newProducts.length > 0) {
    progress(`added ${newCompanies.length} PSA companies and ${newProducts.length} products`);
  }
  return { companies, products };
}

/**
 * Gives each company that has no "Managed Services" agreement yet that agreement with its demo lines,
 * so a repeat run adds nothing (and leaves whatever the partner reconciled since).
 */
export async function seedAgreements(
  ctx: CoreContext,
  partner: Partner,
  psa: DemoPsa,
  progress: Progress,
): Promise<void> {
  let added = 0;
  for (const [name, company] of psa.companies) {
    const lines = DEMO_LINES.filter((l) => l.company === name);
    if (lines.length === 0) continue;
    const existing = await ctx.store.listAgreements(partner.id, { companyId: company.id });
    if (existing.some((a) => a.name === DEMO_AGREEMENT)) continue;
    const agreement = await createAgreement(ctx, partner.id, { name: DEMO_AGREEMENT, companyId: company.id });
    for (const line of lines) {
      const product = psa.products.get(line.product);
      if (!product) throw new Error(`Demo catalogue has no product ${line.product}`);
      await createAgreementLine(ctx, partner.id, {
        agreementId: agreement.id,
        productId: product.id,
        quantity: line.quantity,
      });
      added += 1;
    }
  }
  if (added > 0) progress(`added ${added} agreement lines (some deliberately off)`);
}

/**
 * Maps a vendor's demo accounts to companies and services to products, leaving the ones the
 * catalogue marks unmapped alone. An item that already has a mapping keeps it, whatever the partner
 * changed it to.
 */
export async function seedMappings(
  ctx: CoreContext,
  window: DebounceWindow,
  demo: { vendor: DemoVendor; integration: Integration; services: Record<string, Sku> },
  psa: DemoPsa,
  progress: Progress,
): Promise<void> {
  const wanted = [
    ...demo.vendor.accounts.map((a) => ({
      kind: 'account' as const,
      itemId: a.id,
      targetId: a.company === null ? undefined : psa.companies.get(a.company)?.id,
    })),
    ...demo.vendor.services.map((s) => ({
      kind: 'service' as const,
      itemId: demo.services[s.key]?.id,
      targetId: s.product === null ? undefined : psa.products.get(s.product)?.id,
    })),
  ];
  let added = 0;
  for (const { kind, itemId, targetId } of wanted) {
    if (itemId === undefined || targetId === undefined) continue;
    if (await ctx.store.getMapping(demo.integration.id, kind, itemId)) continue;
    await setMapping(ctx, window, {
      partnerId: demo.integration.partnerId,
      integrationId: demo.integration.id,
      kind,
      itemId,
      targetId,
    });
    added += 1;
  }
  if (added > 0) progress(`added ${added} mappings for ${demo.vendor.name}`);
}
