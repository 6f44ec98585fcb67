import { type Static, Type } from '@sinclair/typebox';
import type { BoardFilter } from '../../../core/billing/billing-board.js';
import { parsePeriod } from '../../../core/billing/period.js';

/** The filters the card list and its CSV export share. */
export const BoardQuery = Type.Object({
  period: Type.Optional(Type.String({ description: 'YYYY-MM; default: this month' })),
  includeActioned: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description: 'Also show cards approved, adjusted or dismissed this period (default false)',
    }),
  ),
  state: Type.Optional(
    Type.Union([Type.Literal('new_revenue'), Type.Literal('reconcile'), Type.Literal('no_change')]),
  ),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of a company, product or vendor name' })),
});

/** The period and filter a list or export request asks for. */
export function boardQuery(
  q: Static<typeof BoardQuery>,
  nowMs: number,
): { period: string; filter: BoardFilter } {
  return {
    period: parsePeriod(q.period, nowMs),
    filter: { includeActioned: q.includeActioned === 'true', state: q.state, q: q.q },
  };
}
