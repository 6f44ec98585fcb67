import { cardId } from '../billing/cards.js';
import type { Repo } from '../ports.js';

/**
 * What the partner bills per (company, product) card: the sum of the active agreement lines. Read at
 * request time, so a ledger change shows on the billing view without a rebuild.
 */
export async function psaQuantities(repo: Repo, partnerId: string): Promise<Map<string, number>> {
  const quantities = new Map<string, number>();
  for (const line of await repo.listAgreementLines(partnerId, { activeOnly: true })) {
    const id = cardId(line.companyId, line.productId);
    quantities.set(id, (quantities.get(id) ?? 0) + line.quantity);
  }
  return quantities;
}
