import { TallyError } from '../../errors.js';
import { MAX_NAME_LENGTH } from '../../limits/input-limits.js';
import { fromMicros, toMicros } from '../money.js';
import { requireQuantity } from '../quantity.js';
import { TALLY_AGREEMENT_NAME } from '../set-billed-quantity.js';
import type { ColumnIndex, ImportKind } from './fields.js';

export interface CompanyRow {
  name: string;
}

export interface ProductRow {
  name: string;
  unitPriceMicros: number;
  unitCostMicros: number;
}

export interface LineRow {
  companyId: string;
  productId: string;
  agreement: string;
  quantity: number;
  active: boolean;
}

export type ImportRow = CompanyRow | ProductRow | LineRow;

/** Lower-cased name → id, or null when two records share the name. */
export type NameIndex = Map<string, string | null>;

/** The partner's companies and products by name, for agreement-line rows. */
export interface Lookups {
  companies: NameIndex;
  products: NameIndex;
}

/** A row read into its import shape, with how the preview shows it; or why it cannot be. */
export type RowOutcome = { row: ImportRow; shown: Record<string, unknown> } | { reason: string };

const NAME_MAX = MAX_NAME_LENGTH;
/** 1,234 or 1,234.5 (thousands grouped by commas); also 1 234 with a space or a no-break space. */
const GROUPED = /^\d{1,3}(?:([, \u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d+)?$/;

/** A number as spreadsheets write it, thousands separators removed: "1,250" → "1250". */
export const withoutThousands = (text: string): string =>
  GROUPED.test(text) ? text.replace(/[, \u00a0\u202f]/g, '') : text;
const QUANTITY = /^\d+(?:\.\d+)?$/;
const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  active: true,
  false: false,
  no: false,
  n: false,
  '0': false,
  inactive: false,
};

/** Collects every problem of a row, so one preview shows all there is to fix. */
class Problems {
  readonly reasons: string[] = [];
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof TallyError)) throw error;
      this.reasons.push(error.message);
      return undefined;
    }
  }
  add(reason: string): void {
    this.reasons.push(reason);
  }
}

const fail = (reason: string): never => {
  throw new TallyError('bad_request', reason);
};

const name = (value: string, field: string): string => {
  if (value === '') fail(`${field} is empty`);
  if (value.length > NAME_MAX) fail(`${field} is longer than ${NAME_MAX} characters`);
  return value;
};

const lookup = (index: NameIndex, value: string, what: string): string => {
  const id = index.get(value.toLowerCase());
  if (id === undefined)
    fail(`no ${what} named "${value}" (import ${what === 'company' ? 'companies' : 'products'} first)`);
  if (id === null) fail(`${what} name "${value}" matches more than one ${what}`);
  return id as string;
};

/** Reads one record of the given kind. `value(field)` is the trimmed cell, '' when absent. */
export function readRow(kind: ImportKind, value: (field: string) => string, lookups: Lookups): RowOutcome {
  const problems = new Problems();
  if (kind === 'companies') {
    const companyName = problems.check(() => name(value('name'), 'name'));
    return companyName === undefined
      ? { reason: problems.reasons.join('; ') }
      : { row: { name: companyName }, shown: { name: companyName } };
  }
  if (kind === 'products') {
    const productName = problems.check(() => name(value('name'), 'name'));
    const money = (field: string) =>
      problems.check(() => (value(field) === '' ? 0 : toMicros(withoutThousands(value(field)), field)));
    const unitPriceMicros = money('unitPrice');
    const unitCostMicros = money('unitCost');
    if (productName === undefined || unitPriceMicros === undefined || unitCostMicros === undefined) {
      return { reason: problems.reasons.join('; ') };
    }
    return {
      row: { name: productName, unitPriceMicros, unitCostMicros },
      shown: {
        name: productName,
        unitPrice: fromMicros(unitPriceMicros),
        unitCost: fromMicros(unitCostMicros),
      },
    };
  }
  const companyId = problems.check(() =>
    lookup(lookups.companies, name(value('company'), 'company'), 'company'),
  );
  const productId = problems.check(() =>
    lookup(lookups.products, name(value('product'), 'product'), 'product'),
  );
  const quantityText = withoutThousands(value('quantity'));
  if (!QUANTITY.test(quantityText)) {
    problems.add(
      quantityText === ''
        ? 'quantity is empty'
        : `quantity must be a number of at least 0; got "${quantityText}"`,
    );
  } else problems.check(() => requireQuantity(Number(quantityText)));
  const agreement = problems.check(() =>
    value('agreement') === '' ? TALLY_AGREEMENT_NAME : name(value('agreement'), 'agreement'),
  );
  const activeText = value('active').toLowerCase();
  const active = activeText === '' ? true : BOOLEANS[activeText];
  if (active === undefined) problems.add(`active must be true or false; got "${value('active')}"`);
  if (
    problems.reasons.length > 0 ||
    companyId === undefined ||
    productId === undefined ||
    agreement === undefined ||
    active === undefined
  ) {
    return { reason: problems.reasons.join('; ') };
  }
  const quantity = Number(quantityText);
  return {
    row: { companyId, productId, agreement, quantity, active },
    shown: { company: value('company'), product: value('product'), agreement, quantity, active },
  };
}

/** A value per field of a record, trimmed; fields the file has no column for read as ''. */
export const cells =
  (fields: string[], columns: ColumnIndex) =>
  (field: string): string => {
    const at = columns.get(field);
    return at === undefined ? '' : (fields[at] ?? '').trim();
  };
