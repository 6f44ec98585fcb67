import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Company } from '../model.js';
import { requireFreeCompanyName, requireName } from './names.js';

/** Renames one of the partner's companies. */
export async function renameCompany(
  ctx: CoreContext,
  partnerId: string,
  companyId: string,
  input: { name: string },
): Promise<Company> {
  const name = requireName(input.name);
  return ctx.store.transaction(async (tx) => {
    const company = found(await tx.getCompany(partnerId, companyId), 'company', companyId);
    await requireFreeCompanyName(tx, partnerId, name, company.id);
    const renamed = { ...company, name };
    await tx.updateCompany(renamed);
    return renamed;
  });
}
