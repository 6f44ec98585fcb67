import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { CardAction } from '../model.js';
import { planPsaWrite } from '../psa-connector/plan-write.js';
import { setBilledQuantity } from '../psa/set-billed-quantity.js';
import { parseCardId } from './cards.js';
import type { Period } from './period.js';

export interface UndoInput {
  partnerId: string;
  /** Who undoes: the signed-in user's email, or 'api token'. */
  by: string;
  period: Period;
  cardId: string;
}

/** What an undo did. */
export interface UndoResult {
  cardId: string;
  /** The decision taken back. */
  undone: CardAction;
  /** The PSA quantity before the decision, written back for approve and adjust. */
  restoredQuantity: number;
  /** False for a dismiss: it had not touched the ledger, so neither does its undo. */
  ledgerWritten: boolean;
  agreementLineId: string | null;
  /** For a company synced from the connected PSA: the queued write of the restored quantity. */
  psaWriteId: string | null;
}

/**
 * Takes back the partner's decision on a card for a period: approve and adjust get the PSA quantity
 * the card had before the decision written back to the ledger, the decision is forgotten so the card
 * returns to the board, and the audit log gets an "undo" entry. All in one transaction. A company
 * synced from a PSA has the restored quantity queued for its PSA instead (the outbox), on the line
 * the decision wrote; the ledger follows when the PSA confirms.
 */
export async function undoDecision(ctx: CoreContext, input: UndoInput): Promise<UndoResult> {
  const place = parseCardId(input.cardId);
  const missing = () => notFound(`No decision on card ${input.cardId} in ${input.period}`);
  if (!place) throw missing();
  return ctx.store.transaction(async (tx) => {
    const decision = (await tx.listCardActions(input.partnerId, input.period)).find(
      (a) => a.cardId === input.cardId,
    );
    if (!decision) throw missing();
    // The entry the decision left: it knows the quantity the ledger had before.
    const [made] = await tx.findAuditEntries(input.partnerId, {
      period: input.period,
      cardId: input.cardId,
      action: decision.action,
      limit: 1,
    });
    const nowMs = ctx.clock.nowMs();
    const key = { partnerId: input.partnerId, companyId: place.companyId, productId: place.productId };
    const lines = await tx.listAgreementLines(input.partnerId, { ...key, activeOnly: true });
    const currentQuantity = lines.reduce((sum, l) => sum + l.quantity, 0);
    const ledgerWritten = decision.action !== 'dismiss';
    const restoredQuantity = ledgerWritten ? (made?.fromQuantity ?? currentQuantity) : currentQuantity;
    const psaWrite = ledgerWritten
      ? await planPsaWrite(tx, ctx.ids, {
          ...key,
          period: input.period,
          cardId: input.cardId,
          target: restoredQuantity,
          nowMs,
          effectiveDate: null,
          choice: made?.agreementLineId ? { agreementLineId: made.agreementLineId } : {},
        })
      : undefined;
    if (psaWrite !== undefined && psaWrite !== 'none') await tx.insertPsaWrite(psaWrite);
    const agreementLineId = !ledgerWritten
      ? null
      : psaWrite === undefined
        ? await setBilledQuantity(tx, ctx.ids, { ...key, quantity: restoredQuantity, nowMs })
        : psaWrite === 'none'
          ? null
          : psaWrite.lineId;
    await tx.deleteCardAction(input.partnerId, input.period, input.cardId);
    await tx.insertAuditEntry({
      ...key,
      atMs: nowMs,
      by: input.by,
      period: input.period,
      cardId: input.cardId,
      action: 'undo',
      fromQuantity: currentQuantity,
      toQuantity: ledgerWritten ? restoredQuantity : null,
      effectiveDate: null,
      agreementLineId,
    });
    return {
      cardId: input.cardId,
      undone: decision,
      restoredQuantity,
      ledgerWritten,
      agreementLineId,
      psaWriteId: psaWrite !== undefined && psaWrite !== 'none' ? psaWrite.id : null,
    };
  });
}
