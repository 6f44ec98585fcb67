import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import { plural } from './names.js';

/**
 * Deletes a company nothing refers to. One with agreements or vendor accounts mapped to it answers
 * 409: deleting it would silently change what is billed, so the partner removes those first.
 */
export async function deleteCompany(ctx: CoreContext, partnerId: string, companyId: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const company = found(await tx.getCompany(partnerId, companyId), 'company', companyId);
    const agreements = (await tx.listAgreements(partnerId, { companyId })).length;
    if (agreements > 0) {
      const lines = (await tx.listAgreementLines(partnerId, { companyId })).length;
      throw conflict(
        `Company "${company.name}" has ${plural(agreements, 'agreement')} with ${plural(lines, 'line')}; ` +
          'delete them first',
      );
    }
    const mapped = await tx.countMappingsTo('account', companyId);
    if (mapped > 0) {
      throw conflict(
        `Company "${company.name}" is mapped from ${plural(mapped, 'vendor account')}; remove those mappings first`,
      );
    }
    await tx.deleteCompany(partnerId, companyId);
  });
}
