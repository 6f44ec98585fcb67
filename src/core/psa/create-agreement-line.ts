import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { AgreementLine } from '../model.js';
import { requireQuantity } from './quantity.js';

export interface AgreementLineInput {
  agreementId: string;
  productId: string;
  quantity: number;
  /** true when not given. */
  active?: boolean;
}

/** Adds a line to an agreement: the partner bills `quantity` of a product to the agreement's company. */
export async function createAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  input: AgreementLineInput,
): Promise<AgreementLine> {
  const quantity = requireQuantity(input.quantity);
  const agreement = found(
    await ctx.store.getAgreement(partnerId, input.agreementId),
    'agreement',
    input.agreementId,
  );
  found(await ctx.store.getProduct(partnerId, input.productId), 'product', input.productId);
  const nowMs = ctx.clock.nowMs();
  const line: AgreementLine = {
    id: ctx.ids.objectId(),
    partnerId,
    agreementId: agreement.id,
    companyId: agreement.companyId,
    productId: input.productId,
    quantity,
    active: input.active ?? true,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  await ctx.store.insertAgreementLine(line);
  return line;
}
