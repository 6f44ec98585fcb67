import type { CoreContext } from '../context.js';
import { checkEventTypes, type EndpointOwner, ownedEndpoint } from './owner.js';
import type { WebhookEndpoint } from './store.js';
import { checkWebhookUrl } from './url-policy.js';

export interface EndpointPatch {
  url?: string;
  eventTypes?: string[];
  description?: string;
  /** false disables (deliveries wait, nothing is sent); true enables again and forgets the failures. */
  enabled?: boolean;
}

/** Changes an endpoint; disabling keeps its queued deliveries for when it is enabled again. */
export async function updateWebhookEndpoint(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
  patch: EndpointPatch,
  policy: { allowPrivateNetworks: boolean },
): Promise<WebhookEndpoint> {
  const url = patch.url === undefined ? undefined : checkWebhookUrl(patch.url, policy.allowPrivateNetworks);
  const eventTypes = patch.eventTypes === undefined ? undefined : checkEventTypes(owner, patch.eventTypes);
  return ctx.store.transaction(async (tx) => {
    const endpoint = await ownedEndpoint(tx, owner, endpointId);
    const next: WebhookEndpoint = {
      ...endpoint,
      url: url ?? endpoint.url,
      eventTypes: eventTypes ?? endpoint.eventTypes,
      description: patch.description ?? endpoint.description,
      updatedAtMs: ctx.clock.nowMs(),
    };
    if (patch.enabled === true && !endpoint.enabled) {
      Object.assign(next, { enabled: true, disabledReason: null, failingSinceMs: null });
    }
    if (patch.enabled === false && endpoint.enabled) {
      Object.assign(next, { enabled: false, disabledReason: 'Disabled by its owner' });
    }
    await tx.updateWebhookEndpoint(next);
    return next;
  });
}
