import type { CoreContext } from '../context.js';
import type { AgreementLine } from '../model.js';

/** A partner's agreement lines, oldest first, filtered by company, product or agreement. */
export const listAgreementLines = (
  ctx: CoreContext,
  partnerId: string,
  filter: { companyId?: string; productId?: string; agreementId?: string },
): Promise<AgreementLine[]> => ctx.store.listAgreementLines(partnerId, filter);
