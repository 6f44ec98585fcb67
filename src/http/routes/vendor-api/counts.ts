import { Type } from '@sinclair/typebox';
import { createHash } from 'node:crypto';
import { itemId } from '../../../core/accounts/create-items.js';
import { TallyError, UnmappedCountError, badRequest } from '../../../core/errors.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { Billing, CountResult, Envelope } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { integrationOf, principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentBilling } from './present.js';

const AccountRef = Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()]);
const CountBody = Type.Object({
  accountId: Type.Optional(AccountRef),
  clientOId: Type.Optional(AccountRef),
  clientOid: Type.Optional(AccountRef),
  unitCount: Type.Number({ minimum: 0, description: 'The number of units in use now (set, not added)' }),
});
const CountQuery = Type.Object({
  no_build: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description: 'true: store the count but do not schedule a billing-view build yet',
    }),
  ),
});

/** Route 6, Set unit count, and the flush that builds now. */
export function countRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'integration');
  const security = [{ GradientToken: [] }];

  app.post(
    '/api/vendor-api/service/:serviceId/count',
    {
      onRequest: vendorAuth(deps, 'integration', { cached: true }),
      schema: {
        tags: ['Counts'],
        security,
        operationId: 'setUnitCount',
        summary: 'Set unit count',
        description:
          'Sets (last write wins) the unit count of one account for one service. The count is stored before the 201; ' +
          'the billing view rebuilds after a quiet window (debounce).',
        params: Type.Object({ serviceId: Type.String({ maxLength: 256 }) }),
        querystring: CountQuery,
        body: CountBody,
        response: {
          201: described(
            'The count is stored; `data` says what it replaced and where the build stands. A replay of an ' +
              'Idempotency-Key carries the header `idempotent-replayed: true`.',
            Envelope(201, CountResult, 'Success - Created service unit count'),
          ),
          ...errors(400, 401, 403, 404, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const integration = integrationOf(request);
      const { keyHashes } = principalOf(request);
      const body = request.body;
      const ref = body.accountId ?? body.clientOId ?? body.clientOid;
      if (ref === undefined) throw badRequest('accountId is required');
      const account = body.accountId !== undefined ? { accountId: itemId(ref) } : { clientOid: itemId(ref) };
      const keyHeader = request.headers['idempotency-key'];
      const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
      if (key !== undefined && (key.length === 0 || key.length > 255)) {
        throw badRequest('Idempotency-Key must be 1 to 255 characters');
      }
      try {
        const result = await deps.counts.submit({
          integration,
          serviceId: request.params.serviceId,
          account,
          unitCount: body.unitCount,
          noBuild: request.query.no_build === 'true',
          requestId: request.id,
          keyHashes,
          idempotency: key
            ? {
                key,
                bodyHash: createHash('sha256')
                  .update(`${request.url}\n${JSON.stringify(body)}`)
                  .digest('hex'),
                ttlMs: deps.config.idempotencyTtlMs,
              }
            : null,
        });
        if (!result.replayed) deps.metrics.countsAccepted.inc();
        if (result.build.dueAtMs !== null) deps.scheduler.wake(result.build.dueAtMs);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        const { build, replayed: _replayed, ...data } = result;
        return reply.code(201).send({
          status: 201 as const,
          message: 'Success - Created service unit count',
          data: { ...data, build: presentBilling(build) },
        });
      } catch (error) {
        const reason =
          error instanceof UnmappedCountError
            ? error.reason
            : error instanceof TallyError
              ? error.code
              : 'error';
        deps.metrics.countsRejected.inc({ reason });
        throw error;
      }
    },
  );

  app.post(
    '/api/vendor-api/billing/flush',
    {
      onRequest,
      schema: {
        tags: ['Counts'],
        security,
        operationId: 'flushBilling',
        summary: 'Build the billing view now',
        description: 'Builds everything unbuilt for this integration and answers when the build has landed.',
        response: {
          200: described(
            'The build has landed',
            Envelope(200, Type.Object({ billing: Billing }), 'Success - Billing view built'),
          ),
          ...errors(401, 403, 429),
        },
      },
    },
    async (request) => {
      const status = await deps.scheduler.flush(integrationOf(request).id, 30_000);
      return {
        status: 200 as const,
        data: { billing: presentBilling(status) },
        message: 'Success - Billing view built',
      };
    },
  );
}
