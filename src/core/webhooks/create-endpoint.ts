import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import { checkEventTypes, type EndpointOwner } from './owner.js';
import { newWebhookSecret } from './signing.js';
import type { WebhookEndpoint } from './store.js';
import { checkWebhookUrl } from './url-policy.js';

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string;
}

/** Endpoints one owner may have; enough for any real set-up, and a bound on the fan-out. */
export const MAX_ENDPOINTS_PER_OWNER = 50;

/** Registers an endpoint with a fresh `whsec_…` secret; the caller shows the secret once. */
export async function createWebhookEndpoint(
  ctx: CoreContext,
  owner: EndpointOwner,
  input: EndpointInput,
  policy: { allowPrivateNetworks: boolean },
): Promise<WebhookEndpoint> {
  const url = checkWebhookUrl(input.url, policy.allowPrivateNetworks);
  const eventTypes = checkEventTypes(owner, input.eventTypes);
  const nowMs = ctx.clock.nowMs();
  const endpoint: WebhookEndpoint = {
    id: ctx.ids.objectId(),
    ownerKind: owner.kind,
    ownerId: owner.id,
    url,
    description: input.description ?? '',
    eventTypes,
    secret: newWebhookSecret(),
    previousSecret: null,
    previousSecretUntilMs: null,
    enabled: true,
    disabledReason: null,
    failingSinceMs: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  await ctx.store.transaction(async (tx) => {
    const existing = await tx.listWebhookEndpoints(owner.kind, owner.id);
    if (existing.length >= MAX_ENDPOINTS_PER_OWNER) {
      throw badRequest(`At most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints; delete one first`);
    }
    await tx.insertWebhookEndpoint(endpoint);
  });
  return endpoint;
}
