import type { CoreContext } from '../../context.js';
import { IMPORT_CHUNK_ROWS } from '../../limits/input-limits.js';
import type { AgreementLine } from '../../model.js';
import type { Repo } from '../../ports.js';
import type { ImportKind } from './fields.js';
import type { CompanyRow, ImportRow, LineRow, ProductRow } from './rows.js';
import type { StagedRows, SwapCounts } from './stage-store.js';

export interface ImportWrite {
  partnerId: string;
  kind: ImportKind;
  rows: ImportRow[];
  nowMs: number;
}

/** A batch whose process died is swept after this long (an import never takes an hour to stage). */
const STALE_BATCH_MS = 60 * 60_000;

/** Lets other requests run: a large import is written in steps, not in one stretch of the event loop. */
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Keeps the last row per key: a file that names a thing twice means its later line. */
const lastByKey = <T>(rows: T[], key: (row: T) => string): Map<string, T> =>
  new Map(rows.map((r) => [key(r), r]));

/**
 * Collects planned rows and stages them a chunk at a time, each chunk in its own short transaction
 * followed by a yield: the writer is never held for long, and nothing staged is visible yet.
 */
class Stager {
  private pending: Required<StagedRows> = { companies: [], products: [], agreements: [], lines: [] };
  private size = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly batchId: string,
  ) {}

  async add(rows: StagedRows): Promise<void> {
    for (const key of ['companies', 'products', 'agreements', 'lines'] as const) {
      const more = rows[key] ?? [];
      (this.pending[key] as unknown[]).push(...more);
      this.size += more.length;
    }
    if (this.size >= IMPORT_CHUNK_ROWS) await this.flush();
    else if (this.size % 256 === 0) await yieldToOthers();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const rows = this.pending;
    this.pending = { companies: [], products: [], agreements: [], lines: [] };
    this.size = 0;
    await this.ctx.store.transaction((tx) => tx.stageImportRows(this.batchId, rows));
    await yieldToOthers();
  }
}

/** New companies by name; a name the ledger already has (in any case) is left as it is. */
async function planCompanies(
  repo: Repo,
  stager: Stager,
  w: ImportWrite,
  rows: CompanyRow[],
  newId: () => string,
) {
  const existing = new Set((await repo.listCompanies(w.partnerId, {})).rows.map((c) => c.name.toLowerCase()));
  for (const [key, row] of lastByKey(rows, (r) => r.name.toLowerCase())) {
    if (existing.has(key)) continue;
    await stager.add({
      companies: [{ id: newId(), partnerId: w.partnerId, name: row.name, createdAtMs: w.nowMs }],
    });
  }
}

/** New products by name; an existing one takes the file's price and cost. */
async function planProducts(
  repo: Repo,
  stager: Stager,
  w: ImportWrite,
  rows: ProductRow[],
  newId: () => string,
) {
  const existing = new Map((await repo.listProducts(w.partnerId)).map((p) => [p.name.toLowerCase(), p]));
  for (const [key, row] of lastByKey(rows, (r) => r.name.toLowerCase())) {
    const found = existing.get(key);
    if (!found) {
      await stager.add({
        products: [
          { product: { id: newId(), partnerId: w.partnerId, ...row, createdAtMs: w.nowMs }, replaces: false },
        ],
      });
    } else if (found.unitPriceMicros !== row.unitPriceMicros || found.unitCostMicros !== row.unitCostMicros) {
      await stager.add({
        products: [
          {
            product: { ...found, unitPriceMicros: row.unitPriceMicros, unitCostMicros: row.unitCostMicros },
            replaces: true,
          },
        ],
      });
    }
  }
}

/**
 * Agreement lines by (company, agreement name, product): the agreement is created for the company
 * when it has none of that name; an existing line of that agreement and product takes the file's
 * quantity and active flag, otherwise a new line is added.
 */
async function planLines(repo: Repo, stager: Stager, w: ImportWrite, rows: LineRow[], newId: () => string) {
  const agreementKey = (companyId: string, name: string) => `${companyId}\u0000${name.toLowerCase()}`;
  const agreements = new Map(
    (await repo.listAgreements(w.partnerId, {})).map((a) => [agreementKey(a.companyId, a.name), a.id]),
  );
  const lineKey = (agreementId: string, productId: string) => `${agreementId}\u0000${productId}`;
  const lines = new Map<string, AgreementLine>();
  for (const line of await repo.listAgreementLines(w.partnerId, {})) {
    const key = lineKey(line.agreementId, line.productId);
    if (!lines.has(key)) lines.set(key, line);
  }
  for (const row of lastByKey(
    rows,
    (r) => `${agreementKey(r.companyId, r.agreement)}\u0000${r.productId}`,
  ).values()) {
    let agreementId = agreements.get(agreementKey(row.companyId, row.agreement));
    if (agreementId === undefined) {
      agreementId = newId();
      agreements.set(agreementKey(row.companyId, row.agreement), agreementId);
      await stager.add({
        agreements: [
          {
            id: agreementId,
            partnerId: w.partnerId,
            companyId: row.companyId,
            name: row.agreement,
            createdAtMs: w.nowMs,
          },
        ],
      });
    }
    const found = lines.get(lineKey(agreementId, row.productId));
    if (!found) {
      await stager.add({
        lines: [
          {
            line: {
              id: newId(),
              partnerId: w.partnerId,
              agreementId,
              companyId: row.companyId,
              productId: row.productId,
              quantity: row.quantity,
              active: row.active,
              createdAtMs: w.nowMs,
              updatedAtMs: w.nowMs,
            },
            replaces: false,
          },
        ],
      });
    } else if (found.quantity !== row.quantity || found.active !== row.active) {
      await stager.add({
        lines: [
          {
            line: { ...found, quantity: row.quantity, active: row.active, updatedAtMs: w.nowMs },
            replaces: true,
          },
        ],
      });
    }
  }
}

/**
 * Writes validated import rows all or nothing without holding the database: they are staged out of
 * sight in short transactions, then one transaction swaps them into the ledger with a few set-based
 * statements. A batch left by a process that died is swept by a later import. When the ledger
 * changed under the staged rows in a way the swap cannot take (an agreement or product deleted),
 * nothing is imported and the answer is 409.
 */
export async function writeImport(ctx: CoreContext, w: ImportWrite): Promise<SwapCounts> {
  await ctx.store.dropImportBatchesBefore(w.nowMs - STALE_BATCH_MS);
  const batchId = ctx.ids.objectId();
  await ctx.store.beginImportBatch({ id: batchId, partnerId: w.partnerId, startedAtMs: w.nowMs });
  try {
    const stager = new Stager(ctx, batchId);
    const newId = () => ctx.ids.objectId();
    if (w.kind === 'companies') await planCompanies(ctx.store, stager, w, w.rows as CompanyRow[], newId);
    else if (w.kind === 'products') await planProducts(ctx.store, stager, w, w.rows as ProductRow[], newId);
    else await planLines(ctx.store, stager, w, w.rows as LineRow[], newId);
    await stager.flush();
    return await ctx.store.transaction((tx) => tx.swapImportBatch(batchId));
  } catch (error) {
    // What was staged is dropped; a failure to drop it leaves it to the sweep of a later import.
    await ctx.store.dropImportBatch(batchId).catch(() => undefined);
    throw error;
  }
}
