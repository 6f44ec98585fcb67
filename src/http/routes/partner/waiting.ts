import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../../core/clock.js';
import { acceptWaiting } from '../../../core/mappings/accept-waiting.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentBilling } from '../vendor-api/present.js';
import { BillingStatusReply, partnerErrors } from './reply-schemas.js';

const Id = Type.String({ minLength: 1, maxLength: 256 });

/** Taking a waiting count that a mapping only offered because it was sent before the period. */
export function partnerWaitingRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const window = { quietMs: deps.config.buildQuietMs, maxWaitMs: deps.config.buildMaxWaitMs };
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/partner/integrations/:integrationId/waiting/apply',
    {
      onRequest: partnerAuth(deps),
      schema: {
        operationId: 'applyWaitingCount',
        tags: ['Partner: integrations'],
        security: PARTNER_SECURITY,
        summary: 'Apply a waiting count that mapping only offered',
        description:
          'Mapping a pair applies its waiting count by itself when the count was sent this period; an ' +
          'older one is offered (waiting[].olderThanPeriod) and applied only by this call. Both the ' +
          'account and the service must be mapped. The billing view rebuilds after the debounce.',
        params: Type.Object({ integrationId: Id }),
        body: Type.Object({ accountId: Id, serviceId: Id }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            accountId: Type.String(),
            serviceId: Type.String(),
            unitCount: Type.Number(),
            sentAt: Type.String(),
            billing: BillingStatusReply,
          }),
          ...partnerErrors,
        },
      },
    },
    async (request) => {
      const result = await acceptWaiting(deps.ctx, window, {
        partnerId: partnerOf(request).id,
        integrationId: request.params.integrationId,
        ...request.body,
      });
      if (result.build.dueAtMs !== null) deps.scheduler.wake(result.build.dueAtMs);
      return {
        ...request.body,
        unitCount: result.unitCount,
        sentAt: isoTime(result.sentAtMs),
        billing: presentBilling(result.build),
      };
    },
  );
}
