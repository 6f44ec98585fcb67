import { Type } from '@sinclair/typebox';
import { itemId } from '../../../core/accounts/create-items.js';
import type { BillingStatus } from '../../../core/builds/debounce.js';
import type { SetUnitCountInput } from '../../../core/counts/set-unit-count.js';
import { TallyError, UnmappedCountError } from '../../../core/errors.js';
import type { HttpDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { described, errors, Nullable } from '../../schemas/common.js';
import { Billing } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { integrationOf, principalOf, vendorAdmitWeighed, vendorAuth } from '../../vendor-auth.js';
import { presentBilling } from './present.js';

/** Items per bulk request at most. */
export const MAX_BULK_COUNTS = 5000;
/** A bulk request weighs this many items per request of the token's rate limit (rounded up). */
export const ITEMS_PER_REQUEST = 100;

const Id = Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()]);
const BulkBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          serviceId: Type.String({ minLength: 1, maxLength: 256 }),
          accountId: Id,
          unitCount: Type.Number({
            minimum: 0,
            description: 'The number of units in use now (set, not added)',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_BULK_COUNTS },
    ),
  },
  { additionalProperties: false },
);
const BulkQuery = Type.Object({
  no_build: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description: 'true: store the counts but do not schedule a billing-view build yet',
    }),
  ),
});

const ItemAnswer = Type.Object({
  status: Type.Integer({ description: '201, or the status the single count route would have answered' }),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ description: 'account_unmapped or service_unmapped, with a 404' })),
  data: Type.Optional(
    Type.Object({
      accountId: Type.String(),
      serviceId: Type.String(),
      unitCount: Type.Number(),
      previousUnitCount: Nullable(Type.Number()),
      revision: Type.Integer(),
    }),
  ),
});
const BulkReply = Type.Object({
  status: Type.Literal(200),
  message: Type.String(),
  data: Type.Object({
    accepted: Type.Integer(),
    refused: Type.Integer(),
    items: Type.Array(ItemAnswer, { description: 'One answer per item, in the order of the request' }),
    build: Type.Union([Billing, Type.Null()], {
      description: 'The billing-view build state after the last accepted item; null when none was accepted',
    }),
  }),
});
/**
 * Bulk Set unit count, a Tally extension (the Synthesize API has no such route): up to 5,000 counts
 * in one request, each answered in place exactly as the single route would answer it. The counts
 * go through the same group commit (201 means committed) and debounce: a push schedules one build
 * after its quiet window, not one per item. The request counts as one request per 100 items
 * against the token's rate limit.
 */
export function bulkCountRoutes(app: TypedApp, deps: HttpDeps): void {
  app.post(
    '/api/vendor-api/counts',
    {
      onRequest: vendorAuth(deps, 'integration', { cached: true, admit: false }),
      preHandler: vendorAdmitWeighed(deps, (request) =>
        Math.max(
          1,
          Math.ceil(((request.body as { items?: unknown[] }).items?.length ?? 0) / ITEMS_PER_REQUEST),
        ),
      ),
      schema: {
        operationId: 'setUnitCounts',
        tags: ['Counts'],
        security: [{ GradientToken: [] }],
        summary: 'Set many unit counts (Tally extension)',
        description:
          'Not part of the Synthesize API. Up to 5,000 Set-unit-count items in one request; each is answered in ' +
          'place with 201 or the status and message the single route would give (404 for an unmapped account ' +
          'or service, 400 for an invalid id). Every accepted item is stored before the response; the billing ' +
          'view rebuilds once after the quiet window. Counts as one request per 100 items against the rate limit.',
        querystring: BulkQuery,
        body: BulkBody,
        response: {
          200: described('Each item answered in place', BulkReply),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const { keyHashes } = principalOf(request);
      const noBuild = request.query.no_build === 'true';
      const inputs = request.body.items.map((item, i): SetUnitCountInput => ({
        integration,
        serviceId: item.serviceId,
        account: { accountId: itemId(item.accountId) },
        unitCount: item.unitCount,
        noBuild,
        requestId: `${request.id}:${i}`,
        keyHashes,
        idempotency: null,
      }));
      const settled = await deps.counts.submitMany(inputs);
      let build: BillingStatus | null = null;
      let accepted = 0;
      const items = settled.map((outcome) => {
        if (outcome.status === 'fulfilled') {
          accepted++;
          const { build: after, replayed: _replayed, ...data } = outcome.value;
          build = after;
          return { status: 201, data };
        }
        const error: unknown = outcome.reason;
        // Anything but a refusal (a failed commit) fails the request with a 500. Items of other
        // transactions may have committed; sending the same counts again is harmless (they are set).
        if (!(error instanceof TallyError)) throw error;
        const reason = error instanceof UnmappedCountError ? error.reason : undefined;
        deps.metrics.countsRejected.inc({ reason: reason ?? error.code });
        return { status: statusOf(error.code), message: error.message, ...(reason && { reason }) };
      });
      deps.metrics.countsAccepted.inc(accepted);
      const last = build as BillingStatus | null;
      if (last?.dueAtMs != null) deps.scheduler.wake(last.dueAtMs);
      return {
        status: 200 as const,
        message: `Success - ${accepted} of ${items.length} unit counts stored`,
        data: { accepted, refused: items.length - accepted, items, build: last && presentBilling(last) },
      };
    },
  );
}
