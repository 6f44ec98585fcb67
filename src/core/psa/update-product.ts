import type { CoreContext } from '../context.js';
import { found } from '../errors.js';
import type { Product } from '../model.js';
import type { ProductInput } from './create-product.js';
import { toMicros } from './money.js';
import { requireFreeProductName, requireName } from './names.js';

/** Changes any of a product's name, unit price and unit cost; omitted fields keep their values. */
export async function updateProduct(
  ctx: CoreContext,
  partnerId: string,
  productId: string,
  input: Partial<ProductInput>,
): Promise<Product> {
  const name = input.name === undefined ? undefined : requireName(input.name);
  const unitPriceMicros = input.unitPrice === undefined ? undefined : toMicros(input.unitPrice, 'unitPrice');
  const unitCostMicros = input.unitCost === undefined ? undefined : toMicros(input.unitCost, 'unitCost');
  return ctx.store.transaction(async (tx) => {
    const product = found(await tx.getProduct(partnerId, productId), 'product', productId);
    if (name !== undefined) await requireFreeProductName(tx, partnerId, name, product.id);
    const updated: Product = {
      ...product,
      name: name ?? product.name,
      unitPriceMicros: unitPriceMicros ?? product.unitPriceMicros,
      unitCostMicros: unitCostMicros ?? product.unitCostMicros,
    };
    await tx.updateProduct(updated);
    return updated;
  });
}
