import type { CoreContext } from '../context.js';
import type { CardAction } from '../model.js';
import { psaQuantities } from '../psa/psa-quantities.js';
import { type Card, type CardState, billingView } from './cards.js';
import type { Period } from './period.js';

/** A card with the partner's standing decision on it for the period, if any. */
export interface BoardCard extends Card {
  action: CardAction | null;
}

export interface BoardTotals {
  /** Cards that differ (new revenue or reconcile) and have no standing decision. */
  linesToReview: number;
  /** Monthly money the partner does not bill yet: the positive effects among those cards. */
  revenueFoundMicros: number;
  /** The margin those same cards would add. */
  marginFoundMicros: number;
}

export interface BillingBoard {
  period: Period;
  builtAtMs: number | null;
  totals: BoardTotals;
  cards: BoardCard[];
}

export interface BoardFilter {
  /** Also show cards the partner already approved, adjusted or dismissed this period. */
  includeActioned?: boolean;
  state?: CardState;
  /** Case-insensitive substring of the company, product or vendor name. */
  q?: string;
}

/** Same tolerance as card states: quantities are decimals. */
const EPSILON = 1e-9;

/**
 * A decision stands while the vendor still reports the quantity it was made on; once the count
 * moves, the card needs a look again.
 */
const standing = (card: Card, action: CardAction | undefined): CardAction | null =>
  action && Math.abs(action.vendorQuantity - card.vendorQuantity) < EPSILON ? action : null;

const matches = (card: Card, q: string): boolean =>
  [card.companyName, card.productName, ...card.sources.map((s) => s.vendorName)].some((name) =>
    name.toLowerCase().includes(q),
  );

/**
 * The billing view as the partner works it: PSA quantities from the live ledger, decisions of the
 * period, totals over every open card (whatever the filter), and the cards the filter shows.
 */
export async function billingBoard(
  ctx: CoreContext,
  partnerId: string,
  period: Period,
  filter: BoardFilter = {},
): Promise<BillingBoard> {
  const view = await billingView(ctx, partnerId, period, await psaQuantities(ctx.store, partnerId));
  const actions = new Map((await ctx.store.listCardActions(partnerId, period)).map((a) => [a.cardId, a]));
  const cards = view.cards.map((card) => ({ ...card, action: standing(card, actions.get(card.id)) }));

  const toReview = cards.filter((c) => c.action === null && c.state !== 'no_change');
  const found = toReview.filter((c) => c.monthlyEffectMicros > 0);
  const totals: BoardTotals = {
    linesToReview: toReview.length,
    revenueFoundMicros: found.reduce((sum, c) => sum + c.monthlyEffectMicros, 0),
    marginFoundMicros: found.reduce((sum, c) => sum + c.marginEffectMicros, 0),
  };
  const q = filter.q?.trim().toLowerCase() ?? '';
  const shown = cards.filter(
    (c) =>
      (filter.includeActioned === true || c.action === null) &&
      (filter.state === undefined || c.state === filter.state) &&
      (q === '' || matches(c, q)),
  );
  return { period: view.period, builtAtMs: view.builtAtMs, totals, cards: shown };
}
