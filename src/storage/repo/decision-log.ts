import type { DecisionLogStore } from '../../core/billing/store.js';
import type { Db } from '../schema.js';
import { toAudit } from './decisions.js';

/** Reading the audit log by filter, and taking a decision back. */
export const decisionLogRepo = (db: Db): DecisionLogStore => ({
  async deleteCardAction(partnerId, period, cardId) {
    await db
      .deleteFrom('card_actions')
      .where('partner_id', '=', partnerId)
      .where('period', '=', period)
      .where('card_id', '=', cardId)
      .execute();
  },
  async findAuditEntries(partnerId, f) {
    let q = db.selectFrom('audit_entries').selectAll().where('partner_id', '=', partnerId);
    if (f.period !== undefined) q = q.where('period', '=', f.period);
    if (f.action !== undefined) q = q.where('action', '=', f.action);
    if (f.by !== undefined) q = q.where('actor', '=', f.by);
    if (f.cardId !== undefined) q = q.where('card_id', '=', f.cardId);
    if (f.companyId !== undefined) q = q.where('company_id', '=', f.companyId);
    if (f.productId !== undefined) q = q.where('product_id', '=', f.productId);
    if (f.sinceMs !== undefined) q = q.where('at_ms', '>=', f.sinceMs);
    if (f.untilMs !== undefined) q = q.where('at_ms', '<', f.untilMs);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map(toAudit);
  },
});
