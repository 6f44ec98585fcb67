import type { CoreContext } from '../context.js';
import type { Partner } from '../model.js';

/** Every registered partner, for the operator. */
export const listPartners = (ctx: CoreContext): Promise<Partner[]> => ctx.store.listPartners();
