import { headerNames } from '../../../core/psa/import/fields.js';
import type { ImportKind } from '../api.js';

export interface ImportField {
  field: string;
  label: string;
  required: boolean;
}

/** The fields each import understands (docs/partner-api.md), and what a person calls them. */
export const IMPORT_KINDS: Record<ImportKind, { label: string; fields: ImportField[] }> = {
  companies: { label: 'Companies', fields: [{ field: 'name', label: 'Company name', required: true }] },
  products: {
    label: 'Products',
    fields: [
      { field: 'name', label: 'Product name', required: true },
      { field: 'unitPrice', label: 'Unit price', required: false },
      { field: 'unitCost', label: 'Unit cost', required: false },
    ],
  },
  'agreement-lines': {
    label: 'Agreement lines',
    fields: [
      { field: 'company', label: 'Company name', required: true },
      { field: 'product', label: 'Product name', required: true },
      { field: 'quantity', label: 'Quantity', required: true },
      { field: 'agreement', label: 'Agreement name', required: false },
      { field: 'active', label: 'Active', required: false },
    ],
  },
};

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A first guess at the column of each field: the header that reads like the field, its label or a
 * common synonym (Qty, Qty., Units → quantity), as the server matches them.
 */
export function guessColumns(kind: ImportKind, headers: string[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const { field, label } of IMPORT_KINDS[kind].fields) {
    const header =
      headers.find((h) => normalize(h) === normalize(label)) ?? headers.find((h) => headerNames(h, field));
    if (header) columns[field] = header;
  }
  return columns;
}
