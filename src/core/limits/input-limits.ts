/**
 * The sizes one request, one file or one value may have. They keep one tenant's legal input from
 * breaking or stalling the service for everyone; schemas, the core and the CSV import all read them
 * from here, and the README and docs/partner-api.md state them.
 */

/**
 * The largest quantity anything may carry (a vendor's unit count, an agreement line, an adjusted
 * card). A trillion units × the largest price still sums exactly in 128-bit integer micros, and
 * every total stays a plain decimal (no exponent) when printed.
 */
export const MAX_QUANTITY = 1e12;
/** Quantities keep at most this many decimals (millionths), the precision of money. */
export const QUANTITY_DECIMALS = 6;

/** The longest id a vendor may choose (accounts, services, alerts); a path segment carries it. */
export const MAX_ID_LENGTH = 256;
/**
 * Path segments are measured before percent-decoding: a character may take up to 12 bytes there
 * (4 UTF-8 bytes, each written %XX), so the router accepts any id of MAX_ID_LENGTH characters.
 */
export const MAX_PATH_PARAM_LENGTH = MAX_ID_LENGTH * 12;

/** Names (vendors, services, accounts, companies, products) and descriptions. */
export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;

/** Items one bulk create or bulk update may carry; more is answered 413. */
export const MAX_ITEMS_PER_REQUEST = 10_000;

/** Rows a list route answers at most per page; `limit` chooses fewer. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Rows an import writes per transaction step before it lets other requests run. Small enough that
 * a step takes a few milliseconds, large enough that a million rows need few steps.
 */
export const IMPORT_CHUNK_ROWS = 2000;

/** Values one SQL statement binds at most: below SQLite's 32766 and PostgreSQL's 65535. */
export const MAX_SQL_PARAMETERS = 10_000;
