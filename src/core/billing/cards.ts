import type { CoreContext } from '../context.js';
import type { BillingRow, Company } from '../model.js';
import { cardMoney } from './money.js';
import type { Period } from './period.js';

export type CardState = 'new_revenue' | 'reconcile' | 'no_change';

/** One vendor's part of a card; several vendors' services can map to the same company and product. */
export interface CardSource {
  integrationId: string;
  vendorId: string;
  vendorName: string;
  vendorQuantity: number;
}

/** A billing-view card: what the vendors report for one (company, product) beside what the PSA bills. */
export interface Card {
  id: string;
  companyId: string;
  companyName: string;
  productId: string;
  productName: string;
  vendorQuantity: number;
  psaQuantity: number;
  difference: number;
  state: CardState;
  unitPriceMicros: number;
  unitCostMicros: number;
  /** difference × unit price. */
  monthlyEffectMicros: number;
  /** difference × (unit price − unit cost). */
  marginEffectMicros: number;
  lastChangedAtMs: number;
  /**
   * false when a vendor service maps to the product but no vendor sent a count for this company:
   * the vendor reports 0. (A product no vendor maps to never makes a card.)
   */
  vendorCounted: boolean;
  sources: CardSource[];
}

export interface BillingView {
  period: Period;
  /** When the newest of the partner's integration views was built; null before any build. */
  builtAtMs: number | null;
  cards: Card[];
  /**
   * Ledger quantities of products no vendor service maps to (labour, flat fees): not reconciled,
   * because no vendor reports them. Counted so the partner knows they were left out on purpose.
   */
  withoutVendor: { lines: number; psaQuantity: number };
  /** The companies the cards name, by id (so a caller need not read them again). */
  companies: Map<string, Company>;
}

/** Quantities are decimals; compare them with a tolerance far below any real unit. */
const EPSILON = 1e-9;

export function cardState(vendorQuantity: number, psaQuantity: number): CardState {
  if (Math.abs(vendorQuantity - psaQuantity) < EPSILON) return 'no_change';
  return psaQuantity === 0 && vendorQuantity > 0 ? 'new_revenue' : 'reconcile';
}

export const cardId = (companyId: string, productId: string): string => `${companyId}.${productId}`;

/** The company and product a card id names; undefined when it is not shaped like one. */
export function parseCardId(id: string): { companyId: string; productId: string } | undefined {
  const [companyId, productId, ...rest] = id.split('.');
  if (!companyId || !productId || rest.length > 0) return undefined;
  return { companyId, productId };
}

/**
 * The partner's billing view: the built rows of all its live integrations, summed per (company,
 * product). PSA quantities come from the agreement lines of the partner's ledger.
 */
export async function billingView(
  ctx: CoreContext,
  partnerId: string,
  period: Period,
  psaQuantities: Map<string, number> = new Map(),
): Promise<BillingView> {
  const store = ctx.store;
  const integrations = (await store.listIntegrationsOfPartner(partnerId)).filter(
    (i) => i.disconnectedAtMs === null,
  );
  const vendors = new Map(
    await Promise.all(integrations.map(async (i) => [i.id, await store.getVendor(i.vendorId)] as const)),
  );
  const rows = await store.listBillingRows(integrations.map((i) => i.id));
  const products = new Map((await store.listProducts(partnerId)).map((p) => [p.id, p]));
  const vendored = await vendoredProducts(
    ctx,
    integrations.map((i) => i.id),
  );

  const grouped = new Map<string, BillingRow[]>();
  for (const row of rows) {
    const key = cardId(row.companyId, row.productId);
    const parts = grouped.get(key);
    if (parts) parts.push(row);
    else grouped.set(key, [row]);
  }
  // A ledger line makes a card only when some vendor service maps to its product: then a missing
  // count means "the vendor reports 0". Products no vendor reports are left alone, not zeroed.
  const withoutVendor = { lines: 0, psaQuantity: 0 };
  for (const [key, quantity] of psaQuantities) {
    if (grouped.has(key)) continue;
    if (vendored.has(parseCardId(key)?.productId ?? '')) grouped.set(key, []);
    else if (quantity > 0) {
      withoutVendor.lines += 1;
      withoutVendor.psaQuantity += quantity;
    }
  }
  // Only the companies the cards name are read: a ledger of millions of companies costs nothing here.
  const companyIds = new Set([...grouped.keys()].map((key) => key.split('.')[0] as string));
  const companies = new Map(
    (await store.getCompanies(partnerId, [...companyIds])).map((company) => [company.id, company]),
  );

  const cards: Card[] = [];
  for (const [id, parts] of grouped) {
    const [companyId, productId] = id.split('.') as [string, string];
    const company = companies.get(companyId);
    const product = products.get(productId);
    if (!company || !product) continue;
    const vendorQuantity = parts.reduce((sum, r) => sum + r.vendorQuantity, 0);
    const psaQuantity = psaQuantities.get(id) ?? 0;
    // Rounded to millionths: sums of decimal counts carry float noise (0.3 - 0.1 = 0.19999999999999998).
    const rawDifference = vendorQuantity - psaQuantity;
    const rounded = Math.round(rawDifference * 1e6) / 1e6;
    const difference = Number.isFinite(rounded) ? rounded : rawDifference;
    // Numbers stored before the quantity limits can sum past what a number holds; such a card
    // cannot be shown truthfully, and leaving it out keeps every other card on the board.
    if (![vendorQuantity, psaQuantity, difference].every(Number.isFinite)) continue;
    cards.push({
      id,
      companyId,
      companyName: company.name,
      productId,
      productName: product.name,
      vendorQuantity,
      psaQuantity,
      difference,
      state: cardState(vendorQuantity, psaQuantity),
      unitPriceMicros: product.unitPriceMicros,
      unitCostMicros: product.unitCostMicros,
      ...cardMoney(difference, product.unitPriceMicros, product.unitCostMicros),
      lastChangedAtMs: Math.max(0, ...parts.map((r) => r.lastChangedAtMs)),
      vendorCounted: parts.length > 0,
      sources: parts.map((r) => {
        const vendor = vendors.get(r.integrationId);
        return {
          integrationId: r.integrationId,
          vendorId: vendor?.id ?? '',
          vendorName: vendor?.name ?? '',
          vendorQuantity: r.vendorQuantity,
        };
      }),
    });
  }
  cards.sort(
    (a, b) => a.companyName.localeCompare(b.companyName) || a.productName.localeCompare(b.productName),
  );
  const states = await Promise.all(integrations.map((i) => store.getBuildState(i.id)));
  const builtTimes = states.flatMap((s) => (s?.lastBuiltAtMs == null ? [] : [s.lastBuiltAtMs]));
  return {
    period,
    builtAtMs: builtTimes.length > 0 ? Math.max(...builtTimes) : null,
    cards,
    withoutVendor,
    companies,
  };
}

/** Products that at least one service of the given integrations is mapped to. */
async function vendoredProducts(ctx: CoreContext, integrationIds: string[]): Promise<Set<string>> {
  const mappings = await Promise.all(integrationIds.map((id) => ctx.store.listMappings(id, 'service')));
  return new Set(mappings.flat().flatMap((m) => (!m.excluded && m.targetId !== null ? [m.targetId] : [])));
}
