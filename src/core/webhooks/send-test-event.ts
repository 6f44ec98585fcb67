import type { CoreContext } from '../context.js';
import { conflict } from '../errors.js';
import { newEventId } from './emit.js';
import { type EndpointOwner, ownedEndpoint } from './owner.js';

/** Queues a `webhook.test` event for one endpoint only; answers the event id (the webhook-id). */
export async function sendTestEvent(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
): Promise<{ eventId: string }> {
  return ctx.store.transaction(async (tx) => {
    const endpoint = await ownedEndpoint(tx, owner, endpointId);
    if (!endpoint.enabled) throw conflict('This endpoint is disabled; enable it before sending a test event');
    const nowMs = ctx.clock.nowMs();
    const eventId = newEventId(ctx.ids);
    // Neither partner nor vendor is set, so no other endpoint's fan-out or replay ever picks it up.
    await tx.insertWebhookEvents(
      [
        {
          id: eventId,
          type: 'webhook.test',
          partnerId: null,
          vendorId: null,
          integrationId: null,
          occurredAtMs: nowMs,
          data: JSON.stringify({ endpointId, message: 'A test event from Tally' }),
        },
      ],
      [''],
      nowMs,
    );
    await tx.queueWebhookDelivery(eventId, endpoint.id, '', nowMs);
    return { eventId };
  });
}
