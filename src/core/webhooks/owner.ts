import { badRequest, notFound } from '../errors.js';
import type { Repo } from '../ports.js';
import { type EndpointOwnerKind, subscribableTypes } from './events.js';
import type { WebhookEndpoint } from './store.js';

/** Who manages endpoints: a partner through the partner API, or a vendor through the vendor API. */
export interface EndpointOwner {
  kind: EndpointOwnerKind;
  id: string;
}

/** The owner's endpoint, or 404 (another owner's endpoint is as unknown as a missing one). */
export async function ownedEndpoint(
  tx: Repo,
  owner: EndpointOwner,
  endpointId: string,
): Promise<WebhookEndpoint> {
  const endpoint = await tx.getWebhookEndpoint(endpointId);
  if (!endpoint || endpoint.ownerKind !== owner.kind || endpoint.ownerId !== owner.id) {
    throw notFound(`No webhook endpoint found with id: ${endpointId}`);
  }
  return endpoint;
}

/** Checks a subscription list: known types this owner may receive, at least one, no repeats kept. */
export function checkEventTypes(owner: EndpointOwner, eventTypes: string[]): string[] {
  const allowed = subscribableTypes(owner.kind) as string[];
  const unique = [...new Set(eventTypes)];
  if (unique.length === 0) throw badRequest('eventTypes must name at least one event type');
  const unknown = unique.filter((t) => !allowed.includes(t));
  if (unknown.length > 0) {
    throw badRequest(`eventTypes: unknown event type ${unknown.join(', ')}; known: ${allowed.join(', ')}`);
  }
  return allowed.filter((t) => unique.includes(t));
}
