/**
 * The fields Tally reads of HaloPSA records (psa-apis.md §3; schema names from Halo's swagger).
 * Halo answers snake_case and marks "none" with sentinels: -1 for ids, 1899-12-30T00:00:00 for dates.
 */

/** Halo's "no date". */
export const HALO_NO_DATE = '1899-12-30T00:00:00';

/** What the token endpoint answers. */
export interface HaloToken {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

/** A paged list: `record_count` is the total, whatever the page. */
export type HaloPage<K extends string, T> = { record_count?: number } & { [key in K]?: T[] };

/** Schema `Area`: a customer. */
export interface HaloClientRecord {
  id: number;
  name: string;
  inactive?: boolean;
  toplevel_id?: number;
}

/** Schema `Item`: a product. */
export interface HaloItem {
  id: number;
  name: string;
  description?: string;
  internalreference?: string;
  baseprice?: number;
  costprice?: number;
  isrecurringitem?: boolean;
  recurringprice?: number | null;
  recurringcost?: number | null;
}

/**
 * Schema `InvoiceDetail`: one line of a recurring invoice. Only the fields Tally reads are named; a
 * write sends every line back with all the fields Halo gave it.
 */
export interface HaloLine {
  id: number;
  ihid: number;
  _itemid: number;
  item_code?: string;
  item_shortdescription?: string;
  qty_order: number;
  unit_price?: number;
  unit_cost?: number;
  isinactive?: boolean;
  startdate?: string;
  enddate?: string;
  /** 0: the quantity is typed in; other values: Halo counts it (users, assets, licences). */
  recurring_invoice_quantity_type?: number;
  [field: string]: unknown;
}

/** A line Tally adds: no id yet, Halo gives one. */
export type HaloNewLine = Omit<HaloLine, 'id'>;

/** Schema `InvoiceHeader` of a recurring invoice. */
export interface HaloInvoice {
  id: number;
  client_id: number;
  client_name?: string;
  reference?: string;
  notes_1?: string;
  disabled?: boolean;
  lines?: HaloLine[];
  [field: string]: unknown;
}
