import { sql } from 'kysely';
import { conflict } from '../../core/errors.js';
import type { ImportStageStore, StagedRows, SwapCounts } from '../../core/psa/import/stage-store.js';
import type { Db } from '../schema.js';

/** Rows per INSERT statement: well under SQLite's 32,766 bound variables at 11 columns a row. */
const STAGE_CHUNK_ROWS = 1_000;

async function insertChunked<T>(rows: T[], insert: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_CHUNK_ROWS) await insert(rows.slice(i, i + STAGE_CHUNK_ROWS));
}

const affected = (result: { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint } | undefined) =>
  Number(result?.numInsertedOrUpdatedRows ?? result?.numUpdatedRows ?? 0);

export const importStageRepo = (db: Db): ImportStageStore => ({
  async beginImportBatch(batch) {
    await db
      .insertInto('import_batches')
      .values({ id: batch.id, partner_id: batch.partnerId, started_at_ms: batch.startedAtMs })
      .execute();
  },

  async stageImportRows(batchId, rows: StagedRows) {
    await insertChunked(rows.companies ?? [], (part) =>
      db
        .insertInto('import_stage_companies')
        .values(
          part.map((c) => ({
            batch_id: batchId,
            id: c.id,
            partner_id: c.partnerId,
            name: c.name,
            created_at_ms: c.createdAtMs,
          })),
        )
        .execute(),
    );
    await insertChunked(rows.products ?? [], (part) =>
      db
        .insertInto('import_stage_products')
        .values(
          part.map(({ product: p, replaces }) => ({
            batch_id: batchId,
            id: p.id,
            partner_id: p.partnerId,
            name: p.name,
            unit_price_micros: p.unitPriceMicros,
            unit_cost_micros: p.unitCostMicros,
            created_at_ms: p.createdAtMs,
            replaces: replaces ? 1 : 0,
          })),
        )
        .execute(),
    );
    await insertChunked(rows.agreements ?? [], (part) =>
      db
        .insertInto('import_stage_agreements')
        .values(
          part.map((a) => ({
            batch_id: batchId,
            id: a.id,
            partner_id: a.partnerId,
            company_id: a.companyId,
            name: a.name,
            created_at_ms: a.createdAtMs,
          })),
        )
        .execute(),
    );
    await insertChunked(rows.lines ?? [], (part) =>
      db
        .insertInto('import_stage_lines')
        .values(
          part.map(({ line: l, replaces }) => ({
            batch_id: batchId,
            id: l.id,
            partner_id: l.partnerId,
            agreement_id: l.agreementId,
            company_id: l.companyId,
            product_id: l.productId,
            quantity: l.quantity,
            active: l.active ? 1 : 0,
            created_at_ms: l.createdAtMs,
            updated_at_ms: l.updatedAtMs,
            replaces: replaces ? 1 : 0,
          })),
        )
        .execute(),
    );
  },

  async swapImportBatch(batchId) {
    try {
      return await swap(db, batchId);
    } catch (error) {
      // A staged row whose company, agreement or product was deleted meanwhile (SQLite's words, or
      // PostgreSQL's foreign_key_violation).
      const code = (error as { code?: string }).code;
      if (code === '23503' || /FOREIGN KEY constraint failed/.test((error as Error).message)) {
        throw ledgerChanged();
      }
      throw error;
    }
  },

  dropImportBatch: (batchId) => dropBatch(db, batchId),

  async dropImportBatchesBefore(beforeMs) {
    const stale = await db
      .selectFrom('import_batches')
      .select('id')
      .where('started_at_ms', '<', beforeMs)
      .execute();
    for (const { id } of stale) await dropBatch(db, id);
    return stale.length;
  },
});

async function dropBatch(db: Db, batchId: string): Promise<void> {
  for (const table of [
    'import_stage_companies',
    'import_stage_products',
    'import_stage_agreements',
    'import_stage_lines',
  ] as const) {
    await db.deleteFrom(table).where('batch_id', '=', batchId).execute();
  }
  await db.deleteFrom('import_batches').where('id', '=', batchId).execute();
}

/** The swap's statements; the caller runs them in one transaction. */
async function swap(db: Db, batchId: string): Promise<SwapCounts> {
  // New companies and products, unless the ledger took the name since the rows were planned.
  const companies = await db
    .insertInto('psa_companies')
    .columns(['id', 'partner_id', 'name', 'created_at_ms'])
    .expression(
      db
        .selectFrom('import_stage_companies as s')
        .select(['s.id', 's.partner_id', 's.name', 's.created_at_ms'])
        .where('s.batch_id', '=', batchId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('psa_companies as c')
                .select('c.id')
                .whereRef('c.partner_id', '=', 's.partner_id')
                .where(sql<string>`lower(c.name)`, '=', sql<string>`lower(s.name)`),
            ),
          ),
        ),
    )
    .executeTakeFirst();
  const products = await db
    .insertInto('psa_products')
    .columns(['id', 'partner_id', 'name', 'unit_price_micros', 'unit_cost_micros', 'created_at_ms'])
    .expression(
      db
        .selectFrom('import_stage_products as s')
        .select([
          's.id',
          's.partner_id',
          's.name',
          's.unit_price_micros',
          's.unit_cost_micros',
          's.created_at_ms',
        ])
        .where('s.batch_id', '=', batchId)
        .where('s.replaces', '=', 0)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('psa_products as p')
                .select('p.id')
                .whereRef('p.partner_id', '=', 's.partner_id')
                .where(sql<string>`lower(p.name)`, '=', sql<string>`lower(s.name)`),
            ),
          ),
        ),
    )
    .executeTakeFirst();
  const repriced = await db
    .updateTable('psa_products')
    .from('import_stage_products as s')
    .set((eb) => ({
      unit_price_micros: eb.ref('s.unit_price_micros'),
      unit_cost_micros: eb.ref('s.unit_cost_micros'),
    }))
    .whereRef('psa_products.id', '=', 's.id')
    .where('s.batch_id', '=', batchId)
    .where('s.replaces', '=', 1)
    .executeTakeFirst();
  await db
    .insertInto('psa_agreements')
    .columns(['id', 'partner_id', 'company_id', 'name', 'created_at_ms'])
    .expression(
      db
        .selectFrom('import_stage_agreements as s')
        .select(['s.id', 's.partner_id', 's.company_id', 's.name', 's.created_at_ms'])
        .where('s.batch_id', '=', batchId)
        // Another import may have made the company's agreement of that name meanwhile: then this
        // one's lines have no agreement, and the check below fails the swap.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('psa_agreements as a')
                .select('a.id')
                .whereRef('a.company_id', '=', 's.company_id')
                .where(sql<string>`lower(a.name)`, '=', sql<string>`lower(s.name)`),
            ),
          ),
        ),
    )
    .execute();
  // A line whose agreement, company or product went since it was planned fails the whole swap.
  const stagedLines = await db
    .selectFrom('import_stage_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batchId)
    .where('replaces', '=', 0)
    .executeTakeFirst();
  const lines = await db
    .insertInto('psa_agreement_lines')
    .columns([
      'id',
      'partner_id',
      'agreement_id',
      'company_id',
      'product_id',
      'quantity',
      'active',
      'created_at_ms',
      'updated_at_ms',
    ])
    .expression(
      db
        .selectFrom('import_stage_lines as s')
        .innerJoin('psa_agreements as a', 'a.id', 's.agreement_id')
        .innerJoin('psa_products as p', 'p.id', 's.product_id')
        .select([
          's.id',
          's.partner_id',
          's.agreement_id',
          's.company_id',
          's.product_id',
          's.quantity',
          's.active',
          's.created_at_ms',
          's.updated_at_ms',
        ])
        .where('s.batch_id', '=', batchId)
        .where('s.replaces', '=', 0),
    )
    .executeTakeFirst();
  if (affected(lines) !== Number(stagedLines?.n ?? 0)) {
    throw ledgerChanged();
  }
  const relined = await db
    .updateTable('psa_agreement_lines')
    .from('import_stage_lines as s')
    .set((eb) => ({
      quantity: eb.ref('s.quantity'),
      active: eb.ref('s.active'),
      updated_at_ms: eb.ref('s.updated_at_ms'),
    }))
    .whereRef('psa_agreement_lines.id', '=', 's.id')
    .where('s.batch_id', '=', batchId)
    .where('s.replaces', '=', 1)
    .executeTakeFirst();
  await dropBatch(db, batchId);
  return {
    created: affected(companies) + affected(products) + affected(lines),
    updated: affected(repriced) + affected(relined),
  };
}

const ledgerChanged = () =>
  conflict(
    'The ledger changed while the file was imported (a company, agreement or product it names was ' +
      'deleted, or another import made the same agreement); nothing was imported. Import the file again',
  );
