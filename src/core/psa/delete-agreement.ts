import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import { plural } from './names.js';

/** Deletes an agreement without lines; one with lines answers 409 (they bill something). */
export async function deleteAgreement(
  ctx: CoreContext,
  partnerId: string,
  agreementId: string,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const agreement = found(await tx.getAgreement(partnerId, agreementId), 'agreement', agreementId);
    const lines = (await tx.listAgreementLines(partnerId, { agreementId })).length;
    if (lines > 0) {
      throw conflict(`Agreement "${agreement.name}" has ${plural(lines, 'line')}; delete them first`);
    }
    await tx.deleteAgreement(partnerId, agreementId);
  });
}
