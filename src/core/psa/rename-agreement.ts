import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Agreement } from '../model.js';
import { requireName } from './names.js';

/** Renames an agreement; its company stays (lines carry it), so moving one means a new agreement. */
export async function renameAgreement(
  ctx: CoreContext,
  partnerId: string,
  agreementId: string,
  input: { name: string },
): Promise<Agreement> {
  const name = requireName(input.name);
  return ctx.store.transaction(async (tx) => {
    const agreement = found(await tx.getAgreement(partnerId, agreementId), 'agreement', agreementId);
    const renamed = { ...agreement, name };
    await tx.updateAgreement(renamed);
    return renamed;
  });
}
