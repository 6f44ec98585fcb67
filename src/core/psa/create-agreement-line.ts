import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { AgreementLine } from '../model.js';
import { requireQuantity } from './quantity.js';
import { requireHandMade } from './read-only.js';

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
  const agreement = await ctx.store.getAgreement(partnerId, input.agreementId);
  if (!agreement) throw notFound(`No agreement found with id: ${input.agreementId}`);
  requireHandMade(agreement, `Agreement "${agreement.name}"`);
  if (!(await ctx.store.getProduct(partnerId, input.productId))) {
    throw notFound(`No product found with id: ${input.productId}`);
  }
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
