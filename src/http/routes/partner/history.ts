import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../../core/clock.js';
import { badRequest, notFound } from '../../../core/errors.js';
import { waitingSentAtMs } from '../../../core/mappings/apply-waiting.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

/** "applied from a count sent at T while unmapped" for entries a mapping made from a waiting count. */
function waitingNote(requestId: string): string | null {
  const sentAtMs = waitingSentAtMs(requestId);
  return sentAtMs === null ? null : `applied from a count sent at ${isoTime(sentAtMs)} while unmapped`;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** The story of each count: every accepted value, newest first, paged with `before`. */
export function partnerHistoryRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get(
    '/api/partner/integrations/:integrationId/history',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags: ['Partner: counts'],
        summary: 'Count history',
        security: PARTNER_SECURITY,
        params: Type.Object({ integrationId: Type.String() }),
        querystring: Type.Object({
          accountId: Type.Optional(Type.String()),
          serviceId: Type.Optional(Type.String()),
          before: Type.Optional(
            Type.String({ pattern: '^[0-9]+$', description: 'nextBefore of the previous page' }),
          ),
          limit: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
        }),
      },
    },
    async (request) => {
      const partner = partnerOf(request);
      const { integrationId } = request.params as { integrationId: string };
      const integration = await deps.ctx.store.getIntegration(integrationId);
      if (!integration || integration.partnerId !== partner.id) {
        throw notFound(`No integration found with id: ${integrationId}`);
      }
      const q = request.query as { accountId?: string; serviceId?: string; before?: string; limit?: string };
      const limit = q.limit === undefined ? DEFAULT_PAGE_SIZE : Number(q.limit);
      if (limit < 1 || limit > MAX_PAGE_SIZE)
        throw badRequest(`limit must be between 1 and ${MAX_PAGE_SIZE}`);
      const entries = await deps.ctx.store.listHistory(integrationId, {
        accountId: q.accountId,
        serviceId: q.serviceId,
        beforeId: q.before === undefined ? undefined : Number(q.before),
        limit,
      });
      return {
        entries: entries.map((e) => ({
          id: e.id,
          accountId: e.accountId,
          serviceId: e.serviceId,
          at: isoTime(e.atMs),
          unitCount: e.unitCount,
          previousUnitCount: e.previousUnitCount,
          revision: e.revision,
          requestId: e.requestId,
          idempotencyKey: e.idempotencyKey,
          note: waitingNote(e.requestId),
        })),
        nextBefore: entries.length === limit ? String(entries.at(-1)?.id) : null,
      };
    },
  );
}
