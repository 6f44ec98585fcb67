import { Type } from '@sinclair/typebox';
import { actOnCards } from '../../../core/billing/act-on-cards.js';
import { auditLog } from '../../../core/billing/audit-log.js';
import { parsePeriod } from '../../../core/billing/period.js';
import { isoTime } from '../../../core/clock.js';
import { CARD_ACTIONS } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { AuditLog, CardActionResults } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, actorOf, partnerAuth, partnerOf } from '../../partner-auth.js';

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
          'has none for the product). effectiveDate defaults to the first day of the month after the period. ' +
          'Each card answers on its own in results.',
        body: Type.Object(
          {
            period: Type.Optional(Type.String({ description: 'YYYY-MM; default: this month' })),
            cardIds: Type.Array(Type.String({ minLength: 1, maxLength: 130 }), {
              minItems: 1,
              maxItems: 1000,
            }),
            action: Type.Union(CARD_ACTIONS.map((a) => Type.Literal(a))),
            quantity: Type.Optional(Type.Number({ minimum: 0 })),
            effectiveDate: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: described('Each card’s own outcome', CardActionResults),
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const results = await actOnCards(deps.ctx, {
        ...body,
        partnerId: partnerOf(request).id,
        by: actorOf(request),
        period: parsePeriod(body.period, deps.ctx.clock.nowMs()),
      });
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
        description: 'Newest first.',
        querystring: Type.Object({
          limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: `1–${MAX_AUDIT_ENTRIES}` })),
        }),
        response: { 200: described('Newest first', AuditLog), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const partnerId = partnerOf(request).id;
      const { limit: text } = request.query;
      const limit = Math.min(
        Math.max(text === undefined ? DEFAULT_AUDIT_ENTRIES : Number(text), 1),
        MAX_AUDIT_ENTRIES,
      );
      const entries = await auditLog(deps.ctx, partnerId, limit);
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
