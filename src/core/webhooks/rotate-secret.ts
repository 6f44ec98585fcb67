import type { CoreContext } from '../context.js';
import { type EndpointOwner, ownedEndpoint } from './owner.js';
import { newWebhookSecret } from './signing.js';
import type { WebhookEndpoint } from './store.js';

/** How long the replaced secret keeps signing beside the new one, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** Issues a new secret; deliveries carry signatures with both for the next 24 hours. */
export async function rotateWebhookSecret(
  ctx: CoreContext,
  owner: EndpointOwner,
  endpointId: string,
): Promise<WebhookEndpoint> {
  return ctx.store.transaction(async (tx) => {
    const endpoint = await ownedEndpoint(tx, owner, endpointId);
    const nowMs = ctx.clock.nowMs();
    const next: WebhookEndpoint = {
      ...endpoint,
      secret: newWebhookSecret(),
      previousSecret: endpoint.secret,
      previousSecretUntilMs: nowMs + PREVIOUS_SECRET_GRACE_MS,
      updatedAtMs: nowMs,
    };
    await tx.updateWebhookEndpoint(next);
    return next;
  });
}
