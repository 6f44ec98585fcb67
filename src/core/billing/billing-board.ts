import type { CoreContext } from '../context.js';
import type { CardAction, Company } from '../model.js';
import type { PsaWrite } from '../psa-connector/store.js';
import { cardLedger } from '../psa/psa-quantities.js';
import { type Card, type CardState, billingView } from './cards.js';
import type { Period } from './period.js';

/** A card with the partner's standing decision on it for the period, if any. */
export interface BoardCard extends Card {
  action: CardAction | null;
  /** The card's latest write to the connected PSA this period, if any. */
  psaWrite: PsaWrite | null;
  /** Why the PSA takes no quantity for the card's line (it computes it itself); null when it does. */
  psaLockedReason: string | null;
}

export interface BoardTotals {
  /** Cards that differ (new revenue or reconcile) and have no standing decision. */
  linesToReview: number;
  /** Monthly money the partner does not bill yet: the positive effects among those cards. */
  revenueFoundMicros: number;
  /** The margin those same cards would add. */
  marginFoundMicros: number;
  /** Refund exposure: the PSA bills more than the vendors report, summed over those cards as a positive amount. */
  overBilledMicros: number;
  /** revenueFound − overBilled: what approving every open card would change per month. */
  netMicros: number;
  /** Open cards with a negative effect (the ones overBilled names). */
  overBilledLines: number;
  /** Open cards with a positive effect (the ones revenueFound names). */
  revenueFoundLines: number;
  /** Ledger lines not reconciled because no vendor service maps to their product. */
  linesWithoutVendor: number;
  /** Units vendors sent for accounts or services not mapped yet (waiting on the Mapping screen). */
  unitsHeldBack: number;
  /** How many such waiting counts. */
  itemsHeldBack: number;
}

export interface BillingBoard {
  period: Period;
  builtAtMs: number | null;
  totals: BoardTotals;
  cards: BoardCard[];
  /** The companies the cards name, by id: where each lives in the connected PSA, for instance. */
  companies: Map<string, Company>;
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

/** Counts refused for want of a mapping, over the partner's live integrations. */
async function waitingOfPartner(
  ctx: CoreContext,
  partnerId: string,
): Promise<{ units: number; items: number }> {
  const integrations = (await ctx.store.listIntegrationsOfPartner(partnerId)).filter(
    (i) => i.disconnectedAtMs === null,
  );
  const waiting = (await Promise.all(integrations.map((i) => ctx.store.listWaiting(i.id)))).flat();
  return {
    units: Math.round(waiting.reduce((sum, w) => sum + w.unitCount, 0) * 1e6) / 1e6,
    items: waiting.length,
  };
}

/** A decided card stays in view while its PSA write is pending or failed: it still needs an eye. */
const needsEye = (write: PsaWrite | null): boolean => write?.state === 'pending' || write?.state === 'failed';

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
  const ledger = await cardLedger(ctx.store, partnerId);
  const view = await billingView(ctx, partnerId, period, ledger.quantities);
  const actions = new Map((await ctx.store.listCardActions(partnerId, period)).map((a) => [a.cardId, a]));
  const writes = await ctx.store.latestPsaWritesOfCards(partnerId, period);
  const cards = view.cards.map((card) => ({
    ...card,
    action: standing(card, actions.get(card.id)),
    psaWrite: writes.get(card.id) ?? null,
    psaLockedReason: ledger.lockedReasons.get(card.id) ?? null,
  }));

  const toReview = cards.filter((c) => c.action === null && c.state !== 'no_change');
  const found = toReview.filter((c) => c.monthlyEffectMicros > 0);
  const over = toReview.filter((c) => c.monthlyEffectMicros < 0);
  const revenueFoundMicros = found.reduce((sum, c) => sum + c.monthlyEffectMicros, 0);
  const overBilledMicros = -over.reduce((sum, c) => sum + c.monthlyEffectMicros, 0);
  const heldBack = await waitingOfPartner(ctx, partnerId);
  const totals: BoardTotals = {
    linesToReview: toReview.length,
    revenueFoundMicros,
    marginFoundMicros: found.reduce((sum, c) => sum + c.marginEffectMicros, 0),
    overBilledMicros,
    netMicros: revenueFoundMicros - overBilledMicros,
    revenueFoundLines: found.length,
    overBilledLines: over.length,
    linesWithoutVendor: view.withoutVendor.lines,
    unitsHeldBack: heldBack.units,
    itemsHeldBack: heldBack.items,
  };
  const q = filter.q?.trim().toLowerCase() ?? '';
  const shown = cards.filter(
    (c) =>
      (filter.includeActioned === true || c.action === null || needsEye(c.psaWrite)) &&
      (filter.state === undefined || c.state === filter.state) &&
      (q === '' || matches(c, q)),
  );
  return { period: view.period, builtAtMs: view.builtAtMs, totals, cards: shown, companies: view.companies };
}
