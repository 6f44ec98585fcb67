import type { Agreement, AgreementLine, Company, Product } from '../../model.js';

/** One chunk of an import's rows, staged out of sight of every reader until the swap. */
export interface StagedRows {
  companies?: Company[];
  /** New products, and new prices of existing ones (`replaces`). */
  products?: { product: Product; replaces: boolean }[];
  agreements?: Agreement[];
  /** New lines, and new quantities of existing ones (`replaces`). */
  lines?: { line: AgreementLine; replaces: boolean }[];
}

/** How many rows the swap made real. */
export interface SwapCounts {
  created: number;
  updated: number;
}

/**
 * Store methods of a staged import: the rows go to staging tables in short transactions (so a large
 * file never holds the writer for long), and one swap moves them into the ledger all together.
 */
export interface ImportStageStore {
  beginImportBatch(batch: { id: string; partnerId: string; startedAtMs: number }): Promise<void>;
  stageImportRows(batchId: string, rows: StagedRows): Promise<void>;
  /**
   * Moves the batch's rows into the ledger with a few set-based statements and forgets the batch;
   * run it in a transaction. A company, product or agreement whose name the ledger took meanwhile is
   * not created twice; a row whose company, agreement or product went meanwhile fails the swap.
   */
  swapImportBatch(batchId: string): Promise<SwapCounts>;
  dropImportBatch(batchId: string): Promise<void>;
  /** Forgets batches begun before `beforeMs` (their imports died with their process). */
  dropImportBatchesBefore(beforeMs: number): Promise<number>;
}
