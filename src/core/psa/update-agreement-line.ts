import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { AgreementLine } from '../model.js';
import { requireQuantity } from './quantity.js';

/** Changes a line's quantity or active flag; billing views read lines live, so cards follow at once. */
export async function updateAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  lineId: string,
  input: { quantity?: number; active?: boolean },
): Promise<AgreementLine> {
  const quantity = input.quantity === undefined ? undefined : requireQuantity(input.quantity);
  return ctx.store.transaction(async (tx) => {
    const line = found(await tx.getAgreementLine(partnerId, lineId), 'agreement line', lineId);
    const updated: AgreementLine = {
      ...line,
      quantity: quantity ?? line.quantity,
      active: input.active ?? line.active,
      updatedAtMs: ctx.clock.nowMs(),
    };
    await tx.updateAgreementLine(updated);
    return updated;
  });
}
