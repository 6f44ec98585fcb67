import { loadConfig } from '../config/config.js';
import { composeTally } from './tally-server.js';

/** The part of the OpenAPI document a vendor client is generated from: the vendor API and its parts. */
const VENDOR_PREFIX = '/api/vendor-api';

/**
 * The OpenAPI document exactly as `/api-docs/json` serves it, from an app over an empty in-memory
 * store (nothing listens). With `vendorOnly`, only the vendor API's paths and tags are kept.
 */
export async function openApiDocument(options: { vendorOnly: boolean }): Promise<Record<string, unknown>> {
  const config = loadConfig({}, { logLevel: 'silent', sqliteFile: ':memory:', databaseUrl: null });
  const server = await composeTally(config);
  try {
    await server.app.ready();
    const document = server.app.swagger() as unknown as Record<string, unknown> & {
      paths: Record<string, unknown>;
      tags?: { name: string }[];
      'x-tagGroups'?: { name: string; tags: string[] }[];
    };
    if (!options.vendorOnly) return document;
    const vendorGroup = document['x-tagGroups']?.find((g) => g.name === 'Vendor API');
    const vendorTags = new Set(vendorGroup?.tags ?? []);
    return {
      ...document,
      info: { ...(document.info as object), title: 'Tally vendor API' },
      paths: Object.fromEntries(
        Object.entries(document.paths).filter(([path]) => path.startsWith(VENDOR_PREFIX)),
      ),
      tags: document.tags?.filter((t) => vendorTags.has(t.name)),
      'x-tagGroups': vendorGroup ? [vendorGroup] : [],
    };
  } finally {
    await server.close();
  }
}
