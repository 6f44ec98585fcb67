import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import { requireHandMade } from './read-only.js';

/** Removes a line from its agreement. */
export async function deleteAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  lineId: string,
): Promise<void> {
  const line = found(await ctx.store.getAgreementLine(partnerId, lineId), 'agreement line', lineId);
  requireHandMade(line, 'This agreement line');
  await ctx.store.deleteAgreementLine(partnerId, lineId);
}
