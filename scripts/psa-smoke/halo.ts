/**
 * Read-only smoke test of HaloPSA: `npm run psa:smoke -- halo`. It fetches a token and
 * the first page of the lists a sync reads (customers, recurring items, recurring invoices with their
 * lines) and writes nothing. Credentials come from the environment:
 *   HALO_SITE (e.g. https://acme.halopsa.com), HALO_CLIENT_ID, HALO_CLIENT_SECRET,
 *   HALO_TENANT (hosted multi-tenant instances only), HALO_AUTH_URL (default {HALO_SITE}/auth).
 * Never run in CI: it needs a real instance and a real client-credentials application.
 */
import { HaloClient, HALO_PAGE_SIZE } from '../../src/connectors/halo/client.js';
import { HALO_LOCKED_REASON, haloConnector } from '../../src/connectors/halo/connector.js';
import type { HaloInvoice } from '../../src/connectors/halo/types.js';
import { requirePsaSite, requirePsaUrl } from '../../src/core/psa-connector/site-url.js';
import { allowPrivateNetwork, requireEnv, step } from './support.js';

const USAGE = `usage: npm run psa:smoke -- halo
  Reads (never writes) a real HaloPSA: token, first page of customers, recurring items and
  recurring invoices with their lines. Environment:
    HALO_SITE           the instance, e.g. https://acme.halopsa.com (required)
    HALO_CLIENT_ID      a client-credentials API application's id (required)
    HALO_CLIENT_SECRET  its secret (required)
    HALO_TENANT         the tenant, on hosted multi-tenant instances only
    HALO_AUTH_URL       the authorisation server (default: {HALO_SITE}/auth)`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const env = requireEnv(['HALO_SITE', 'HALO_CLIENT_ID', 'HALO_CLIENT_SECRET']);
const site = requirePsaSite(env.HALO_SITE, allowPrivateNetwork());
const options = {
  site,
  authUrl: requirePsaUrl(
    process.env.HALO_AUTH_URL?.trim() || `${site}/auth`,
    'HALO_AUTH_URL',
    allowPrivateNetwork(),
  ),
  clientId: env.HALO_CLIENT_ID,
  clientSecret: env.HALO_CLIENT_SECRET,
  ...(process.env.HALO_TENANT?.trim() && { tenant: process.env.HALO_TENANT.trim() }),
};

const client = new HaloClient(options);
const connector = haloConnector(options);
const firstPage = async <T>(path: string, key: string, query: Record<string, string> = {}) => {
  const body = await client.get<Record<string, unknown>>(path, {
    ...query,
    pageinate: 'true',
    page_no: '1',
    page_size: String(HALO_PAGE_SIZE),
  });
  const rows = Array.isArray(body[key]) ? (body[key] as T[]) : [];
  return { rows, total: body.record_count };
};

await step('token', async () => {
  await client.tokens.get();
  return 'issued';
});
await step('connection test', async () => `account "${(await connector.test()).accountName}"`);
await step('customers', async () => {
  const { rows, total } = await firstPage('/Client', 'clients', { includeinactive: 'true' });
  return `${rows.length} on page 1 of ${String(total)}`;
});
await step('recurring items', async () => {
  const { rows, total } = await firstPage('/Item', 'items', { recurringonly: 'true' });
  return `${rows.length} on page 1 of ${String(total)}`;
});
await step('recurring invoices', async () => {
  const { rows, total } = await firstPage<HaloInvoice>('/RecurringInvoice', 'invoices', {
    includelines: 'true',
  });
  const lines = rows.flatMap((i) => i.lines ?? []);
  const computed = lines.filter((l) => Number(l.recurring_invoice_quantity_type ?? 0) !== 0).length;
  return (
    `${rows.length} on page 1 of ${String(total)}, ${lines.length} lines, ${computed} computed ` +
    `(${computed > 0 ? `synced as locked: "${HALO_LOCKED_REASON}"` : 'none locked'})`
  );
});
console.log(`${client.requestCount + connector.client.requestCount} requests; nothing was written`);
