import type { IdGenerator } from '../ids.js';
import type { Repo } from '../ports.js';
import { EVENT_AUDIENCES, type WebhookEventData, type WebhookEventType } from './events.js';
import type { WebhookEvent } from './store.js';

export interface EventInput<T extends WebhookEventType = WebhookEventType> {
  type: T;
  partnerId: string;
  vendorId: string;
  /** Events of one integration reach each endpoint in the order they were emitted. */
  integrationId: string | null;
  occurredAtMs: number;
  data: WebhookEventData[T];
}

/** Event ids: what the webhook-id header carries, the same on every retry and replay. */
export const newEventId = (ids: IdGenerator): string => `msg_${ids.objectId()}`;

/**
 * Puts events in the outbox inside the caller's transaction, with a queued delivery for every
 * endpoint subscribed to them. They go out only if the transaction commits, and once it has
 * they are delivered even if this process dies right after.
 */
export async function emitWebhookEvents(tx: Repo, ids: IdGenerator, inputs: EventInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const events: WebhookEvent[] = inputs.map((e) => ({
    id: newEventId(ids),
    type: e.type,
    partnerId: EVENT_AUDIENCES[e.type].partner ? e.partnerId : null,
    vendorId: EVENT_AUDIENCES[e.type].vendor ? e.vendorId : null,
    integrationId: e.integrationId,
    occurredAtMs: e.occurredAtMs,
    data: JSON.stringify(e.data),
  }));
  const nowMs = Math.max(...inputs.map((e) => e.occurredAtMs));
  return tx.insertWebhookEvents(
    events,
    inputs.map((e) => orderKeyOf(e.integrationId)),
    nowMs,
  );
}

/** Deliveries with the same key go one at a time; events without an integration share one key. */
export const orderKeyOf = (integrationId: string | null): string => integrationId ?? '';

export const emitWebhookEvent = <T extends WebhookEventType>(
  tx: Repo,
  ids: IdGenerator,
  input: EventInput<T>,
): Promise<number> => emitWebhookEvents(tx, ids, [input as EventInput]);
