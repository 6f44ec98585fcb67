import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import { countHistory } from '../../../core/counts/count-history.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { CountHistory } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

const DEFAULT_PAGE_SIZE = 100;

/** The story of each count: every accepted value, newest first, paged with `before`. */
export function partnerHistoryRoutes(app: TypedApp, deps: HttpDeps): void {
  app.get(
    '/api/partner/integrations/:integrationId/history',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags: ['Partner: counts'],
        operationId: 'listCountHistory',
        summary: 'Count history',
        description: 'Every accepted value, newest first; page with before=nextBefore.',
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
        response: { 200: described('One page, newest first', CountHistory), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const partner = partnerOf(request);
      const { integrationId } = request.params;
      const q = request.query;
      const { entries, nextBeforeId } = await countHistory(deps.ctx, partner.id, integrationId, {
        accountId: q.accountId,
        serviceId: q.serviceId,
        beforeId: q.before === undefined ? undefined : Number(q.before),
        limit: q.limit === undefined ? DEFAULT_PAGE_SIZE : Number(q.limit),
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
        })),
        nextBefore: nextBeforeId === null ? null : String(nextBeforeId),
      };
    },
  );
}
