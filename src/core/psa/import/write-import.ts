import { chunks } from '../../chunks.js';
import type { IdGenerator } from '../../ids.js';
import { IMPORT_CHUNK_ROWS } from '../../limits/input-limits.js';
import type { AgreementLine, Company, Product } from '../../model.js';
import type { Repo } from '../../ports.js';
import type { ImportKind } from './fields.js';
import type { CompanyRow, ImportRow, LineRow, ProductRow } from './rows.js';

export interface ImportWrite {
  partnerId: string;
  kind: ImportKind;
  rows: ImportRow[];
  nowMs: number;
}

interface Written {
  created: number;
  updated: number;
}

/** Lets other requests run: a large import is written in steps, not in one stretch of the event loop. */
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Inserts in parts of IMPORT_CHUNK_ROWS, yielding after each. */
async function insertInChunks<T>(rows: T[], insert: (part: T[]) => Promise<void>): Promise<void> {
  for (const part of chunks(rows, IMPORT_CHUNK_ROWS)) {
    await insert(part);
    await yieldToOthers();
  }
}

/** Counts rows handled and yields after every IMPORT_CHUNK_ROWS of them. */
const stepper = () => {
  let handled = 0;
  return async (): Promise<void> => {
    handled += 1;
    if (handled % IMPORT_CHUNK_ROWS === 0) await yieldToOthers();
  };
};

/** Keeps the last row per key: a file that names a thing twice means its later line. */
const lastByKey = <T>(rows: T[], key: (row: T) => string): Map<string, T> =>
  new Map(rows.map((r) => [key(r), r]));

/** New companies by name; a name the ledger already has (in any case) is left as it is. */
async function writeCompanies(
  tx: Repo,
  ids: IdGenerator,
  w: ImportWrite,
  rows: CompanyRow[],
): Promise<Written> {
  const existing = new Set((await tx.listCompanies(w.partnerId, {})).rows.map((c) => c.name.toLowerCase()));
  const created: Company[] = [];
  const step = stepper();
  for (const [key, row] of lastByKey(rows, (r) => r.name.toLowerCase())) {
    await step();
    if (existing.has(key)) continue;
    created.push({ id: ids.objectId(), partnerId: w.partnerId, name: row.name, createdAtMs: w.nowMs });
  }
  await insertInChunks(created, (part) => tx.insertCompanies(part));
  return { created: created.length, updated: 0 };
}

/** New products by name; an existing one takes the file's price and cost. */
async function writeProducts(
  tx: Repo,
  ids: IdGenerator,
  w: ImportWrite,
  rows: ProductRow[],
): Promise<Written> {
  const existing = new Map((await tx.listProducts(w.partnerId)).map((p) => [p.name.toLowerCase(), p]));
  const created: Product[] = [];
  let updated = 0;
  const step = stepper();
  for (const [key, row] of lastByKey(rows, (r) => r.name.toLowerCase())) {
    await step();
    const found = existing.get(key);
    if (!found) {
      created.push({ id: ids.objectId(), partnerId: w.partnerId, ...row, createdAtMs: w.nowMs });
    } else if (found.unitPriceMicros !== row.unitPriceMicros || found.unitCostMicros !== row.unitCostMicros) {
      await tx.updateProduct({
        ...found,
        unitPriceMicros: row.unitPriceMicros,
        unitCostMicros: row.unitCostMicros,
      });
      updated += 1;
    }
  }
  await insertInChunks(created, (part) => tx.insertProducts(part));
  return { created: created.length, updated };
}

/**
 * Agreement lines by (company, agreement name, product): the agreement is created for the company
 * when it has none of that name; an existing line of that agreement and product takes the file's
 * quantity and active flag, otherwise a new line is added.
 */
async function writeLines(tx: Repo, ids: IdGenerator, w: ImportWrite, rows: LineRow[]): Promise<Written> {
  const agreementKey = (companyId: string, name: string) => `${companyId}\u0000${name.toLowerCase()}`;
  const agreements = new Map(
    (await tx.listAgreements(w.partnerId, {})).map((a) => [agreementKey(a.companyId, a.name), a.id]),
  );
  const lineKey = (agreementId: string, productId: string) => `${agreementId}\u0000${productId}`;
  const lines = new Map<string, AgreementLine>();
  for (const line of await tx.listAgreementLines(w.partnerId, {})) {
    const key = lineKey(line.agreementId, line.productId);
    if (!lines.has(key)) lines.set(key, line);
  }
  const created: AgreementLine[] = [];
  let updated = 0;
  const step = stepper();
  for (const row of lastByKey(
    rows,
    (r) => `${agreementKey(r.companyId, r.agreement)}\u0000${r.productId}`,
  ).values()) {
    await step();
    let agreementId = agreements.get(agreementKey(row.companyId, row.agreement));
    if (agreementId === undefined) {
      agreementId = ids.objectId();
      await tx.insertAgreement({
        id: agreementId,
        partnerId: w.partnerId,
        companyId: row.companyId,
        name: row.agreement,
        createdAtMs: w.nowMs,
      });
      agreements.set(agreementKey(row.companyId, row.agreement), agreementId);
    }
    const found = lines.get(lineKey(agreementId, row.productId));
    if (!found) {
      created.push({
        id: ids.objectId(),
        partnerId: w.partnerId,
        agreementId,
        companyId: row.companyId,
        productId: row.productId,
        quantity: row.quantity,
        active: row.active,
        createdAtMs: w.nowMs,
        updatedAtMs: w.nowMs,
      });
    } else if (found.quantity !== row.quantity || found.active !== row.active) {
      await tx.updateAgreementLine({
        ...found,
        quantity: row.quantity,
        active: row.active,
        updatedAtMs: w.nowMs,
      });
      updated += 1;
    }
  }
  await insertInChunks(created, (part) => tx.insertAgreementLines(part));
  return { created: created.length, updated };
}

/** Writes validated import rows; runs in the caller's transaction. */
export function writeImport(tx: Repo, ids: IdGenerator, w: ImportWrite): Promise<Written> {
  if (w.kind === 'companies') return writeCompanies(tx, ids, w, w.rows as CompanyRow[]);
  if (w.kind === 'products') return writeProducts(tx, ids, w, w.rows as ProductRow[]);
  return writeLines(tx, ids, w, w.rows as LineRow[]);
}
