import type { Repo } from '../ports.js';
import { nameSimilarity, normaliseName } from './name-match.js';
import { partnerIntegration } from './partner-integration.js';

/** Below this similarity a name is not offered at all. */
export const DEFAULT_MIN_SCORE = 0.75;

/** A near match: offered with its score for the partner to confirm, never accepted by "accept all". */
export interface SimilarMatch {
  itemId: string;
  itemName: string;
  targetId: string;
  targetName: string;
  /** 1 when the normalised names are equal, else the letter-pair similarity (0–1). */
  score: number;
}

export interface Suggestions {
  /** Exact-name matches (case included): what "accept all" maps. */
  accounts: { accountId: string; companyId: string }[];
  services: { serviceId: string; productId: string }[];
  /** Matches beyond exact names, best first; each item has at most one (its best, if unambiguous). */
  similar: { accounts: SimilarMatch[]; services: SimilarMatch[] };
}

/** name → id of the names that occur exactly once; a name shared by two targets suggests nothing. */
function uniqueNames(items: { id: string; name: string }[]): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const { id, name } of items) seen.set(name, seen.has(name) ? null : id);
  return new Map([...seen].filter((e): e is [string, string] => e[1] !== null));
}

/** Each item's best target at or above `minScore`; a tie between two targets suggests nothing. */
function similar(
  items: { id: string; name: string }[],
  targets: { id: string; name: string }[],
  minScore: number,
): SimilarMatch[] {
  const normalTargets = targets.map((t) => ({ ...t, normal: normaliseName(t.name) }));
  const matches: SimilarMatch[] = [];
  for (const item of items) {
    const normal = normaliseName(item.name);
    let best: { target: (typeof normalTargets)[number]; score: number } | null = null;
    let tied = false;
    for (const target of normalTargets) {
      const score = nameSimilarity(normal, target.normal);
      if (score < minScore) continue;
      if (!best || score > best.score) {
        best = { target, score };
        tied = false;
      } else if (score === best.score) tied = true;
    }
    if (best && !tied) {
      matches.push({
        itemId: item.id,
        itemName: item.name,
        targetId: best.target.id,
        targetName: best.target.name,
        score: best.score,
      });
    }
  }
  return matches.sort((a, b) => b.score - a.score || a.itemName.localeCompare(b.itemName));
}

/**
 * Mappings the partner may accept for vendor accounts and services with no mapping yet (nor an
 * exclusion): exact-name matches, and near matches by normalised name and similarity score.
 */
export async function suggestMappings(
  repo: Repo,
  partnerId: string,
  integrationId: string,
  minScore = DEFAULT_MIN_SCORE,
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
  const openAccounts = accounts.filter((a) => !mappedAccounts.has(a.id));
  const openServices = [...skus, ...orgServices].filter((s) => !mappedServices.has(s.id));
  const exactAccounts = openAccounts.flatMap((a) => {
    const companyId = companyByName.get(a.name);
    return companyId ? [{ accountId: a.id, companyId }] : [];
  });
  const exactServices = openServices.flatMap((s) => {
    const productId = productByName.get(s.name);
    return productId ? [{ serviceId: s.id, productId }] : [];
  });
  const exactAccountIds = new Set(exactAccounts.map((a) => a.accountId));
  const exactServiceIds = new Set(exactServices.map((s) => s.serviceId));
  return {
    accounts: exactAccounts,
    services: exactServices,
    similar: {
      accounts: similar(
        openAccounts.filter((a) => !exactAccountIds.has(a.id)),
        companies.rows,
        minScore,
      ),
      services: similar(
        openServices.filter((s) => !exactServiceIds.has(s.id)),
        products,
        minScore,
      ),
    },
  };
}
