import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { mappingsToRemap } from '../../../core/psa-connector/carry-mappings.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { PsaKindSchema } from '../../schemas/partner.js';

const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  message: Type.String(),
  error: Type.Optional(Type.String()),
});

const Named = Type.Object({ id: Type.String(), name: Type.String() });

const MappingToRemapSchema = Type.Object({
  integrationId: Type.String(),
  vendorName: Type.String(),
  kind: Type.Union([Type.Literal('account'), Type.Literal('service')]),
  itemId: Type.String({ description: 'The vendor account or service id' }),
  target: Type.Composite([Named, Type.Object({ psa: PsaKindSchema })], {
    description: 'The company (account) or product (service) it maps to now, from another PSA',
  }),
  candidates: Type.Array(Named, {
    description:
      'Rows of the connected PSA with the same name: several when the name is not unique there, none ' +
      'when it has no such row',
  }),
});

/** What is left to remap after the partner moved from one PSA to another. */
export function partnerPsaRemapRoutes(parent: FastifyInstance, deps: HttpDeps): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/partner/psa/remap',
    {
      onRequest: partnerAuth(deps),
      schema: {
        operationId: 'listMappingsToRemap',
        tags: ['Partner: PSA connection'],
        security: PARTNER_SECURITY,
        summary: 'Mappings that still point at another PSA’s companies or products',
        description:
          'After a switch of PSA, the first full sync moves every mapping whose company or product the ' +
          'new PSA has under the same name (one row only). These are the rest: map each again with PUT ' +
          '…/accounts/{accountId}/mapping or …/services/{serviceId}/mapping.',
        response: {
          200: Type.Object({ mappings: Type.Array(MappingToRemapSchema) }),
          401: ErrorSchema,
        },
      },
    },
    async (request) => ({ mappings: await mappingsToRemap(deps.ctx, partnerOf(request).id) }),
  );
}
