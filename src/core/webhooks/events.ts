/**
 * The events Tally announces by webhook. Each type names what its `data` carries; the delivered
 * body is `{ type, timestamp, data }` and the event's id travels in the `webhook-id` header.
 *
 * A new event (the PSA connector's `psa.sync.finished` and `psa.write.failed`, say) is one entry
 * here with its data shape, and one `emitWebhookEvent` call in the transaction that causes it.
 */
export interface WebhookEventData {
  /** An integration's billing view was rebuilt. */
  'billing.built': { integrationId: string; revision: number; countsChanged: number };
  /** A count was refused because its account or service is not mapped; at most once per pair per window. */
  'count.unmapped': {
    integrationId: string;
    accountId: string;
    serviceId: string;
    unitCount: number;
    reason: 'account_unmapped' | 'service_unmapped';
  };
  /** A build changed the vendor quantity that an integration contributes to a card. */
  'card.changed': {
    cardId: string;
    companyId: string;
    productId: string;
    integrationId: string;
    vendorQuantity: number;
    previousVendorQuantity: number;
  };
  /** A partner approved, adjusted or dismissed a card. */
  'card.actioned': {
    cardId: string;
    period: string;
    action: string;
    quantity: number | null;
    effectiveDate: string | null;
    agreementLineId: string | null;
    by: string;
  };
  'integration.paused': { integrationId: string; vendorId: string };
  'integration.resumed': { integrationId: string; vendorId: string };
  'integration.disconnected': { integrationId: string; vendorId: string };
  /** Sent only by "send test event", only to the endpoint it is sent to. */
  'webhook.test': { endpointId: string; message: string };
}

export type WebhookEventType = keyof WebhookEventData;

/** Who may subscribe to a type: partner endpoints, and vendor endpoints for what concerns the vendor. */
export const EVENT_AUDIENCES: Record<WebhookEventType, { partner: boolean; vendor: boolean }> = {
  'billing.built': { partner: true, vendor: true },
  'count.unmapped': { partner: true, vendor: true },
  'card.changed': { partner: true, vendor: false },
  'card.actioned': { partner: true, vendor: false },
  'integration.paused': { partner: true, vendor: true },
  'integration.resumed': { partner: true, vendor: true },
  'integration.disconnected': { partner: true, vendor: true },
  'webhook.test': { partner: false, vendor: false },
};

export type EndpointOwnerKind = 'partner' | 'vendor';

/** The types an owner of this kind may subscribe to, in a stable order. */
export const subscribableTypes = (owner: EndpointOwnerKind): WebhookEventType[] =>
  (Object.keys(EVENT_AUDIENCES) as WebhookEventType[]).filter((t) => EVENT_AUDIENCES[t][owner]);
