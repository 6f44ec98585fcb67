import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { billingStatus } from '../../../core/builds/debounce.js';
import { clockOf } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import { setIntegrationStatus } from '../../../core/integrations/set-status.js';
import type { Vendor } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { integrationOf, principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentIntegration } from './present.js';

/** Route 9 pages its clients 100 at a time, like the original. */
const CLIENTS_PAGE_SIZE = 100;

/** Routes 7–9: the integration (the vendor's link to one partner), its status and the partner's clients. */
export function organizationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'integration');
  const tags = ['Integration'];

  /** The integration as the vendor sees it, read fresh so status and billing are current. */
  const present = async (integrationId: string, vendor: Vendor) => {
    const integration = await deps.ctx.store.getIntegration(integrationId);
    const partner = integration && (await deps.ctx.store.getPartner(integration.partnerId));
    const state = await deps.ctx.store.getBuildState(integrationId);
    if (!integration || !partner || !state) throw notFound(`No integration found with id: ${integrationId}`);
    const nowMs = (await clockOf(deps.ctx, integrationId)).nowMs();
    return presentIntegration(integration, vendor, partner, billingStatus(state, nowMs));
  };

  app.get(
    '/api/vendor-api/organization',
    { onRequest, schema: { tags, summary: 'Get Integration' } },
    async (request) => {
      return present(integrationOf(request).id, principalOf(request).vendor);
    },
  );

  app.patch(
    '/api/vendor-api/organization/status/:status',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Update Integration Status',
        description:
          'status: inactive, pending or active (legacy: disabled, error). Case-sensitive. No body needed.',
        params: Type.Object({ status: Type.String() }),
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      await setIntegrationStatus(deps.ctx, integration, (request.params as { status: string }).status);
      return {
        status: 200,
        data: await present(integration.id, principalOf(request).vendor),
        message: 'Success - Updated Integration Status',
      };
    },
  );

  app.get(
    '/api/vendor-api/organization/clients',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Get Clients (deprecated)',
        description:
          "The partner's PSA companies, 100 per page, ordered by id; previousId continues after that id.",
        querystring: Type.Object({
          previousId: Type.Optional(Type.String()),
          search: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const { previousId, search } = request.query as { previousId?: string; search?: string };
      const page = await deps.ctx.store.listCompanies(integration.partnerId, {
        afterId: previousId,
        search,
        limit: CLIENTS_PAGE_SIZE,
      });
      const clients = page.rows.map((c) => ({ _id: c.id, id: c.id, name: c.name }));
      return {
        meta: { total: page.total, count: clients.length, lastId: clients.at(-1)?.id ?? null },
        clients,
      };
    },
  );
}
