import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Agreement } from '../model.js';
import { requireName } from './names.js';

/** Adds an agreement (a contract) with one of the partner's companies. */
export async function createAgreement(
  ctx: CoreContext,
  partnerId: string,
  input: { name: string; companyId: string },
): Promise<Agreement> {
  const name = requireName(input.name);
  found(await ctx.store.getCompany(partnerId, input.companyId), 'company', input.companyId);
  const agreement: Agreement = {
    id: ctx.ids.objectId(),
    partnerId,
    companyId: input.companyId,
    name,
    createdAtMs: ctx.clock.nowMs(),
  };
  await ctx.store.insertAgreement(agreement);
  return agreement;
}
