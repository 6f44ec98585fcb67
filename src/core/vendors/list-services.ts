import type { CoreContext } from '../context.js';
import type { Sku } from '../model.js';

/** A vendor's service catalogue (its SKUs). */
export const listServices = (ctx: CoreContext, vendorId: string): Promise<Sku[]> =>
  ctx.store.listSkus(vendorId);
