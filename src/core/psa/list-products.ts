import type { CoreContext } from '../context.js';
import type { Product } from '../model.js';

/** A partner's PSA products, by name. */
export const listProducts = (ctx: CoreContext, partnerId: string): Promise<Product[]> =>
  ctx.store.listProducts(partnerId);
