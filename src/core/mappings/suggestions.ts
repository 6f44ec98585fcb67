import type { Repo } from '../ports.js';
import { partnerIntegration } from './partner-integration.js';

export interface Suggestions {
  accounts: { accountId: string; companyId: string }[];
  services: { serviceId: string; productId: string }[];
}

/** name → id of the names that occur exactly once; a name shared by two targets suggests nothing. */
function uniqueNames(items: { id: string; name: string }[]): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const { id, name } of items) seen.set(name, seen.has(name) ? null : id);
  return new Map([...seen].filter((e): e is [string, string] => e[1] !== null));
}

/**
 * Automatic mappings the partner may accept: vendor accounts and services with no mapping yet (nor
 * an exclusion) whose name is exactly, case included, the name of one PSA company or product.
 */
export async function suggestMappings(
  repo: Repo,
  partnerId: string,
  integrationId: string,
): Promise<Suggestions> {
  const integration = await partnerIntegration(repo, partnerId, integrationId);
  const [accounts, skus, orgServices, accountMappings, serviceMappings, companies, products] =
    await Promise.all([
      repo.listAccounts(integration.id),
      repo.listSkus(integration.vendorId),
      repo.listOrgServices(integration.id),
      repo.listMappings(integration.id, 'account'),
      repo.listMappings(integration.id, 'service'),
      repo.listCompanies(partnerId, {}),
      repo.listProducts(partnerId),
    ]);
  const mappedAccounts = new Set(accountMappings.map((m) => m.itemId));
  const mappedServices = new Set(serviceMappings.map((m) => m.itemId));
  const companyByName = uniqueNames(companies.rows);
  const productByName = uniqueNames(products);
  return {
    accounts: accounts.flatMap((a) => {
      const companyId = companyByName.get(a.name);
      return !mappedAccounts.has(a.id) && companyId ? [{ accountId: a.id, companyId }] : [];
    }),
    services: [...skus, ...orgServices].flatMap((s) => {
      const productId = productByName.get(s.name);
      return !mappedServices.has(s.id) && productId ? [{ serviceId: s.id, productId }] : [];
    }),
  };
}
