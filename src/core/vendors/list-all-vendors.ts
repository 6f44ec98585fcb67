import type { CoreContext } from '../context.js';
import type { Vendor } from '../model.js';

/** Every registered vendor, for the operator. */
export const listAllVendors = (ctx: CoreContext): Promise<Vendor[]> => ctx.store.listVendors();
