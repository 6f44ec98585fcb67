import type { CoreContext } from '../context.js';
import { type PsaCandidate, PsaChoiceError, TallyError, badRequest } from '../errors.js';
import type { CardActionKind } from '../model.js';
import type { Repo } from '../ports.js';
import { type PsaChoice, planPsaWrite } from '../psa-connector/plan-write.js';
import { psaQuantities } from '../psa/psa-quantities.js';
import { requireQuantity } from '../psa/quantity.js';
import { setBilledQuantity } from '../psa/set-billed-quantity.js';
import { emitWebhookEvent } from '../webhooks/emit.js';
import { type Card, billingView } from './cards.js';
import { type Period, parseEffectiveDate } from './period.js';

export interface CardActionInput {
  partnerId: string;
  /** Who acts: the signed-in user's email, or 'api token'. */
  by: string;
  period: Period;
  cardIds: string[];
  action: CardActionKind;
  /** The new PSA quantity; only with adjust. */
  quantity?: number;
  /** YYYY-MM-DD; default the first day of the month after the period. Not kept for dismiss. */
  effectiveDate?: string;
  /** For a card of a synced company where the PSA write is ambiguous: which line or agreement. */
  choice?: PsaChoice;
}

export interface CardActionResult {
  cardId: string;
  ok: boolean;
  /** The agreement line approve or adjust wrote. */
  agreementLineId?: string;
  /** The PSA write queued for a card of a synced company; the ledger follows once the PSA confirms. */
  psaWriteId?: string;
  error?: string;
  /** The lines or agreements to choose from when the PSA write was ambiguous. */
  candidates?: PsaCandidate[];
}

/** The request as a whole must make sense; each card then succeeds or fails on its own. */
function checkInput(input: CardActionInput): { quantity: number | undefined; effectiveDate: string | null } {
  if (input.action === 'adjust' && input.quantity === undefined) {
    throw badRequest('quantity is required to adjust');
  }
  if (input.action !== 'adjust' && input.quantity !== undefined) {
    throw badRequest(`quantity is only taken by adjust, not by ${input.action}`);
  }
  if (input.cardIds.length === 0) throw badRequest('cardIds must name at least one card');
  const effectiveDate = parseEffectiveDate(input.effectiveDate, input.period);
  return {
    quantity: input.quantity === undefined ? undefined : requireQuantity(input.quantity),
    effectiveDate: input.action === 'dismiss' ? null : effectiveDate,
  };
}

/**
 * Approve (PSA quantity := vendor quantity), adjust (:= the given quantity) or dismiss (no change
 * this period) one card or many. Approve and adjust write the ledger; every action is recorded as
 * the card's decision for the period and in the audit log. Each card commits on its own, so one
 * unknown card does not hold back the others.
 */
export async function actOnCards(ctx: CoreContext, input: CardActionInput): Promise<CardActionResult[]> {
  const { quantity, effectiveDate } = checkInput(input);
  const view = await billingView(
    ctx,
    input.partnerId,
    input.period,
    await psaQuantities(ctx.store, input.partnerId),
  );
  const cards = new Map(view.cards.map((c) => [c.id, c]));
  const results: CardActionResult[] = [];
  for (const cardId of new Set(input.cardIds)) {
    const card = cards.get(cardId);
    if (!card) {
      results.push({ cardId, ok: false, error: `No card found with id: ${cardId}` });
      continue;
    }
    const target = input.action === 'approve' ? card.vendorQuantity : (quantity ?? null);
    try {
      const written = await ctx.store.transaction((tx) =>
        decide(ctx, tx, input, card, target, effectiveDate),
      );
      results.push({ cardId, ok: true, ...written });
    } catch (error) {
      // A PSA card that needs a choice (or cannot be written) fails alone; a lone card answers 409.
      if (!(error instanceof TallyError) || error.code !== 'conflict' || input.cardIds.length === 1)
        throw error;
      const candidates = error instanceof PsaChoiceError ? error.candidates : undefined;
      results.push({
        cardId,
        ok: false,
        error: error.message,
        ...(candidates && { candidates }),
      });
    }
  }
  return results;
}

/** One card's decision: the ledger write (unless dismissed), the standing decision and the audit entry. */
async function decide(
  ctx: CoreContext,
  tx: Repo,
  input: CardActionInput,
  card: Card,
  target: number | null,
  effectiveDate: string | null,
): Promise<{ agreementLineId?: string; psaWriteId?: string }> {
  const nowMs = ctx.clock.nowMs();
  const place = { partnerId: input.partnerId, companyId: card.companyId, productId: card.productId };
  // The ledger as it is now, not as the view saw it a moment ago.
  const lines = await tx.listAgreementLines(input.partnerId, { ...place, activeOnly: true });
  const fromQuantity = lines.reduce((sum, l) => sum + l.quantity, 0);
  // A synced company's quantities belong to its PSA: the decision queues a write in this same
  // transaction (the outbox), and the ledger changes when the PSA confirms it.
  const psaWrite =
    target === null
      ? undefined
      : await planPsaWrite(tx, ctx.ids, {
          ...place,
          period: input.period,
          cardId: card.id,
          target,
          nowMs,
          effectiveDate,
          choice: input.choice ?? {},
        });
  if (psaWrite !== undefined && psaWrite !== 'none') await tx.insertPsaWrite(psaWrite);
  const agreementLineId =
    target === null
      ? null
      : psaWrite === undefined
        ? await setBilledQuantity(tx, ctx.ids, { ...place, quantity: target, nowMs })
        : psaWrite === 'none'
          ? null
          : psaWrite.lineId;
  await tx.putCardAction({
    partnerId: input.partnerId,
    period: input.period,
    cardId: card.id,
    action: input.action,
    quantity: target,
    effectiveDate,
    vendorQuantity: card.vendorQuantity,
    by: input.by,
    atMs: nowMs,
  });
  await tx.insertAuditEntry({
    ...place,
    atMs: nowMs,
    by: input.by,
    period: input.period,
    cardId: card.id,
    action: input.action,
    fromQuantity,
    toQuantity: target,
    effectiveDate,
    agreementLineId,
  });
  // Partner-wide: a card may draw on several vendors, so it is announced to the partner only.
  await emitWebhookEvent(tx, ctx.ids, {
    type: 'card.actioned',
    partnerId: input.partnerId,
    vendorId: card.sources[0]?.vendorId ?? '',
    integrationId: null,
    occurredAtMs: nowMs,
    data: {
      cardId: card.id,
      period: input.period,
      action: input.action,
      quantity: target,
      effectiveDate,
      agreementLineId,
      by: input.by,
    },
  });
  return {
    ...(agreementLineId !== null && { agreementLineId }),
    ...(psaWrite !== undefined && psaWrite !== 'none' && { psaWriteId: psaWrite.id }),
  };
}
