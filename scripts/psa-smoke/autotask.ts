/**
 * Read-only smoke test against a real Datto Autotask database (a sandbox, ideally):
 *   npm run psa:smoke -- autotask [--help]
 * It makes the requests a sync makes — the zone lookup, the first page of companies, services and
 * active recurring service contracts, one contract's services and their current units — and the
 * usage probe (thresholdInformation). It writes nothing. Credentials come from the environment:
 *   AUTOTASK_USERNAME (the API-only user), AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE (the tracking
 *   identifier), and optionally AUTOTASK_SITE (where the zone is looked up; Autotask's own address
 *   when unset).
 * About a dozen requests count toward the database's 10,000 an hour. Never run in CI: it needs a
 * real database and real keys.
 */
import { AutotaskBudget } from '../../src/connectors/autotask/budget.js';
import { AutotaskClient } from '../../src/connectors/autotask/client.js';
import { autotaskConnector } from '../../src/connectors/autotask/connector.js';
import {
  AT_CONTRACT_ACTIVE,
  AT_RECURRING_SERVICE_CONTRACT,
  type AtContractServiceUnit,
  type AtFilter,
} from '../../src/connectors/autotask/types.js';
import { AUTOTASK_ZONE_SITE } from '../../src/core/psa-connector/connection-input.js';
import { requirePsaSite } from '../../src/core/psa-connector/site-url.js';
import { allowPrivateNetwork, requireEnv, step } from './support.js';

const USAGE = `usage: npm run psa:smoke -- autotask
  Read-only requests against a real Autotask database; nothing is written.
  Environment: AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE
               AUTOTASK_SITE (optional; default ${AUTOTASK_ZONE_SITE})`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const env = requireEnv(['AUTOTASK_USERNAME', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE']);
// A small share: a smoke test must not crowd out the database's other integrations.
const budget = new AutotaskBudget({ requestsPerHour: 50, maxInFlight: 1 });
const options = {
  site: requirePsaSite(process.env.AUTOTASK_SITE || AUTOTASK_ZONE_SITE, allowPrivateNetwork()),
  username: env.AUTOTASK_USERNAME,
  secret: env.AUTOTASK_SECRET,
  integrationCode: env.AUTOTASK_INTEGRATION_CODE,
  budget,
};

const client = new AutotaskClient(options);
const connector = autotaskConnector({ ...options, zoneUrl: undefined });
await step('zone', async () => client.lookupZone());
await step('connection test', async () => `company "${(await connector.test()).accountName}"`);

/** The first page only: a smoke test does not walk a whole database. */
const firstPage = async <T>(entity: string, filter: AtFilter[], fields: string[]) => {
  for await (const page of client.query<T>(entity, filter, fields)) return page;
  return [] as T[];
};
await step('companies', async () => {
  const rows = await firstPage('Companies', [{ op: 'gte', field: 'id', value: 0 }], ['id', 'companyName']);
  return `${rows.length} on page 1`;
});
await step('services', async () => {
  const rows = await firstPage(
    'Services',
    [{ op: 'gte', field: 'id', value: 0 }],
    ['id', 'name', 'unitPrice'],
  );
  return `${rows.length} on page 1`;
});
let contractId: number | undefined;
await step('active recurring service contracts', async () => {
  const rows = await firstPage<{ id: number }>(
    'Contracts',
    [
      { op: 'eq', field: 'contractType', value: AT_RECURRING_SERVICE_CONTRACT },
      { op: 'eq', field: 'status', value: AT_CONTRACT_ACTIVE },
    ],
    ['id', 'contractName', 'companyID'],
  );
  contractId = rows[0]?.id;
  return `${rows.length} on page 1`;
});
if (contractId !== undefined) {
  await step(`services and current units of contract ${contractId}`, async () => {
    const services = await firstPage<{ id: number }>(
      'ContractServices',
      [{ op: 'eq', field: 'contractID', value: contractId }],
      ['id', 'serviceID'],
    );
    if (services.length === 0) return 'no services';
    const day = new Date().toISOString().slice(0, 10);
    const units = await firstPage<AtContractServiceUnit>(
      'ContractServiceUnits',
      [
        { op: 'in', field: 'contractServiceID', value: services.map((s) => s.id) },
        { op: 'lte', field: 'startDate', value: `${day}T00:00:00Z` },
        { op: 'gte', field: 'endDate', value: `${day}T00:00:00Z` },
      ],
      ['id', 'contractServiceID', 'startDate', 'endDate', 'units'],
    );
    return `${services.length} services, ${units.length} unit rows for today (${units
      .slice(0, 5)
      .map((u) => `${u.contractServiceID}: ${u.units}`)
      .join(', ')})`;
  });
}
await step('thresholdInformation', async () => {
  const info = await client.thresholdInformation();
  return `${info.currentTimeframeRequestCount} of ${info.externalRequestThreshold} requests used this hour`;
});
console.log(`${client.requestCount + connector.client.requestCount} requests; nothing was written`);
