import type { CoreContext } from '../context.js';
import type { EndpointOwner } from './owner.js';
import type { WebhookEndpoint } from './store.js';

/** The owner's webhook endpoints. */
export const listWebhookEndpoints = (ctx: CoreContext, owner: EndpointOwner): Promise<WebhookEndpoint[]> =>
  ctx.store.listWebhookEndpoints(owner.kind, owner.id);
