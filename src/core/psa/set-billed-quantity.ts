import type { IdGenerator } from '../ids.js';
import type { AgreementLine } from '../model.js';
import type { Repo } from '../ports.js';

/** The agreement Tally writes lines into when a company has none billing the product. */
export const TALLY_AGREEMENT_NAME = 'Tally';

export interface BilledQuantity {
  partnerId: string;
  companyId: string;
  productId: string;
  quantity: number;
  nowMs: number;
}

/** Finds the company's "Tally" agreement, creating it on first use. */
async function tallyAgreementId(tx: Repo, ids: IdGenerator, target: BilledQuantity): Promise<string> {
  const existing = (await tx.listAgreements(target.partnerId, { companyId: target.companyId })).find(
    (a) => a.name === TALLY_AGREEMENT_NAME,
  );
  if (existing) return existing.id;
  const id = ids.objectId();
  await tx.insertAgreement({
    id,
    partnerId: target.partnerId,
    companyId: target.companyId,
    name: TALLY_AGREEMENT_NAME,
    createdAtMs: target.nowMs,
  });
  return id;
}

/**
 * Writes the ledger so the active lines of (company, product) add up to `quantity`, and returns the
 * line it wrote. With no active line, a new one goes into the company's "Tally" agreement. An
 * increase goes to the oldest line; a decrease is taken from the newest lines first, so the original
 * contract keeps its quantity longest. Runs in the caller's transaction.
 */
export async function setBilledQuantity(tx: Repo, ids: IdGenerator, target: BilledQuantity): Promise<string> {
  const lines = await tx.listAgreementLines(target.partnerId, {
    companyId: target.companyId,
    productId: target.productId,
    activeOnly: true,
  });
  const first = lines[0];
  if (!first) {
    const line: AgreementLine = {
      id: ids.objectId(),
      partnerId: target.partnerId,
      agreementId: await tallyAgreementId(tx, ids, target),
      companyId: target.companyId,
      productId: target.productId,
      quantity: target.quantity,
      active: true,
      createdAtMs: target.nowMs,
      updatedAtMs: target.nowMs,
    };
    await tx.insertAgreementLine(line);
    return line.id;
  }
  let delta = target.quantity - lines.reduce((sum, l) => sum + l.quantity, 0);
  if (delta >= 0) {
    if (delta > 0)
      await tx.updateAgreementLine({ ...first, quantity: first.quantity + delta, updatedAtMs: target.nowMs });
    return first.id;
  }
  let written = first.id;
  for (const line of [...lines].reverse()) {
    if (delta >= 0) break;
    const taken = Math.min(line.quantity, -delta);
    if (taken === 0) continue;
    await tx.updateAgreementLine({ ...line, quantity: line.quantity - taken, updatedAtMs: target.nowMs });
    delta += taken;
    written = line.id;
  }
  return written;
}
