import type { EndpointOwnerKind } from './events.js';

export interface WebhookEndpoint {
  id: string;
  ownerKind: EndpointOwnerKind;
  ownerId: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** `whsec_…`; signs every delivery. */
  secret: string;
  /** The secret before the last rotation; signs beside the new one until `previousSecretUntilMs`. */
  previousSecret: string | null;
  previousSecretUntilMs: number | null;
  enabled: boolean;
  /** Why the endpoint was switched off (by its owner, or after failing for too long). */
  disabledReason: string | null;
  /** Start of the current run of failed attempts; null after a success. */
  failingSinceMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface WebhookEvent {
  id: string;
  type: string;
  partnerId: string | null;
  vendorId: string | null;
  integrationId: string | null;
  occurredAtMs: number;
  /** The event's data as JSON text. */
  data: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: number;
  eventId: string;
  endpointId: string;
  /** Deliveries with the same key reach their endpoint one at a time, in id order. */
  orderKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAtMs: number;
  /** A process delivering it holds it until then; 0 when nobody does. */
  leaseUntilMs: number;
  createdAtMs: number;
  lastAttemptAtMs: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAtMs: number | null;
}

export interface WebhookAttempt {
  id: number;
  deliveryId: number;
  endpointId: string;
  eventId: string;
  atMs: number;
  /** null when no HTTP answer came (timeout, refused connection). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string;
}

/** A delivery claimed for sending, with what sending needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  event: WebhookEvent;
  endpoint: WebhookEndpoint;
}

/** How one attempt ended, as the store records it. */
export interface AttemptOutcome {
  deliveryId: number;
  /** The lease the attempt ran under; a settle with a stale lease changes nothing. */
  leaseUntilMs: number;
  attempt: Omit<WebhookAttempt, 'id'>;
  ok: boolean;
  /** For a failure: when to try again, or null when the delivery has run out of time. */
  nextAttemptAtMs: number | null;
  /** For a failure: switch the endpoint off if it has failed since at or before this. */
  disableIfFailingSinceMs: number;
}

/** Webhook endpoints, the event outbox, deliveries and their attempts. */
export interface WebhookStore {
  insertWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  listWebhookEndpoints(ownerKind: EndpointOwnerKind, ownerId: string): Promise<WebhookEndpoint[]>;
  updateWebhookEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** Deletes the endpoint with its deliveries and their attempts. */
  deleteWebhookEndpoint(id: string): Promise<void>;

  /**
   * Stores the event and queues one delivery for each enabled endpoint subscribed to its type:
   * partner endpoints of `partnerId`, and vendor endpoints of `vendorId` when that is set.
   * Answers how many deliveries were queued.
   */
  insertWebhookEvents(events: WebhookEvent[], orderKeys: string[], nowMs: number): Promise<number>;
  /** Queues a delivery of an existing event to one endpoint (test events and replays). */
  queueWebhookDelivery(eventId: string, endpointId: string, orderKey: string, nowMs: number): Promise<void>;
  getWebhookEvent(id: string): Promise<WebhookEvent | undefined>;
  /** Events an owner can see that occurred at or after `sinceMs`, oldest first. */
  listWebhookEventsSince(
    ownerKind: EndpointOwnerKind,
    ownerId: string,
    sinceMs: number,
    types: string[],
    limit: number,
  ): Promise<WebhookEvent[]>;

  /**
   * Claims due deliveries: per enabled endpoint at most `maxInFlight` leased at once, and only the
   * oldest pending delivery of each order key. Claimed ones are leased until `leaseUntilMs`.
   */
  claimWebhookDeliveries(
    nowMs: number,
    leaseUntilMs: number,
    maxInFlight: number,
    limit: number,
  ): Promise<ClaimedDelivery[]>;
  /** Records an attempt and its consequence; false when the lease had passed to someone else. */
  settleWebhookDelivery(outcome: AttemptOutcome, nowMs: number): Promise<boolean>;
  /** The earliest time a pending delivery of an enabled endpoint becomes due; null when none. */
  nextWebhookDueAtMs(): Promise<number | null>;
  /** Ends every delivery lease (a lone process at boot: whoever held them is gone). */
  expireWebhookLeases(nowMs: number): Promise<number>;

  /** Newest first; `beforeId` continues a page. */
  listWebhookDeliveries(
    endpointId: string,
    options: { beforeId?: number; limit: number },
  ): Promise<{ delivery: WebhookDelivery; type: string }[]>;
  listWebhookAttempts(deliveryIds: number[]): Promise<WebhookAttempt[]>;

  /**
   * Sets a debounce mark for each key that has none or one older than `windowMs`; answers the
   * keys it set (their events may go out now).
   */
  claimWebhookMarks(keys: string[], nowMs: number, windowMs: number): Promise<string[]>;
}
