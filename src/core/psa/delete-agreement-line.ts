import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';

/** Removes a line from its agreement. */
export async function deleteAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  lineId: string,
): Promise<void> {
  if (!(await ctx.store.getAgreementLine(partnerId, lineId))) {
    throw notFound(`No agreement line found with id: ${lineId}`);
  }
  await ctx.store.deleteAgreementLine(partnerId, lineId);
}
