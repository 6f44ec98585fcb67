import type { CoreContext } from '../context.js';
import type { Agreement } from '../model.js';

/** A partner's agreements by company, then name; optionally of one company. */
export const listAgreements = (
  ctx: CoreContext,
  partnerId: string,
  filter: { companyId?: string },
): Promise<Agreement[]> => ctx.store.listAgreements(partnerId, filter);
