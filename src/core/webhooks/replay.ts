import type { CoreContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { orderKeyOf } from './emit.js';
import { type EndpointOwner, ownedEndpoint } from './owner.js';

/** Events one replay-since call queues at most; a caller with more replays again from the last one. */
export const MAX_REPLAY_EVENTS = 10000;

/** Sends one event to the endpoint again, with its original webhook-id. */
export async function replayEvent(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
  eventId: string,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const endpoint = await ownedEndpoint(tx, owner, endpointId);
    if (!endpoint.enabled) throw conflict('This endpoint is disabled; enable it before replaying');
    const event = await tx.getWebhookEvent(eventId);
    const visible =
      event &&
      ((owner.kind === 'partner' && event.partnerId === owner.id) ||
        (owner.kind === 'vendor' && event.vendorId === owner.id) ||
        (event.type === 'webhook.test' && event.data.includes(`"endpointId":"${endpointId}"`)));
    if (!event || !visible) throw notFound(`No webhook event found with id: ${eventId}`);
    await tx.queueWebhookDelivery(event.id, endpoint.id, orderKeyOf(event.integrationId), ctx.clock.nowMs());
  });
}

/**
 * Sends again every event of the endpoint's types that occurred at or after `sinceMs`, oldest
 * first (so order per integration holds); answers how many were queued.
 */
export async function replaySince(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
  sinceMs: number,
): Promise<{ queued: number; truncated: boolean }> {
  return ctx.store.transaction(async (tx) => {
    const endpoint = await ownedEndpoint(tx, owner, endpointId);
    if (!endpoint.enabled) throw conflict('This endpoint is disabled; enable it before replaying');
    const events = await tx.listWebhookEventsSince(
      owner.kind,
      owner.id,
      sinceMs,
      endpoint.eventTypes,
      MAX_REPLAY_EVENTS + 1,
    );
    const batch = events.slice(0, MAX_REPLAY_EVENTS);
    const nowMs = ctx.clock.nowMs();
    for (const event of batch) {
      await tx.queueWebhookDelivery(event.id, endpoint.id, orderKeyOf(event.integrationId), nowMs);
    }
    return { queued: batch.length, truncated: events.length > MAX_REPLAY_EVENTS };
  });
}
