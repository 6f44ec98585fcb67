import type { CoreContext } from '../context.js';
import type { CardAction } from '../model.js';
import type { Period } from './period.js';

/** A decision of the period as the "Decided this period" view shows it. */
export interface Decision extends CardAction {
  companyId: string;
  companyName: string;
  productId: string;
  productName: string;
  /** The PSA quantity before the decision. */
  fromQuantity: number;
}

/**
 * The partner's decisions of a period (approved, adjusted, dismissed), newest first, with who made
 * them, when, and the PSA quantity from → to, read from the decisions and the audit entries they left.
 */
export async function decisionsOfPeriod(
  ctx: CoreContext,
  partnerId: string,
  period: Period,
): Promise<Decision[]> {
  const store = ctx.store;
  const [actions, companies, products] = await Promise.all([
    store.listCardActions(partnerId, period),
    store.listCompanies(partnerId, {}),
    store.listProducts(partnerId),
  ]);
  const companyName = new Map(companies.rows.map((c) => [c.id, c.name]));
  const productName = new Map(products.map((p) => [p.id, p.name]));
  const decisions = await Promise.all(
    actions.map(async (a): Promise<Decision> => {
      const [entry] = await store.findAuditEntries(partnerId, {
        period,
        cardId: a.cardId,
        action: a.action,
        limit: 1,
      });
      const [companyId = '', productId = ''] = a.cardId.split('.');
      return {
        ...a,
        companyId,
        companyName: companyName.get(companyId) ?? companyId,
        productId,
        productName: productName.get(productId) ?? productId,
        fromQuantity: entry?.fromQuantity ?? 0,
      };
    }),
  );
  return decisions.sort((a, b) => b.atMs - a.atMs);
}
