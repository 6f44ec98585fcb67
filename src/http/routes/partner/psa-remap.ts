import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { mappingsToRemap } from '../../../core/psa-connector/carry-mappings.js';
import type { HttpDeps } from '../../deps.js';
import { pageOfList, pageQuery } from '../../paging.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { errors } from '../../schemas/common.js';
import { MappingToRemapSchema } from '../../schemas/partner.js';

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
          '…/accounts/{accountId}/mapping or …/services/{serviceId}/mapping. Pages with limit and after ' +
          '(X-Next-Cursor).',
        querystring: Type.Object(pageQuery(), { additionalProperties: false }),
        response: {
          200: Type.Object({ mappings: Type.Array(MappingToRemapSchema) }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => ({
      mappings: pageOfList(request, reply, await mappingsToRemap(deps.ctx, partnerOf(request).id)),
    }),
  );
}
