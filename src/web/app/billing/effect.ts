import type { Card, CardAction } from '../api.js';

/** What an action on some cards would do to the ledger, for the confirm dialog. */
export interface ActionEffect {
  lines: number;
  /** Monthly money the ledger would bill more (a positive amount) and on how many lines. */
  upAmount: number;
  upLines: number;
  /** Monthly money the ledger would bill less (a positive amount) and on how many lines. */
  downAmount: number;
  downLines: number;
  /** Lines whose PSA quantity would become 0. */
  toZero: number;
}

/** Rounds to cents: sums of decimal money carry float noise. */
const cents = (n: number): number => Math.round(n * 100) / 100;

/** The PSA quantity a card would have after the action; null for dismiss, which writes nothing. */
export function targetOf(card: Card, action: CardAction, quantity?: number): number | null {
  if (action === 'dismiss') return null;
  return action === 'approve' ? card.vendorQuantity : (quantity ?? card.psaQuantity);
}

export function actionEffect(cards: Card[], action: CardAction, quantity?: number): ActionEffect {
  const effect: ActionEffect = {
    lines: cards.length,
    upAmount: 0,
    upLines: 0,
    downAmount: 0,
    downLines: 0,
    toZero: 0,
  };
  for (const card of cards) {
    const target = targetOf(card, action, quantity);
    if (target === null) continue;
    const money = (target - card.psaQuantity) * card.unitPrice;
    if (money > 0) {
      effect.upAmount += money;
      effect.upLines += 1;
    } else if (money < 0) {
      effect.downAmount -= money;
      effect.downLines += 1;
    }
    if (target === 0) effect.toZero += 1;
  }
  return { ...effect, upAmount: cents(effect.upAmount), downAmount: cents(effect.downAmount) };
}

/**
 * Whether to ask before acting: always for several cards at once, and whenever a line would be set
 * to 0 (that stops billing it), also one at a time.
 */
export const needsConfirm = (cards: Card[], action: CardAction, quantity?: number): boolean =>
  cards.length > 1 || cards.some((c) => targetOf(c, action, quantity) === 0);
