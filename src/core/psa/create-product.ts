import type { CoreContext } from '../context.js';
import type { Product } from '../model.js';
import { toMicros } from './money.js';
import { requireFreeProductName, requireName } from './names.js';

export interface ProductInput {
  name: string;
  /** What the partner bills per unit; 0 when not given. */
  unitPrice?: number | string;
  /** What a unit costs the partner; 0 when not given. */
  unitCost?: number | string;
}

/** Adds a product (something the MSP bills per unit) to the partner's PSA ledger; names are unique. */
export async function createProduct(
  ctx: CoreContext,
  partnerId: string,
  input: ProductInput,
): Promise<Product> {
  const name = requireName(input.name);
  const product: Product = {
    id: ctx.ids.objectId(),
    partnerId,
    name,
    unitPriceMicros: input.unitPrice === undefined ? 0 : toMicros(input.unitPrice, 'unitPrice'),
    unitCostMicros: input.unitCost === undefined ? 0 : toMicros(input.unitCost, 'unitCost'),
    createdAtMs: ctx.clock.nowMs(),
  };
  await ctx.store.transaction(async (tx) => {
    await requireFreeProductName(tx, partnerId, name);
    await tx.insertProduct(product);
  });
  return product;
}
