import { Type } from '@sinclair/typebox';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { billingBoard } from '../../../core/billing/billing-board.js';
import { decimalText, quantityText } from '../../../core/billing/money.js';
import { isoTime } from '../../../core/clock.js';
import type { HttpDeps } from '../../deps.js';
import { errors } from '../../schemas/common.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { BoardQuery, boardQuery } from './billing-query.js';

const COLUMNS = [
  'company',
  'product',
  'vendor',
  'vendorQuantity',
  'psaQuantity',
  'difference',
  'state',
  'unitPrice',
  'unitCost',
  'monthlyEffect',
  'marginEffect',
  'lastChangedAt',
  'action',
  'decidedBy',
  'decidedAt',
  'effectiveDate',
];

/** Cards written between two turns of the event loop. */
const EXPORT_SLICE_ROWS = 1_000;

/** Text a spreadsheet would run as a formula is prefixed with ' so it stays text. */
const cellText = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** The cards a list request would show, as a CSV file. */
export function partnerBillingExportRoutes(app: TypedApp, deps: HttpDeps): void {
  app.get(
    '/api/partner/billing/export.csv',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags: ['Partner: billing'],
        security: PARTNER_SECURITY,
        operationId: 'exportBillingCards',
        summary: 'The billing cards as CSV',
        description:
          'Same filters as GET /api/partner/billing, except that decided cards are included unless ' +
          'includeActioned=false (a month-end file lists what was approved, adjusted or dismissed, with ' +
          'the action and its effective date); money as exact decimals.',
        querystring: BoardQuery,
        response: {
          200: {
            description: 'A CSV file, header row first',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { period, filter } = boardQuery(request.query, deps.ctx.clock.nowMs());
      const { includeActioned } = request.query;
      filter.includeActioned = includeActioned !== 'false';
      const board = await billingBoard(deps.ctx, partnerOf(request).id, period, filter);
      const row = (c: (typeof board.cards)[number]) => [
        cellText(c.companyName),
        cellText(c.productName),
        cellText(c.sources.map((s) => s.vendorName).join(', ')),
        quantityText(c.vendorQuantity),
        quantityText(c.psaQuantity),
        quantityText(c.difference),
        c.state,
        decimalText(c.unitPriceMicros),
        decimalText(c.unitCostMicros),
        decimalText(c.monthlyEffectMicros),
        decimalText(c.marginEffectMicros),
        c.lastChangedAtMs > 0 ? isoTime(c.lastChangedAtMs) : '',
        c.action?.action ?? '',
        cellText(c.action?.by ?? ''),
        c.action ? isoTime(c.action.atMs) : '',
        c.action?.effectiveDate ?? '',
      ];
      // Streamed a slice at a time: a partner with many cards neither builds the whole file in memory
      // nor holds the event loop while it is written out.
      const csv = stringify({ header: true, columns: COLUMNS });
      const write = async () => {
        for (let i = 0; i < board.cards.length; i += EXPORT_SLICE_ROWS) {
          for (const card of board.cards.slice(i, i + EXPORT_SLICE_ROWS)) {
            if (!csv.write(row(card))) await once(csv, 'drain');
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        csv.end();
      };
      write().catch((error: unknown) => csv.destroy(error as Error));
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="tally-billing-${board.period}.csv"`)
          // Fastify sends a stream as it comes; the schema describes the text it adds up to.
          .send(csv as unknown as string)
      );
    },
  );
}
