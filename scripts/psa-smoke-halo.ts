/**
 * Read-only smoke test against a real HaloPSA: `npm run psa:smoke -- halo`. It fetches a token and
 * the first page of the lists a sync reads (customers, recurring items, recurring invoices with their
 * lines) and writes nothing. Credentials come from the environment:
 *   HALO_SITE (e.g. https://acme.halopsa.com), HALO_CLIENT_ID, HALO_CLIENT_SECRET,
 *   HALO_TENANT (hosted multi-tenant instances only), HALO_AUTH_URL (default {HALO_SITE}/auth).
 * Never run in CI: it needs a real instance and a real client-credentials application.
 */
import { HaloClient, HALO_PAGE_SIZE } from '../src/connectors/halo/client.js';
import { HALO_LOCKED_REASON, haloConnector } from '../src/connectors/halo/connector.js';
import type { HaloInvoice } from '../src/connectors/halo/types.js';
import { requirePsaSite, requirePsaUrl } from '../src/core/psa-connector/site-url.js';

const USAGE = `usage: npm run psa:smoke -- halo
  Reads (never writes) a real HaloPSA: token, first page of customers, recurring items and
  recurring invoices with their lines. Environment:
    HALO_SITE           the instance, e.g. https://acme.halopsa.com (required)
    HALO_CLIENT_ID      a client-credentials API application's id (required)
    HALO_CLIENT_SECRET  its secret (required)
    HALO_TENANT         the tenant, on hosted multi-tenant instances only
    HALO_AUTH_URL       the authorisation server (default: {HALO_SITE}/auth)`;

const args = process.argv.slice(2).filter((a) => a !== 'halo');
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const missing = ['HALO_SITE', 'HALO_CLIENT_ID', 'HALO_CLIENT_SECRET'].filter((n) => !process.env[n]);
if (missing.length > 0) {
  console.error(`set ${missing.join(', ')} in the environment\n\n${USAGE}`);
  process.exit(2);
}
const allowPrivate = process.env.TALLY_PSA_ALLOW_PRIVATE_NETWORK === 'true';
const site = requirePsaSite(process.env.HALO_SITE as string, allowPrivate);
const options = {
  site,
  authUrl: requirePsaUrl(process.env.HALO_AUTH_URL?.trim() || `${site}/auth`, 'HALO_AUTH_URL', allowPrivate),
  clientId: process.env.HALO_CLIENT_ID as string,
  clientSecret: process.env.HALO_CLIENT_SECRET as string,
  ...(process.env.HALO_TENANT?.trim() && { tenant: process.env.HALO_TENANT.trim() }),
};

const step = async (label: string, fn: () => Promise<string>) => {
  const started = Date.now();
  try {
    console.log(`ok   ${label}: ${await fn()} (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`FAIL ${label}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
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
