import type { CoreContext } from '../context.js';
import { type EndpointOwner, ownedEndpoint } from './owner.js';
import type { WebhookAttempt, WebhookDelivery } from './store.js';

export interface DeliveryLogEntry {
  delivery: WebhookDelivery;
  type: string;
  attempts: WebhookAttempt[];
}

/** An endpoint's deliveries, newest first, each with its attempts (status, latency, answer). */
export async function deliveryLog(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
  options: { beforeId?: number; limit: number },
): Promise<DeliveryLogEntry[]> {
  await ownedEndpoint(ctx.store, owner, endpointId);
  const deliveries = await ctx.store.listWebhookDeliveries(endpointId, options);
  const attempts = await ctx.store.listWebhookAttempts(deliveries.map((d) => d.delivery.id));
  return deliveries.map(({ delivery, type }) => ({
    delivery,
    type,
    attempts: attempts.filter((a) => a.deliveryId === delivery.id),
  }));
}
