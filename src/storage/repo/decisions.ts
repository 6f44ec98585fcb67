import type { Selectable } from 'kysely';
import type { AuditEntry, CardActionKind } from '../../core/model.js';
import type { DecisionStore } from '../../core/ports.js';
import type { AuditEntriesTable, Db } from '../schema.js';

const toAudit = (r: Selectable<AuditEntriesTable>): AuditEntry => ({
  id: Number(r.id),
  partnerId: r.partner_id,
  atMs: Number(r.at_ms),
  by: r.actor,
  period: r.period,
  cardId: r.card_id,
  companyId: r.company_id,
  productId: r.product_id,
  action: r.action as CardActionKind,
  fromQuantity: r.from_quantity,
  toQuantity: r.to_quantity,
  effectiveDate: r.effective_date,
  agreementLineId: r.agreement_line_id,
});

/** The partner's decisions on billing cards, and the audit log they leave. */
export const decisionRepo = (db: Db): DecisionStore => ({
  async putCardAction(a) {
    const row = {
      partner_id: a.partnerId,
      period: a.period,
      card_id: a.cardId,
      action: a.action,
      quantity: a.quantity,
      effective_date: a.effectiveDate,
      vendor_quantity: a.vendorQuantity,
      actor: a.by,
      at_ms: a.atMs,
    };
    await db
      .insertInto('card_actions')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['partner_id', 'period', 'card_id']).doUpdateSet({
          action: row.action,
          quantity: row.quantity,
          effective_date: row.effective_date,
          vendor_quantity: row.vendor_quantity,
          actor: row.actor,
          at_ms: row.at_ms,
        }),
      )
      .execute();
  },
  async listCardActions(partnerId, period) {
    const rows = await db
      .selectFrom('card_actions')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('period', '=', period)
      .execute();
    return rows.map((r) => ({
      partnerId: r.partner_id,
      period: r.period,
      cardId: r.card_id,
      action: r.action as CardActionKind,
      quantity: r.quantity,
      effectiveDate: r.effective_date,
      vendorQuantity: r.vendor_quantity,
      by: r.actor,
      atMs: Number(r.at_ms),
    }));
  },
  async insertAuditEntry(e) {
    await db
      .insertInto('audit_entries')
      .values({
        partner_id: e.partnerId,
        at_ms: e.atMs,
        actor: e.by,
        period: e.period,
        card_id: e.cardId,
        company_id: e.companyId,
        product_id: e.productId,
        action: e.action,
        from_quantity: e.fromQuantity,
        to_quantity: e.toQuantity,
        effective_date: e.effectiveDate,
        agreement_line_id: e.agreementLineId,
      })
      .execute();
  },
  async listAuditEntries(partnerId, limit) {
    const rows = await db
      .selectFrom('audit_entries')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAudit);
  },
});
