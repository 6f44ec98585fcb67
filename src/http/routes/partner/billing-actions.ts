import { Type } from '@sinclair/typebox';
import { actOnCards } from '../../../core/billing/act-on-cards.js';
import { auditLog } from '../../../core/billing/audit-log.js';
import { parsePeriod } from '../../../core/billing/period.js';
import { isoTime } from '../../../core/clock.js';
import { AUDIT_ACTIONS, CARD_ACTIONS } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { ErrorReply, described, errors } from '../../schemas/common.js';
import { AuditLog, CardActionResults, PsaCandidate } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, actorOf, partnerAuth, partnerOf } from '../../partner-auth.js';

import { MAX_QUANTITY } from '../../../core/limits/input-limits.js';
const DEFAULT_AUDIT_ENTRIES = 100;
const MAX_AUDIT_ENTRIES = 1000;

/** Approve, adjust or dismiss cards; and the audit log those actions leave. */
export function partnerBillingActionRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: billing'];
  const security = PARTNER_SECURITY;

  app.post(
    '/api/partner/billing/actions',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'actOnCards',
        summary: 'Approve, adjust or dismiss cards',
        description:
          'approve: PSA quantity := vendor quantity; adjust: := quantity; dismiss: no change this period. ' +
          'Approve and adjust write the agreement line (in a per-company "Tally" agreement when the company ' +
          'has none for the product). On a company synced from the PSA they queue a write to the PSA instead ' +
          '(result psaWriteId; the card shows psaWrite); several active lines or agreements answer 409 with ' +
          'candidates unless agreementLineId or agreementId chooses. effectiveDate defaults to the first day of the month after the period. ' +
          'Each card answers on its own in results.',
        body: Type.Object(
          {
            period: Type.Optional(Type.String({ description: 'YYYY-MM; default: this month' })),
            cardIds: Type.Array(Type.String({ minLength: 1, maxLength: 130 }), {
              minItems: 1,
              maxItems: 1000,
            }),
            action: Type.Union(CARD_ACTIONS.map((a) => Type.Literal(a))),
            quantity: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_QUANTITY })),
            effectiveDate: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
            agreementLineId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 64,
                description: 'PSA cards: which of several active lines takes the quantity',
              }),
            ),
            agreementId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 64,
                description:
                  'PSA cards with no line yet: which of several active agreements takes a new line',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: described('Each card’s own outcome', CardActionResults),
          ...errors(400, 401, 403, 413, 415),
          409: Type.Object(
            { ...ErrorReply.properties, candidates: Type.Optional(Type.Array(PsaCandidate)) },
            {
              description:
                'A lone card whose PSA write is ambiguous (candidates to choose from) or cannot be written',
            },
          ),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const { agreementLineId, agreementId, ...rest } = body;
      const results = await actOnCards(deps.ctx, {
        ...rest,
        partnerId: partnerOf(request).id,
        by: actorOf(request),
        period: parsePeriod(body.period, deps.ctx.clock.nowMs()),
        choice: { agreementLineId, agreementId },
      });
      // Writes queued for the PSA go out now rather than at the next poll.
      if (results.some((r) => r.psaWriteId !== undefined)) deps.psa.writes.kick();
      return { results };
    },
  );

  app.get(
    '/api/partner/audit',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listAuditEntries',
        summary: 'Who did what, when, from which quantity to which',
        description:
          'Newest first; filter by period, action (approve, adjust, dismiss, undo), by, companyId, productId ' +
          'or cardId; page back with before=<the last id seen>.',
        querystring: Type.Object({
          limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: `1–${MAX_AUDIT_ENTRIES}` })),
          period: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM' })),
          action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))),
          by: Type.Optional(Type.String({ maxLength: 320, description: "A user's email, or 'api token'" })),
          companyId: Type.Optional(Type.String({ maxLength: 64 })),
          productId: Type.Optional(Type.String({ maxLength: 64 })),
          cardId: Type.Optional(Type.String({ maxLength: 130 })),
          before: Type.Optional(
            Type.String({ pattern: '^[0-9]+$', description: 'Entries older than this id (paging)' }),
          ),
        }),
        response: { 200: described('Newest first', AuditLog), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const partnerId = partnerOf(request).id;
      const { limit: text, before, ...filter } = request.query;
      const limit = Math.min(
        Math.max(text === undefined ? DEFAULT_AUDIT_ENTRIES : Number(text), 1),
        MAX_AUDIT_ENTRIES,
      );
      const entries = await auditLog(deps.ctx, partnerId, {
        ...filter,
        beforeId: before === undefined ? undefined : Number(before),
        limit,
      });
      return {
        entries: entries.map((e) => ({
          id: e.id,
          at: isoTime(e.atMs),
          by: e.by,
          action: e.action,
          period: e.period,
          cardId: e.cardId,
          companyId: e.companyId,
          companyName: e.companyName,
          productId: e.productId,
          productName: e.productName,
          fromQuantity: e.fromQuantity,
          toQuantity: e.toQuantity,
          effectiveDate: e.effectiveDate,
          agreementLineId: e.agreementLineId,
        })),
      };
    },
  );
}
