import { Type } from '@sinclair/typebox';
import { integrationView } from '../../../core/integrations/integration-view.js';
import { listCompanies } from '../../../core/psa/list-companies.js';
import { setIntegrationStatus } from '../../../core/integrations/set-status.js';
import type { Vendor } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { Clients, Envelope, Integration } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { integrationOf, principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentIntegration } from './present.js';

/** Route 9 pages its clients 100 at a time, like the original. */
const CLIENTS_PAGE_SIZE = 100;

/** Routes 7–9: the integration (the vendor's link to one partner), its status and the partner's clients. */
export function organizationRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'integration');
  const tags = ['Integration'];
  const security = [{ GradientToken: [] }];

  /** The integration as the vendor sees it, read fresh so status and billing are current. */
  const present = async (integrationId: string, vendor: Vendor) => {
    const { integration, partner, billing } = await integrationView(deps.ctx, integrationId);
    return presentIntegration(integration, vendor, partner, billing);
  };

  app.get(
    '/api/vendor-api/organization',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getIntegration',
        summary: 'Get Integration',
        description: 'A bare object (no envelope); `billing` says where the billing-view build stands.',
        response: { 200: described('The integration', Integration), ...errors(401, 403, 404, 429) },
      },
    },
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
        security,
        operationId: 'updateIntegrationStatus',
        summary: 'Update Integration Status',
        description:
          'status: inactive, pending or active (legacy: disabled, error). Case-sensitive. No body needed.',
        params: Type.Object({ status: Type.String() }),
        response: {
          200: described(
            'The integration with its new status',
            Envelope(200, Integration, 'Success - Updated Integration Status'),
          ),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      await setIntegrationStatus(deps.ctx, integration, request.params.status);
      return {
        status: 200 as const,
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
        security,
        operationId: 'listClients',
        deprecated: true,
        summary: 'Get Clients (deprecated)',
        description:
          "The partner's PSA companies, 100 per page, ordered by id; previousId continues after that id.",
        querystring: Type.Object({
          previousId: Type.Optional(Type.String()),
          search: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: described('One page of PSA companies', Clients), ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const { previousId, search } = request.query;
      const page = await listCompanies(deps.ctx, integration.partnerId, {
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
