import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../deps.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { webhookRoutes } from '../webhooks.js';

/**
 * A Tally extension of the vendor API (the hosted original has no webhooks): a vendor's endpoints,
 * which receive the events of all its integrations that concern it.
 */
export function vendorWebhookRoutes(app: FastifyInstance, deps: HttpDeps): void {
  webhookRoutes(app, deps, {
    prefix: '/api/vendor-api/webhooks',
    onRequest: vendorAuth(deps, 'vendor'),
    owner: (request) => ({ kind: 'vendor', id: principalOf(request).vendor.id }),
    tags: ['Vendor: webhooks (Tally extension)'],
    security: [{ GradientToken: [] }],
    operationPrefix: 'vendor',
    note: 'Tally extension, not part of the Synthesize API. Deliveries follow the Standard Webhooks specification.',
  });
}
