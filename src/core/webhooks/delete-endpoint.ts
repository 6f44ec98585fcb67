import type { CoreContext } from '../context.js';
import { type EndpointOwner, ownedEndpoint } from './owner.js';

/** Deletes an endpoint with its queued deliveries and log; events stay for the owner's other endpoints. */
export async function deleteWebhookEndpoint(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await ownedEndpoint(tx, owner, endpointId);
    await tx.deleteWebhookEndpoint(endpointId);
  });
}
