import { cardId } from '../billing/cards.js';
import type { Repo } from '../ports.js';

/** The live ledger per (company, product) card. */
export interface CardLedger {
  /** What the partner bills: the sum of the active agreement lines. */
  quantities: Map<string, number>;
  /** Why the PSA takes no quantity for a card's line (it computes it itself); absent when it does. */
  lockedReasons: Map<string, string>;
}

/**
 * What the partner bills per card, and which cards' lines the PSA will not take a quantity for. Read
 * at request time, so a ledger change shows on the billing view without a rebuild.
 */
export async function cardLedger(repo: Repo, partnerId: string): Promise<CardLedger> {
  const quantities = new Map<string, number>();
  const lockedReasons = new Map<string, string>();
  for (const line of await repo.listAgreementLines(partnerId, { activeOnly: true })) {
    const id = cardId(line.companyId, line.productId);
    quantities.set(id, (quantities.get(id) ?? 0) + line.quantity);
    if (line.lockedReason !== undefined) lockedReasons.set(id, line.lockedReason);
  }
  return { quantities, lockedReasons };
}

/** What the partner bills per card (see cardLedger). */
export async function psaQuantities(repo: Repo, partnerId: string): Promise<Map<string, number>> {
  return (await cardLedger(repo, partnerId)).quantities;
}
