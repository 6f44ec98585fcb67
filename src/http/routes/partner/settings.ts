import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { partnerSettings, updatePartnerSettings } from '../../../core/partners/partner-settings.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { partnerErrors } from './reply-schemas.js';

const Settings = Type.Object({
  currency: Type.String({ description: 'ISO 4217 code every amount is in; default USD' }),
});

/** The partner's settings: for now the currency its prices and the board's money are in. */
export function partnerSettingsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: settings'];
  const security = PARTNER_SECURITY;

  typed.get(
    '/api/partner/settings',
    {
      onRequest,
      schema: {
        operationId: 'getPartnerSettings',
        tags,
        security,
        summary: "The partner's settings",
        response: { 200: Settings, ...partnerErrors },
      },
    },
    async (request) => partnerSettings(deps.ctx, partnerOf(request).id),
  );

  typed.patch(
    '/api/partner/settings',
    {
      onRequest,
      schema: {
        operationId: 'updatePartnerSettings',
        tags,
        security,
        summary: "Change the partner's settings",
        body: Type.Object(
          { currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })) },
          { additionalProperties: false },
        ),
        response: { 200: Settings, ...partnerErrors },
      },
    },
    async (request) => updatePartnerSettings(deps.ctx, partnerOf(request).id, request.body),
  );
}
