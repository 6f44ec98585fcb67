import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { webhookRoutes } from '../webhooks.js';

/** The partner's webhook endpoints under /api/partner/webhooks. */
export function partnerWebhookRoutes(app: FastifyInstance, deps: HttpDeps): void {
  webhookRoutes(app, deps, {
    prefix: '/api/partner/webhooks',
    onRequest: partnerAuth(deps),
    owner: (request) => ({ kind: 'partner', id: partnerOf(request).id }),
    tags: ['Partner: webhooks'],
    security: PARTNER_SECURITY,
    operationPrefix: 'partner',
    note: 'Deliveries follow the Standard Webhooks specification.',
  });
}
