import type { CoreContext } from '../context.js';
import { conflict, found } from '../errors.js';
import { plural } from './names.js';

/** Deletes a product no agreement line bills and no vendor service is mapped to (409 otherwise). */
export async function deleteProduct(ctx: CoreContext, partnerId: string, productId: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const product = found(await tx.getProduct(partnerId, productId), 'product', productId);
    const lines = (await tx.listAgreementLines(partnerId, { productId })).length;
    if (lines > 0) {
      throw conflict(
        `Product "${product.name}" is billed on ${plural(lines, 'agreement line')}; delete those lines first`,
      );
    }
    const mapped = await tx.countMappingsTo('service', productId);
    if (mapped > 0) {
      throw conflict(
        `Product "${product.name}" is mapped from ${plural(mapped, 'vendor service')}; remove those mappings first`,
      );
    }
    await tx.deleteProduct(partnerId, productId);
  });
}
