import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Agreement } from '../model.js';
import { requireName } from './names.js';
import { requireHandMade } from './read-only.js';

/** Adds an agreement (a contract) with one of the partner's companies. */
export async function createAgreement(
  ctx: CoreContext,
  partnerId: string,
  input: { name: string; companyId: string },
): Promise<Agreement> {
  const name = requireName(input.name);
  const company = found(await ctx.store.getCompany(partnerId, input.companyId), 'company', input.companyId);
  // Agreements of a synced company live in its PSA; a hand-made one there would never be billed.
  requireHandMade(company, `Company "${company.name}"`);
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
