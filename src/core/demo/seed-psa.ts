import type { DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { setMapping } from '../mappings/set-mapping.js';
import type { Company, Integration, Partner, Product, Sku } from '../model.js';
import { createCompany } from '../psa/create-company.js';
import { createProduct } from '../psa/create-product.js';
import { DEMO_ACCOUNTS, DEMO_COMPANIES, DEMO_PRODUCTS, DEMO_SERVICE_PRODUCTS } from './catalog.js';
import type { Progress } from './seed-demo.js';

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
 * Maps the demo accounts to companies and services to products, leaving the ones the catalogue marks
 * unmapped alone. An item that already has a mapping keeps it, whatever the partner changed it to.
 */
export async function seedMappings(
  ctx: CoreContext,
  window: DebounceWindow,
  integration: Integration,
  services: Record<string, Sku>,
  psa: DemoPsa,
  progress: Progress,
): Promise<void> {
  const wanted = [
    ...DEMO_ACCOUNTS.map((a) => ({
      kind: 'account' as const,
      itemId: a.id,
      targetId: a.company === null ? undefined : psa.companies.get(a.company)?.id,
    })),
    ...Object.entries(DEMO_SERVICE_PRODUCTS).map(([key, product]) => ({
      kind: 'service' as const,
      itemId: services[key]?.id,
      targetId: product === null ? undefined : psa.products.get(product)?.id,
    })),
  ];
  let added = 0;
  for (const { kind, itemId, targetId } of wanted) {
    if (itemId === undefined || targetId === undefined) continue;
    if (await ctx.store.getMapping(integration.id, kind, itemId)) continue;
    await setMapping(ctx, window, {
      partnerId: integration.partnerId,
      integrationId: integration.id,
      kind,
      itemId,
      targetId,
    });
    added += 1;
  }
  if (added > 0) progress(`added ${added} mappings`);
}
