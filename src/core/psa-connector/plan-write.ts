import { PsaChoiceError, conflict } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import type { Repo } from '../ports.js';
import { PSA_NAMES } from '../model.js';
import type { PsaWrite } from './store.js';

/** The partner's choice when a card's PSA write is ambiguous. */
export interface PsaChoice {
  /** Which of several active lines takes the quantity. */
  agreementLineId?: string;
  /** Which of several active agreements takes a new line. */
  agreementId?: string;
}

export interface PlannedWrite {
  partnerId: string;
  period: string;
  cardId: string;
  companyId: string;
  productId: string;
  /** The card's new PSA quantity (all its active lines together). */
  target: number;
  nowMs: number;
  /** The decision's effective date (YYYY-MM-DD), for PSAs that date a change (Autotask). */
  effectiveDate: string | null;
  choice: PsaChoice;
}

/** Same tolerance as card states: quantities are decimals. */
const EPSILON = 1e-9;

/**
 * For a card whose company was synced from the connected PSA: the write job that carries the new
 * quantity to the PSA (the ledger follows when the PSA confirms). Undefined for a hand-made company,
 * whose ledger is written directly; 'none' when there is nothing to send. Ambiguous places answer
 * 409 with the candidates, so the partner chooses.
 */
export async function planPsaWrite(
  tx: Repo,
  ids: IdGenerator,
  plan: PlannedWrite,
): Promise<PsaWrite | 'none' | undefined> {
  const company = await tx.getCompany(plan.partnerId, plan.companyId);
  if (!company?.psa) return undefined;
  const psaName = PSA_NAMES[company.psa.kind];
  const connection = await tx.getPsaConnection(plan.partnerId);
  if (!connection || connection.kind !== company.psa.kind) {
    throw conflict(
      `"${company.name}" comes from ${psaName}, which is not connected; connect it to write quantities`,
    );
  }
  const product = await tx.getProduct(plan.partnerId, plan.productId);
  if (!product?.psa) {
    throw conflict(
      `"${product?.name ?? plan.productId}" is not a ${psaName} product; map the vendor service to one to write to ${psaName}`,
    );
  }
  const pending = (await tx.latestPsaWritesOfCards(plan.partnerId, plan.period)).get(plan.cardId);
  if (pending?.state === 'pending') {
    throw conflict(
      `A write of ${pending.targetQuantity} to ${psaName} is still pending for this card; wait for it to finish`,
    );
  }
  const lines = (
    await tx.listAgreementLines(plan.partnerId, {
      companyId: plan.companyId,
      productId: plan.productId,
      activeOnly: true,
    })
  ).filter((l) => l.psa?.kind === company.psa?.kind);
  const base = {
    id: ids.objectId(),
    partnerId: plan.partnerId,
    kind: company.psa.kind,
    period: plan.period,
    cardId: plan.cardId,
    companyId: plan.companyId,
    productId: plan.productId,
    state: 'pending' as const,
    attempts: 0,
    lastError: null,
    nextAttemptAtMs: plan.nowMs,
    leaseUntilMs: null,
    createdAtMs: plan.nowMs,
    updatedAtMs: plan.nowMs,
    remoteRef: null,
    effectiveDate: plan.effectiveDate,
  };

  if (lines.length > 0) {
    const chosen =
      plan.choice.agreementLineId !== undefined
        ? lines.find((l) => l.id === plan.choice.agreementLineId)
        : lines.length === 1
          ? lines[0]
          : undefined;
    if (!chosen) {
      const agreements = new Map(
        (await tx.listAgreements(plan.partnerId, { companyId: plan.companyId })).map((a) => [a.id, a.name]),
      );
      throw new PsaChoiceError(
        plan.choice.agreementLineId !== undefined
          ? `Agreement line ${plan.choice.agreementLineId} is not an active ${psaName} line of this card`
          : `"${company.name}" has ${lines.length} active ${psaName} lines of "${product.name}"; choose one with agreementLineId`,
        lines.map((l) => ({
          agreementLineId: l.id,
          agreementId: l.agreementId,
          agreementName: agreements.get(l.agreementId) ?? null,
          quantity: l.quantity,
          externalId: l.psa?.externalId ?? null,
        })),
      );
    }
    if (chosen.lockedReason !== undefined) {
      throw conflict(
        `${psaName} will not take a quantity for this line of "${product.name}": ${chosen.lockedReason}`,
      );
    }
    // The card's quantity is the sum of its lines; the chosen line takes what the others do not bill.
    const others = lines.filter((l) => l.id !== chosen.id).reduce((sum, l) => sum + l.quantity, 0);
    const lineTarget = Math.round((plan.target - others) * 1e6) / 1e6;
    if (lineTarget < 0) {
      throw conflict(`The other lines of this card already bill ${others}; lower them in ${psaName} first`);
    }
    if (Math.abs(lineTarget - chosen.quantity) < EPSILON) return 'none';
    return {
      ...base,
      op: 'set_quantity',
      lineId: chosen.id,
      agreementId: chosen.agreementId,
      targetQuantity: lineTarget,
    };
  }

  if (plan.target < EPSILON) return 'none';
  const agreements = await tx.listActiveSyncedAgreements(plan.partnerId, company.psa.kind, plan.companyId);
  const agreement =
    plan.choice.agreementId !== undefined
      ? agreements.find((a) => a.id === plan.choice.agreementId)
      : agreements.length === 1
        ? agreements[0]
        : undefined;
  if (!agreement) {
    if (agreements.length === 0) {
      throw conflict(`"${company.name}" has no active agreement in ${psaName} to add "${product.name}" to`);
    }
    throw new PsaChoiceError(
      plan.choice.agreementId !== undefined
        ? `Agreement ${plan.choice.agreementId} is not an active ${psaName} agreement of "${company.name}"`
        : `"${company.name}" has ${agreements.length} active ${psaName} agreements; choose one with agreementId`,
      agreements.map((a) => ({ agreementId: a.id, agreementName: a.name, externalId: a.externalId })),
    );
  }
  return { ...base, op: 'add_line', lineId: null, agreementId: agreement.id, targetQuantity: plan.target };
}
