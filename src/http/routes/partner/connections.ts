import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import { connectVendor } from '../../../core/integrations/connect-vendor.js';
import { disconnectIntegration } from '../../../core/integrations/disconnect.js';
import { listVendorsForPartner } from '../../../core/integrations/list-vendors.js';
import { setIntegrationPause } from '../../../core/integrations/pause.js';
import { rotatePartnerKey } from '../../../core/integrations/rotate-partner-key.js';
import { tokenRecipe } from '../../../core/integrations/token-recipe.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { ConnectableVendor, Connected, Disconnected, KeyRotated, PauseState } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

const IntegrationParams = Type.Object({ integrationId: Type.String({ minLength: 1, maxLength: 64 }) });

/** Connecting vendors: the vendors on offer, connect, rotate the partner key, pause, disconnect. */
export function partnerConnectionRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: integrations'];
  const security = PARTNER_SECURITY;

  app.get(
    '/api/partner/vendors',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listConnectableVendors',
        summary: 'Vendors the partner can connect',
        description: 'By name.',
        response: { 200: described('The vendors', Type.Array(ConnectableVendor)), ...errors(401, 403) },
      },
    },
    async (request) =>
      (await listVendorsForPartner(deps.ctx, partnerOf(request).id)).map(({ vendor, connected }) => ({
        id: vendor.id,
        name: vendor.name,
        description: vendor.description,
        connected,
      })),
  );

  app.post(
    '/api/partner/integrations',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'connectVendor',
        summary: 'Connect a vendor',
        description:
          'Answers the partner key once, with the recipe of the GRADIENT-TOKEN the vendor sends. Connecting a ' +
          'vendor that was disconnected brings its integration back with a new key; one that is connected is a 409.',
        body: Type.Object(
          { vendorId: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: {
          201: described('Connected; the partner key is shown this once', Connected),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { vendorId } = request.body;
      const { integration, partnerKey } = await connectVendor(deps.ctx, {
        partnerId: partnerOf(request).id,
        vendorId,
      });
      return reply
        .code(201)
        .send({ integrationId: integration.id, partnerKey, tokenRecipe: tokenRecipe(partnerKey) });
    },
  );

  app.post(
    '/api/partner/integrations/:integrationId/rotate-key',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'rotatePartnerKey',
        summary: 'Replace the partner key',
        description: 'The old key is refused at once; accounts, mappings and counts stay.',
        params: IntegrationParams,
        response: {
          200: described('The new key, shown this once', KeyRotated),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const { integrationId } = request.params;
      const { partnerKey } = await rotatePartnerKey(deps.ctx, {
        partnerId: partnerOf(request).id,
        integrationId,
      });
      return { partnerKey, tokenRecipe: tokenRecipe(partnerKey) };
    },
  );

  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    app.post(
      `/api/partner/integrations/:integrationId/${verb}`,
      {
        onRequest,
        schema: {
          tags,
          security,
          operationId: paused ? 'pauseIntegration' : 'resumeIntegration',
          summary: paused ? 'Pause a vendor' : 'Resume a paused vendor',
          description: paused
            ? 'The vendor is refused (403) until the integration is resumed; accounts, mappings and counts stay.'
            : 'The vendor is accepted again.',
          params: IntegrationParams,
          response: {
            200: described('The integration’s pause state', PauseState),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const { integrationId } = request.params;
        const integration = await setIntegrationPause(deps.ctx, {
          partnerId: partnerOf(request).id,
          integrationId,
          paused,
        });
        return {
          id: integration.id,
          status: integration.status,
          pausedAt: integration.pausedAtMs === null ? null : isoTime(integration.pausedAtMs),
        };
      },
    );
  }

  app.delete(
    '/api/partner/integrations/:integrationId',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'disconnectIntegration',
        summary: 'Disconnect a vendor',
        description:
          'Removes the integration’s accounts, services, counts and mappings (the count history stays), sets ' +
          'the status inactive and refuses the vendor (403) from then on. Connect the vendor again to resume.',
        params: IntegrationParams,
        response: {
          200: described('Disconnected; what was removed', Disconnected),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { integrationId } = request.params;
      const { integration, removed } = await disconnectIntegration(deps.ctx, {
        partnerId: partnerOf(request).id,
        integrationId,
      });
      return {
        id: integration.id,
        status: integration.status,
        disconnectedAt: integration.disconnectedAtMs === null ? null : isoTime(integration.disconnectedAtMs),
        removed,
      };
    },
  );
}
