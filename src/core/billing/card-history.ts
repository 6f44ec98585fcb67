import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { HistoryEntry, Integration } from '../model.js';
import { parseCardId } from './cards.js';

/** One point of a card's chart: the card's vendor quantity right after a count changed. */
export interface CardPoint {
  atMs: number;
  vendorQuantity: number;
}

/** Rounds away float noise from running sums of decimal counts. */
const tidy = (n: number): number => Math.round(n * 1e6) / 1e6;

/** The pairs of one integration that feed the card, with their current counts and recent history. */
async function feed(
  ctx: CoreContext,
  integration: Integration,
  companyId: string,
  productId: string,
  limit: number,
) {
  const store = ctx.store;
  const targeted = async (kind: 'account' | 'service', targetId: string) =>
    (await store.listMappings(integration.id, kind))
      .filter((m) => !m.excluded && m.targetId === targetId)
      .map((m) => m.itemId);
  // The same items a build counts: active accounts, and services not switched off.
  const accountIds = (await store.listAccounts(integration.id, await targeted('account', companyId)))
    .filter((a) => a.isActive)
    .map((a) => a.id);
  const mappedServices = await targeted('service', productId);
  const inactive = new Set(
    (await store.listOrgServices(integration.id, mappedServices)).filter((s) => !s.isActive).map((s) => s.id),
  );
  const serviceIds = mappedServices.filter((id) => !inactive.has(id));
  const accounts = new Set(accountIds);
  const services = new Set(serviceIds);
  const current = (await store.listCounts(integration.id))
    .filter((c) => accounts.has(c.accountId) && services.has(c.serviceId))
    .reduce((sum, c) => sum + c.unitCount, 0);
  const entries = await store.listHistoryOfPairs(integration.id, { accountIds, serviceIds }, limit);
  return { current, entries };
}

/**
 * The card's vendor quantity after each of its last `limit` count changes, oldest first, for the
 * chart. It is the current sum walked back through the history of the mapped accounts and services
 * (each entry knows the value it replaced), so only the last few entries are read.
 */
export async function cardHistory(
  ctx: CoreContext,
  partnerId: string,
  id: string,
  limit = 30,
): Promise<CardPoint[]> {
  const parsed = parseCardId(id);
  const company = parsed && (await ctx.store.getCompany(partnerId, parsed.companyId));
  const product = parsed && (await ctx.store.getProduct(partnerId, parsed.productId));
  if (!company || !product) throw notFound(`No card found with id: ${id}`);
  const integrations = (await ctx.store.listIntegrationsOfPartner(partnerId)).filter(
    (i) => i.disconnectedAtMs === null,
  );
  let sum = 0;
  const entries: HistoryEntry[] = [];
  for (const integration of integrations) {
    const part = await feed(ctx, integration, company.id, product.id, limit);
    sum += part.current;
    entries.push(...part.entries);
  }
  entries.sort((a, b) => b.atMs - a.atMs || b.id - a.id);
  const points: CardPoint[] = [];
  for (const entry of entries.slice(0, limit)) {
    points.push({ atMs: entry.atMs, vendorQuantity: tidy(sum) });
    sum -= entry.unitCount - (entry.previousUnitCount ?? 0);
  }
  return points.reverse();
}
