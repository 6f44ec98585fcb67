/**
 * Read-only smoke test against a real PSA sandbox: `npm run psa:smoke -- connectwise`. It makes the
 * same read requests a sync makes (companyinfo, companies, catalog, active agreements, one
 * agreement's additions) and writes nothing. Credentials come from the environment:
 *   CW_SITE (e.g. https://api-na.myconnectwise.net), CW_COMPANY_ID, CW_PUBLIC_KEY, CW_PRIVATE_KEY,
 *   CW_CLIENT_ID.
 * Never run in CI: it needs a real sandbox and real keys.
 */
import { ConnectWiseClient } from '../src/connectors/connectwise/client.js';
import { connectWiseConnector } from '../src/connectors/connectwise/connector.js';
import { requirePsaSite } from '../src/core/psa-connector/site-url.js';

const kind = process.argv[2];
if (kind !== 'connectwise') {
  console.error('usage: npm run psa:smoke -- connectwise   (the only PSA supported so far)');
  process.exit(2);
}
const names = ['CW_SITE', 'CW_COMPANY_ID', 'CW_PUBLIC_KEY', 'CW_PRIVATE_KEY', 'CW_CLIENT_ID'];
const missing = names.filter((n) => !process.env[n]);
if (missing.length > 0) {
  console.error(`set ${missing.join(', ')} in the environment (see the comment at the top of this script)`);
  process.exit(2);
}
const env = (name: string) => process.env[name] as string;
const options = {
  site: requirePsaSite(env('CW_SITE'), process.env.TALLY_PSA_ALLOW_PRIVATE_NETWORK === 'true'),
  companyId: env('CW_COMPANY_ID'),
  publicKey: env('CW_PUBLIC_KEY'),
  privateKey: env('CW_PRIVATE_KEY'),
  clientId: env('CW_CLIENT_ID'),
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

const connector = connectWiseConnector(options);
const client = new ConnectWiseClient(options);
await step('connection test', async () => `company "${(await connector.test()).accountName}"`);
await step('codebase', async () => (await client.discover()).codebase);
const firstPage = async (path: string, conditions?: string) => {
  const rows = await client.get<{ id: number }[]>(path, {
    pageSize: '25',
    ...(conditions && { conditions }),
  });
  return rows;
};
await step(
  'companies',
  async () => `${(await firstPage('/company/companies', 'deletedFlag = false')).length} on page 1`,
);
await step('catalog', async () => `${(await firstPage('/procurement/catalog')).length} on page 1`);
let agreementId: number | undefined;
await step('active agreements', async () => {
  const rows = await firstPage('/finance/agreements', "agreementStatus = 'Active' and cancelledFlag = false");
  agreementId = rows[0]?.id;
  return `${rows.length} on page 1`;
});
if (agreementId !== undefined) {
  await step(`additions of agreement ${agreementId}`, async () => {
    const rows = await firstPage(`/finance/agreements/${agreementId}/additions`, 'cancelledDate = null');
    return `${rows.length} uncancelled`;
  });
}
console.log(`${client.requestCount + connector.client.requestCount} requests; nothing was written`);
