import { sql } from 'kysely';
import type { Company, Product } from '../../core/model.js';
import type { PsaStore } from '../../core/ports.js';
import { idIn } from './id-list.js';
import { psaColumns, psaRefOf } from './psa-ref.js';
import type { CompaniesTable, Db, ProductsTable } from '../schema.js';

const toCompany = (r: CompaniesTable): Company => ({
  id: r.id,
  partnerId: r.partner_id,
  name: r.name,
  createdAtMs: Number(r.created_at_ms),
  ...psaRefOf(r),
});

const toProduct = (r: ProductsTable): Product => ({
  id: r.id,
  partnerId: r.partner_id,
  name: r.name,
  unitPriceMicros: Number(r.unit_price_micros),
  unitCostMicros: Number(r.unit_cost_micros),
  createdAtMs: Number(r.created_at_ms),
  ...psaRefOf(r),
});

const companyRow = (c: Company): CompaniesTable => ({
  id: c.id,
  partner_id: c.partnerId,
  name: c.name,
  created_at_ms: c.createdAtMs,
  ...psaColumns(c),
});

const productRow = (p: Product): ProductsTable => ({
  id: p.id,
  partner_id: p.partnerId,
  name: p.name,
  unit_price_micros: p.unitPriceMicros,
  unit_cost_micros: p.unitCostMicros,
  created_at_ms: p.createdAtMs,
  ...psaColumns(p),
});

/** Rows per bulk INSERT; keeps every statement under SQLite's bound-variable limit. */
const INSERT_CHUNK_ROWS = 500;

export const psaRepo = (db: Db, dialect: 'sqlite' | 'postgres'): PsaStore => ({
  async insertCompany(c) {
    await db.insertInto('psa_companies').values(companyRow(c)).execute();
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
  async getCompanies(partnerId, ids) {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('psa_companies')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where(idIn('id', ids, dialect))
      .execute();
    return rows.map(toCompany);
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
    await db.insertInto('psa_products').values(productRow(p)).execute();
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
  async updateCompany(c) {
    await db
      .updateTable('psa_companies')
      .set({ name: c.name })
      .where('partner_id', '=', c.partnerId)
      .where('id', '=', c.id)
      .execute();
  },
  async deleteCompany(partnerId, id) {
    await db.deleteFrom('psa_companies').where('partner_id', '=', partnerId).where('id', '=', id).execute();
  },
  async updateProduct(p) {
    await db
      .updateTable('psa_products')
      .set({ name: p.name, unit_price_micros: p.unitPriceMicros, unit_cost_micros: p.unitCostMicros })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', p.id)
      .execute();
  },
  async deleteProduct(partnerId, id) {
    await db.deleteFrom('psa_products').where('partner_id', '=', partnerId).where('id', '=', id).execute();
  },
  async insertCompanies(companies) {
    for (let i = 0; i < companies.length; i += INSERT_CHUNK_ROWS) {
      await db
        .insertInto('psa_companies')
        .values(companies.slice(i, i + INSERT_CHUNK_ROWS).map(companyRow))
        .execute();
    }
  },
  async insertProducts(products) {
    for (let i = 0; i < products.length; i += INSERT_CHUNK_ROWS) {
      await db
        .insertInto('psa_products')
        .values(products.slice(i, i + INSERT_CHUNK_ROWS).map(productRow))
        .execute();
    }
  },
  async countMappingsTo(kind, targetId) {
    const r = await db
      .selectFrom('mappings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', kind)
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  },
  async findCompanyByName(partnerId, name) {
    const r = await db
      .selectFrom('psa_companies')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('source', '=', 'tally')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .orderBy('id')
      .executeTakeFirst();
    return r && toCompany(r);
  },
  async findProductByName(partnerId, name) {
    const r = await db
      .selectFrom('psa_products')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('source', '=', 'tally')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .orderBy('id')
      .executeTakeFirst();
    return r && toProduct(r);
  },
});
