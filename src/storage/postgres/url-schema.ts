/**
 * The schema a PostgreSQL URL points at. libpq-style URLs may carry server settings in `options`
 * (`?options=-c%20search_path%3Dtenant_a`); the pg driver sends them at connect time, so every
 * pooled connection already works in that schema. Tally also needs the name itself: to create the
 * schema, to keep the migrator's bookkeeping there and to scope its notification channel.
 */

/** Plain lower-case identifiers only: they are spliced into DDL and channel names unquoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `schema` is a plain identifier Tally can use unquoted. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name: ${schema} (use lower-case letters, digits and _)`);
  }
  return schema;
}

/**
 * The first schema of the `search_path` set in the URL's `options`, or undefined when the URL sets
 * none (the server's default path, normally `public`, applies then).
 */
export function schemaOfUrl(url: string): string | undefined {
  let options: string | null;
  try {
    options = new URL(url).searchParams.get('options');
  } catch {
    // Not a URL (a key=value string, say): the driver reports that when it connects.
    return undefined;
  }
  if (options === null) return undefined;
  const match = /(?:^|\s)(?:-c\s*|--)search_path=(\S+)/.exec(options);
  if (!match?.[1]) return undefined;
  const first = match[1].split(',')[0] as string;
  return assertSchemaName(first.replace(/^"(.*)"$/, '$1'));
}
