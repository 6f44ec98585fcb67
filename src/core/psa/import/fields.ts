import { badRequest } from '../../errors.js';

export const IMPORT_KINDS = ['companies', 'products', 'agreement-lines'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The fields each kind of import reads; a column maps to one field. */
export const IMPORT_FIELDS: Record<ImportKind, { field: string; required: boolean }[]> = {
  companies: [{ field: 'name', required: true }],
  products: [
    { field: 'name', required: true },
    { field: 'unitPrice', required: false },
    { field: 'unitCost', required: false },
  ],
  'agreement-lines': [
    { field: 'company', required: true },
    { field: 'product', required: true },
    { field: 'quantity', required: true },
    { field: 'agreement', required: false },
    { field: 'active', required: false },
  ],
};

/** Field → index of its column in a record. */
export type ColumnIndex = Map<string, number>;

/** Refuses `column.<field>` mappings for fields the kind does not have, before any byte is read. */
export function checkColumnMap(kind: ImportKind, columnMap: Record<string, string>): void {
  const fields = IMPORT_FIELDS[kind].map((f) => f.field);
  const unknown = Object.keys(columnMap).find((field) => !fields.includes(field));
  if (unknown !== undefined) {
    throw badRequest(`column.${unknown} is not a field of ${kind}; the fields are: ${fields.join(', ')}`);
  }
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What spreadsheets commonly call each field besides its own name; compared without case, spaces
 * or punctuation, so "Qty." and "Unit Price" match.
 */
export const FIELD_SYNONYMS: Record<string, string[]> = {
  quantity: ['qty', 'units', 'seats', 'licenses', 'licences', 'count'],
  company: ['company name', 'customer', 'client', 'account'],
  product: ['product name', 'item', 'service', 'sku'],
  name: [],
  unitPrice: ['unit price', 'price', 'rate'],
  unitCost: ['unit cost', 'cost'],
  agreement: ['agreement name', 'contract'],
  active: ['status', 'enabled'],
};

const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Whether a header names the field: its own name or one of its synonyms, ignoring case and punctuation. */
export const headerNames = (header: string, field: string): boolean =>
  [field, ...(FIELD_SYNONYMS[field] ?? [])].some((name) => squash(name) === squash(header));

/**
 * Finds each field's column in the header row: the header named by `column.<field>`, or else the
 * header named like the field or one of its synonyms (Qty, Units → quantity), ignoring case and
 * punctuation.
 */
export function resolveColumns(
  kind: ImportKind,
  header: string[],
  columnMap: Record<string, string>,
): ColumnIndex {
  const index: ColumnIndex = new Map();
  for (const { field, required } of IMPORT_FIELDS[kind]) {
    const wanted = columnMap[field] ?? field;
    const at =
      columnMap[field] !== undefined
        ? header.findIndex((h) => same(h, wanted))
        : header.findIndex((h) => headerNames(h, field));
    if (at >= 0) {
      index.set(field, at);
    } else if (columnMap[field] !== undefined) {
      throw badRequest(
        `column.${field} names "${wanted}", which is not a column of the file; its columns are: ${header.join(', ')}`,
      );
    } else if (required) {
      throw badRequest(
        `The file has no "${field}" column; name the column that holds it with column.${field}=<header>`,
      );
    }
  }
  return index;
}
