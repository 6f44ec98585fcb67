import type { Repo } from '../../ports.js';
import { fromMicros } from '../money.js';
import type { ImportKind } from './fields.js';
import type { CompanyRow, ImportRow, LineRow, ProductRow } from './rows.js';

/** What one valid row would do to the ledger. */
export type Change = 'created' | 'changed' | 'unchanged' | 'duplicate';

export interface ChangeExample {
  line: number;
  change: Change;
  /** The record the row names: a company or product name, or "company · agreement · product". */
  record: string;
  /** For changed rows: the values now and after the import. */
  from?: Record<string, unknown>;
  to?: Record<string, unknown>;
  /** For duplicates: the earlier line of the file that names the same record (the later row wins). */
  sameAsLine?: number;
}

export interface ImportChanges {
  created: number;
  changed: number;
  unchanged: number;
  /** Rows naming a record an earlier row of the file already names. */
  duplicates: number;
  /** The changed and duplicate rows, first ones of the file, for the preview to show. */
  examples: ChangeExample[];
}

const EXAMPLES = 50;

interface Known {
  key: string;
  record: string;
  now?: Record<string, unknown>;
  next: Record<string, unknown>;
}

/**
 * Works out, row by row as a preview streams, what an import would create or change, matching
 * records by name as the import does. Memory grows with the distinct records of the file, not its
 * bytes.
 */
export async function changeTracker(repo: Repo, partnerId: string, kind: ImportKind) {
  const names = new Map<string, string>();
  const current = new Map<string, Record<string, unknown>>();
  if (kind === 'companies') {
    for (const c of (await repo.listCompanies(partnerId, {})).rows) current.set(c.name.toLowerCase(), {});
  } else if (kind === 'products') {
    for (const p of await repo.listProducts(partnerId)) {
      current.set(p.name.toLowerCase(), {
        unitPrice: fromMicros(p.unitPriceMicros),
        unitCost: fromMicros(p.unitCostMicros),
      });
    }
  } else {
    const [companies, products, agreements, lines] = await Promise.all([
      repo.listCompanies(partnerId, {}),
      repo.listProducts(partnerId),
      repo.listAgreements(partnerId, {}),
      repo.listAgreementLines(partnerId, {}),
    ]);
    for (const c of companies.rows) names.set(c.id, c.name);
    for (const p of products) names.set(p.id, p.name);
    const agreementOf = new Map(agreements.map((a) => [a.id, a]));
    for (const line of lines) {
      const agreement = agreementOf.get(line.agreementId);
      if (!agreement) continue;
      const key = `${line.companyId}\u0000${agreement.name.toLowerCase()}\u0000${line.productId}`;
      // The import updates the first line of an agreement and product, as here.
      if (!current.has(key)) current.set(key, { quantity: line.quantity, active: line.active });
    }
  }

  const describe = (row: ImportRow): Known => {
    if (kind === 'companies') {
      const { name } = row as CompanyRow;
      return { key: name.toLowerCase(), record: name, now: current.get(name.toLowerCase()), next: {} };
    }
    if (kind === 'products') {
      const p = row as ProductRow;
      return {
        key: p.name.toLowerCase(),
        record: p.name,
        now: current.get(p.name.toLowerCase()),
        next: { unitPrice: fromMicros(p.unitPriceMicros), unitCost: fromMicros(p.unitCostMicros) },
      };
    }
    const l = row as LineRow;
    const key = `${l.companyId}\u0000${l.agreement.toLowerCase()}\u0000${l.productId}`;
    return {
      key,
      record: `${names.get(l.companyId) ?? l.companyId} · ${l.agreement} · ${names.get(l.productId) ?? l.productId}`,
      now: current.get(key),
      next: { quantity: l.quantity, active: l.active },
    };
  };

  const seen = new Map<string, number>();
  const changes: ImportChanges = { created: 0, changed: 0, unchanged: 0, duplicates: 0, examples: [] };
  const example = (e: ChangeExample) => {
    if (changes.examples.length < EXAMPLES) changes.examples.push(e);
  };
  return {
    changes,
    see(row: ImportRow, line: number): void {
      const known = describe(row);
      const earlier = seen.get(known.key);
      if (earlier !== undefined) {
        changes.duplicates += 1;
        example({ line, change: 'duplicate', record: known.record, sameAsLine: earlier });
        return;
      }
      seen.set(known.key, line);
      if (!known.now) {
        changes.created += 1;
        return;
      }
      // A company row changes nothing about a company that exists.
      const differs = Object.keys(known.next).some((k) => known.now?.[k] !== known.next[k]);
      if (!differs) {
        changes.unchanged += 1;
        return;
      }
      changes.changed += 1;
      example({ line, change: 'changed', record: known.record, from: known.now, to: known.next });
    },
  };
}
