import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { decisionsOfPeriod } from '../../../core/billing/decisions.js';
import { parsePeriod } from '../../../core/billing/period.js';
import { undoDecision } from '../../../core/billing/undo-decision.js';
import { isoTime } from '../../../core/clock.js';
import { CARD_ACTIONS } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, actorOf, partnerAuth, partnerOf } from '../../partner-auth.js';
import { partnerErrors } from './reply-schemas.js';

const Period = Type.String({ description: 'YYYY-MM; default: this month' });
const CardId = Type.String({ minLength: 1, maxLength: 130 });
const Action = Type.Union(CARD_ACTIONS.map((a) => Type.Literal(a)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const DecisionReply = Type.Object({
  cardId: Type.String(),
  companyId: Type.String(),
  companyName: Type.String(),
  productId: Type.String(),
  productName: Type.String(),
  action: Action,
  by: Type.String(),
  at: Type.String(),
  fromQuantity: Type.Number(),
  toQuantity: Nullable(Type.Number()),
  vendorQuantity: Type.Number(),
  effectiveDate: Nullable(Type.String()),
});

/** The decisions of a period, and taking one back. */
export function partnerDecisionRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: billing'];
  const security = PARTNER_SECURITY;

  typed.get(
    '/api/partner/billing/decisions',
    {
      onRequest,
      schema: {
        operationId: 'listDecisions',
        tags,
        security,
        summary: 'Decided this period: approved, adjusted and dismissed cards',
        description:
          'Newest first, with who decided, when, the PSA quantity from → to and the effective date.',
        querystring: Type.Object({ period: Type.Optional(Period) }),
        response: {
          200: Type.Object({ period: Type.String(), decisions: Type.Array(DecisionReply) }),
          ...partnerErrors,
        },
      },
    },
    async (request) => {
      const period = parsePeriod(request.query.period, deps.ctx.clock.nowMs());
      const decisions = await decisionsOfPeriod(deps.ctx, partnerOf(request).id, period);
      return {
        period,
        decisions: decisions.map((d) => ({
          cardId: d.cardId,
          companyId: d.companyId,
          companyName: d.companyName,
          productId: d.productId,
          productName: d.productName,
          action: d.action,
          by: d.by,
          at: isoTime(d.atMs),
          fromQuantity: d.fromQuantity,
          toQuantity: d.quantity,
          vendorQuantity: d.vendorQuantity,
          effectiveDate: d.effectiveDate,
        })),
      };
    },
  );

  typed.post(
    '/api/partner/billing/decisions/undo',
    {
      onRequest,
      schema: {
        operationId: 'undoDecision',
        tags,
        security,
        summary: 'Undo a decision: the previous PSA quantity comes back, and so does the card',
        description:
          'Approve and adjust have the PSA quantity from before the decision written back to the ledger; a ' +
          'dismiss is simply forgotten. For a company synced from the connected PSA the restored quantity is queued ' +
          'as a PSA write (see psaWriteId) instead. The audit log gets an "undo" entry.',
        body: Type.Object({ period: Type.Optional(Period), cardId: CardId }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            cardId: Type.String(),
            undone: Action,
            restoredQuantity: Type.Number(),
            ledgerWritten: Type.Boolean(),
            agreementLineId: Nullable(Type.String()),
            psaWriteId: Nullable(Type.String({ description: 'For a PSA-synced company: the queued write' })),
          }),
          ...partnerErrors,
        },
      },
    },
    async (request) => {
      const result = await undoDecision(deps.ctx, {
        partnerId: partnerOf(request).id,
        by: actorOf(request),
        period: parsePeriod(request.body.period, deps.ctx.clock.nowMs()),
        cardId: request.body.cardId,
      });
      return { ...result, undone: result.undone.action };
    },
  );
}
