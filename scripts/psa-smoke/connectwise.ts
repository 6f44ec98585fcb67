/**
 * Read-only smoke test of ConnectWise PSA: the read requests a sync makes (companyinfo, companies,
 * catalog, active agreements, one agreement's additions); nothing is written. Credentials come from
 * the environment: CW_SITE (e.g. https://api-na.myconnectwise.net), CW_COMPANY_ID, CW_PUBLIC_KEY,
 * CW_PRIVATE_KEY, CW_CLIENT_ID.
 */
import { ConnectWiseClient } from '../../src/connectors/connectwise/client.js';
import { connectWiseConnector } from '../../src/connectors/connectwise/connector.js';
import { requirePsaSite } from '../../src/core/psa-connector/site-url.js';
import { allowPrivateNetwork, requireEnv, step } from './support.js';

const env = requireEnv(['CW_SITE', 'CW_COMPANY_ID', 'CW_PUBLIC_KEY', 'CW_PRIVATE_KEY', 'CW_CLIENT_ID']);
const options = {
  site: requirePsaSite(env.CW_SITE, allowPrivateNetwork()),
  companyId: env.CW_COMPANY_ID,
  publicKey: env.CW_PUBLIC_KEY,
  privateKey: env.CW_PRIVATE_KEY,
  clientId: env.CW_CLIENT_ID,
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
