import type { Agreement, AgreementLine } from '../../core/model.js';
import type { AgreementStore } from '../../core/ports.js';
import { psaColumns, psaRefOf } from './psa-ref.js';
import type { AgreementLinesTable, AgreementsTable, Db } from '../schema.js';

const toAgreement = (r: AgreementsTable): Agreement => ({
  id: r.id,
  partnerId: r.partner_id,
  companyId: r.company_id,
  name: r.name,
  createdAtMs: Number(r.created_at_ms),
  ...psaRefOf(r),
});

const toLine = (r: AgreementLinesTable): AgreementLine => ({
  id: r.id,
  partnerId: r.partner_id,
  agreementId: r.agreement_id,
  companyId: r.company_id,
  productId: r.product_id,
  quantity: r.quantity,
  active: r.active === 1,
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
  ...psaRefOf(r),
  ...(r.locked_reason !== null && { lockedReason: r.locked_reason }),
});

const lineRow = (l: AgreementLine): AgreementLinesTable => ({
  id: l.id,
  partner_id: l.partnerId,
  agreement_id: l.agreementId,
  company_id: l.companyId,
  product_id: l.productId,
  quantity: l.quantity,
  active: l.active ? 1 : 0,
  created_at_ms: l.createdAtMs,
  updated_at_ms: l.updatedAtMs,
  ...psaColumns(l),
  locked_reason: l.lockedReason ?? null,
});

/** Rows per bulk INSERT; keeps every statement under SQLite's bound-variable limit. */
const INSERT_CHUNK_ROWS = 500;

/** Agreements and their lines: the quantities the partner bills. */
export const agreementRepo = (db: Db): AgreementStore => ({
  async insertAgreement(a) {
    await db
      .insertInto('psa_agreements')
      .values({
        id: a.id,
        partner_id: a.partnerId,
        company_id: a.companyId,
        name: a.name,
        created_at_ms: a.createdAtMs,
        active: 1,
        ...psaColumns(a),
      })
      .execute();
  },
  async getAgreement(partnerId, id) {
    const r = await db
      .selectFrom('psa_agreements')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toAgreement(r);
  },
  async listAgreements(partnerId, { companyId }) {
    let q = db.selectFrom('psa_agreements').selectAll().where('partner_id', '=', partnerId);
    if (companyId !== undefined) q = q.where('company_id', '=', companyId);
    return (await q.orderBy('company_id').orderBy('name').orderBy('id').execute()).map(toAgreement);
  },
  async updateAgreement(a) {
    await db
      .updateTable('psa_agreements')
      .set({ name: a.name })
      .where('partner_id', '=', a.partnerId)
      .where('id', '=', a.id)
      .execute();
  },
  async deleteAgreement(partnerId, id) {
    await db.deleteFrom('psa_agreements').where('partner_id', '=', partnerId).where('id', '=', id).execute();
  },

  async insertAgreementLine(l) {
    await db.insertInto('psa_agreement_lines').values(lineRow(l)).execute();
  },
  async insertAgreementLines(lines) {
    for (let i = 0; i < lines.length; i += INSERT_CHUNK_ROWS) {
      await db
        .insertInto('psa_agreement_lines')
        .values(lines.slice(i, i + INSERT_CHUNK_ROWS).map(lineRow))
        .execute();
    }
  },
  async getAgreementLine(partnerId, id) {
    const r = await db
      .selectFrom('psa_agreement_lines')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toLine(r);
  },
  async listAgreementLines(partnerId, { companyId, productId, agreementId, activeOnly }) {
    let q = db.selectFrom('psa_agreement_lines').selectAll().where('partner_id', '=', partnerId);
    if (companyId !== undefined) q = q.where('company_id', '=', companyId);
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    if (agreementId !== undefined) q = q.where('agreement_id', '=', agreementId);
    if (activeOnly) q = q.where('active', '=', 1);
    return (await q.orderBy('created_at_ms').orderBy('id').execute()).map(toLine);
  },
  async updateAgreementLine(l) {
    await db
      .updateTable('psa_agreement_lines')
      .set({ quantity: l.quantity, active: l.active ? 1 : 0, updated_at_ms: l.updatedAtMs })
      .where('partner_id', '=', l.partnerId)
      .where('id', '=', l.id)
      .execute();
  },
  async deleteAgreementLine(partnerId, id) {
    await db
      .deleteFrom('psa_agreement_lines')
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .execute();
  },
});
