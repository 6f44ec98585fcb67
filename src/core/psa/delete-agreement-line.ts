import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import { requireHandMade } from './read-only.js';

/** Removes a line from its agreement. */
export async function deleteAgreementLine(
  ctx: CoreContext,
  partnerId: string,
  lineId: string,
): Promise<void> {
  const line = await ctx.store.getAgreementLine(partnerId, lineId);
  if (!line) throw notFound(`No agreement line found with id: ${lineId}`);
  requireHandMade(line, 'This agreement line');
  await ctx.store.deleteAgreementLine(partnerId, lineId);
}
