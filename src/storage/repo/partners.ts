import type { Partner } from '../../core/model.js';
import type { PartnerStore } from '../../core/ports.js';
import type { Db } from '../schema.js';

export const partnerRepo = (db: Db): PartnerStore => ({
  async insertPartner(p: Partner, tokenHash) {
    await db
      .insertInto('partners')
      .values({ id: p.id, name: p.name, token_hash: tokenHash, created_at_ms: p.createdAtMs })
      .execute();
  },
  async getPartner(id) {
    const r = await db
      .selectFrom('partners')
      .select(['id', 'name', 'created_at_ms'])
      .where('id', '=', id)
      .executeTakeFirst();
    return r && { id: r.id, name: r.name, createdAtMs: Number(r.created_at_ms) };
  },
  async findPartnerByTokenHash(tokenHash) {
    const r = await db
      .selectFrom('partners')
      .select(['id', 'name', 'created_at_ms'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r && { id: r.id, name: r.name, createdAtMs: Number(r.created_at_ms) };
  },
  async listPartners() {
    const rows = await db
      .selectFrom('partners')
      .select(['id', 'name', 'created_at_ms'])
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAtMs: Number(r.created_at_ms) }));
  },
  async setPartnerTokenHash(partnerId, tokenHash) {
    await db.updateTable('partners').set({ token_hash: tokenHash }).where('id', '=', partnerId).execute();
  },
});
