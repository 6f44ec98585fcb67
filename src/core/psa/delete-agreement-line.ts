import type { CoreContext } from '../context.js';
import { found } from '../errors.js';

/** Removes a line from its agreement. */
export async function deleteAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  lineId: string,
): Promise<void> {
  found(await ctx.store.getAgreementLine(partnerId, lineId), 'agreement line', lineId);
  await ctx.store.deleteAgreementLine(partnerId, lineId);
}
