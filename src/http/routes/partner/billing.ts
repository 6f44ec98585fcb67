import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { billingView } from '../../../core/billing/cards.js';
import { parsePeriod } from '../../../core/billing/period.js';
import { isoTime } from '../../../core/clock.js';
import type { HttpDeps } from '../../deps.js';
import { partnerAuth, partnerOf } from '../../partner-auth.js';

/** The billing view: one card per (company, product) with the vendor and PSA quantities side by side. */
export function partnerBillingRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get(
    '/api/partner/billing',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags: ['Partner: billing'],
        summary: 'Billing cards of a period',
        security: [{ Bearer: [] }],
        querystring: Type.Object({
          period: Type.Optional(Type.String({ description: 'YYYY-MM; default: this month' })),
        }),
      },
    },
    async (request) => {
      const partner = partnerOf(request);
      const period = parsePeriod((request.query as { period?: string }).period, deps.ctx.clock.nowMs());
      const view = await billingView(deps.ctx, partner.id, period);
      return {
        period: view.period,
        builtAt: view.builtAtMs === null ? null : isoTime(view.builtAtMs),
        cards: view.cards.map(({ lastChangedAtMs, sources, ...card }) => ({
          ...card,
          // The first source names the card for single-vendor views; `sources` lists every vendor's share.
          integrationId: sources[0]?.integrationId ?? null,
          vendorName: sources.map((s) => s.vendorName).join(', '),
          lastChangedAt: lastChangedAtMs > 0 ? isoTime(lastChangedAtMs) : null,
          sources,
        })),
      };
    },
  );
}
