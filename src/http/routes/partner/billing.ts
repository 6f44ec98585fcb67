import { Type } from '@sinclair/typebox';
import { billingBoard } from '../../../core/billing/billing-board.js';
import { cardHistory } from '../../../core/billing/card-history.js';
import { isoTime } from '../../../core/clock.js';
import { partnerSettings } from '../../../core/partners/partner-settings.js';
import { fromMicros } from '../../../core/psa/money.js';
import { MAX_PAGE_SIZE } from '../../../core/limits/input-limits.js';
import type { HttpDeps } from '../../deps.js';
import { pageOfList, pageQuery } from '../../paging.js';
import { described, errors } from '../../schemas/common.js';
import { Board, CardHistory } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { BoardQuery, boardQuery } from './billing-query.js';
import { partnerBillingActionRoutes } from './billing-actions.js';
import { partnerBillingExportRoutes } from './billing-export.js';
import { partnerDecisionRoutes } from './decisions.js';
import { presentCard } from './present-card.js';
import { presentWrite } from './present-psa.js';

/** Points on a card's chart. */
const HISTORY_POINTS = 30;

/** The billing view: one card per (company, product) with the vendor and PSA quantities side by side. */
export function partnerBillingRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: billing'];
  const security = PARTNER_SECURITY;

  app.get(
    '/api/partner/billing',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listBillingCards',
        summary: 'Billing cards of a period',
        description:
          'PSA quantities are the active agreement lines, read live. Cards with a standing decision this ' +
          'period are left out unless includeActioned=true. Totals cover every card without a decision, ' +
          `whatever the state and q filters. Cards come in pages of at most ${MAX_PAGE_SIZE} (X-Next-Cursor); ` +
          'every page carries the same period and totals.',
        querystring: Type.Object({ ...BoardQuery.properties, ...pageQuery() }),
        response: { 200: described('A page of cards and the totals', Board), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { period, filter } = boardQuery(request.query, deps.ctx.clock.nowMs());
      const partnerId = partnerOf(request).id;
      const board = await billingBoard(deps.ctx, partnerId, period, filter);
      const cards = pageOfList(request, reply, board.cards);
      const t = board.totals;
      return {
        period: board.period,
        builtAt: board.builtAtMs === null ? null : isoTime(board.builtAtMs),
        currency: (await partnerSettings(deps.ctx, partnerId)).currency,
        totals: {
          linesToReview: t.linesToReview,
          revenueFound: fromMicros(t.revenueFoundMicros),
          marginFound: fromMicros(t.marginFoundMicros),
          revenueFoundLines: t.revenueFoundLines,
          overBilled: fromMicros(t.overBilledMicros),
          overBilledLines: t.overBilledLines,
          net: fromMicros(t.netMicros),
          linesWithoutVendor: t.linesWithoutVendor,
          unitsHeldBack: t.unitsHeldBack,
          itemsHeldBack: t.itemsHeldBack,
        },
        cards: cards.map((card) => {
          // Cards of synced companies say where they live in the PSA.
          const psa = board.companies.get(card.companyId)?.psa;
          return {
            ...presentCard(card),
            psa: psa ? { kind: psa.kind, externalId: psa.externalId } : null,
            psaWrite: card.psaWrite ? presentWrite(card.psaWrite) : null,
            psaLockedReason: card.psaLockedReason,
          };
        }),
      };
    },
  );

  app.get(
    '/api/partner/billing/cards/:cardId/history',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getCardHistory',
        summary: "A card's vendor quantity over its last 30 changes",
        description: 'Oldest first, for the chart: the card’s vendor quantity right after each count change.',
        params: Type.Object({ cardId: Type.String({ minLength: 1, maxLength: 130 }) }),
        response: { 200: described('Oldest first', CardHistory), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { cardId } = request.params;
      const points = await cardHistory(deps.ctx, partnerOf(request).id, cardId, HISTORY_POINTS);
      return { points: points.map((p) => ({ at: isoTime(p.atMs), vendorQuantity: p.vendorQuantity })) };
    },
  );

  partnerBillingActionRoutes(app, deps);
  partnerBillingExportRoutes(app, deps);
  partnerDecisionRoutes(app, deps);
}
