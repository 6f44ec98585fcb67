import { sql } from 'kysely';
import type { Company, Product } from '../../core/model.js';
import type { Repo } from '../../core/ports.js';
import type { CompaniesTable, Db, ProductsTable } from '../schema.js';

type PsaRepo = Pick<
  Repo,
  'insertCompany' | 'getCompany' | 'listCompanies' | 'insertProduct' | 'getProduct' | 'listProducts'
>;

const toCompany = (r: CompaniesTable): Company => ({
  id: r.id,
  partnerId: r.partner_id,
  name: r.name,
  createdAtMs: Number(r.created_at_ms),
});

const toProduct = (r: ProductsTable): Product => ({
  id: r.id,
  partnerId: r.partner_id,
  name: r.name,
  unitPriceMicros: Number(r.unit_price_micros),
  unitCostMicros: Number(r.unit_cost_micros),
  createdAtMs: Number(r.created_at_ms),
});

export const psaRepo = (db: Db): PsaRepo => ({
  async insertCompany(c) {
    await db
      .insertInto('psa_companies')
      .values({ id: c.id, partner_id: c.partnerId, name: c.name, created_at_ms: c.createdAtMs })
      .execute();
  },
  async getCompany(partnerId, id) {
    const r = await db
      .selectFrom('psa_companies')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toCompany(r);
  },
  async listCompanies(partnerId, { afterId, search, limit }) {
    let q = db.selectFrom('psa_companies').where('partner_id', '=', partnerId);
    if (search) {
      // lower() on both sides keeps the match case-insensitive on SQLite and PostgreSQL alike; the
      // explicit ESCAPE is needed because SQLite, unlike PostgreSQL, has no default escape character.
      const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`lower(name) like lower(${pattern}) escape '\\'`);
    }
    const totalRow = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    let pageQuery = q.selectAll().orderBy('id');
    if (afterId) pageQuery = pageQuery.where('id', '>', afterId);
    if (limit !== undefined) pageQuery = pageQuery.limit(limit);
    const rows = await pageQuery.execute();
    return { rows: rows.map(toCompany), total: Number(totalRow?.n ?? 0) };
  },
  async insertProduct(p) {
    await db
      .insertInto('psa_products')
      .values({
        id: p.id,
        partner_id: p.partnerId,
        name: p.name,
        unit_price_micros: p.unitPriceMicros,
        unit_cost_micros: p.unitCostMicros,
        created_at_ms: p.createdAtMs,
      })
      .execute();
  },
  async getProduct(partnerId, id) {
    const r = await db
      .selectFrom('psa_products')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toProduct(r);
  },
  async listProducts(partnerId) {
    const rows = await db
      .selectFrom('psa_products')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('name')
      .execute();
    return rows.map(toProduct);
  },
});
