import type { CoreContext } from '../context.js';
import type { Company } from '../model.js';
import type { Page } from '../ports.js';

/** A partner's PSA companies ordered by id; `afterId` continues a page, `search` filters by name. */
export const listCompanies = (
  ctx: CoreContext,
  partnerId: string,
  options: { afterId?: string; search?: string; limit?: number } = {},
): Promise<Page<Company>> => ctx.store.listCompanies(partnerId, options);
