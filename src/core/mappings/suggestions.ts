import type { Repo } from '../ports.js';
import { NameIndex } from './name-index.js';
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

/** Items compared between two turns of the event loop: a large page never holds it for long. */
const ITEMS_PER_TURN = 64;

/** Each item's best target at or above `minScore`; a tie between two targets suggests nothing. */
async function similar(
  items: { id: string; name: string }[],
  targets: NameIndex<{ id: string; name: string }>,
  minScore: number,
): Promise<SimilarMatch[]> {
  const matches: SimilarMatch[] = [];
  for (const [n, item] of items.entries()) {
    if (n > 0 && n % ITEMS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const best = targets.best(item.name, minScore);
    if (best && !best.tied) {
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

/** Which unmapped items a request looks at. */
export interface SuggestionScope {
  /** Similarity threshold, 0.5–1. */
  minScore?: number;
  /**
   * A window of the unmapped items (accounts, then services, each by id): `offset` items skipped,
   * at most `limit` looked at. Without it, every item.
   */
  page?: { offset: number; limit: number };
  /** Near matches only for these items (an accept checks what it was given, not everything). */
  similarFor?: { accounts: Set<string>; services: Set<string> };
}

/**
 * Mappings the partner may accept for vendor accounts and services with no mapping yet (nor an
 * exclusion): exact-name matches, and near matches by normalised name and similarity score.
 */
export async function suggestMappings(
  repo: Repo,
  partnerId: string,
  integrationId: string,
  scope: SuggestionScope = {},
): Promise<Suggestions & { nextOffset: number | null }> {
  const minScore = scope.minScore ?? DEFAULT_MIN_SCORE;
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
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const allOpenAccounts = accounts.filter((a) => !mappedAccounts.has(a.id)).sort(byId);
  const allOpenServices = [...skus, ...orgServices].filter((s) => !mappedServices.has(s.id)).sort(byId);
  const total = allOpenAccounts.length + allOpenServices.length;
  const from = scope.page?.offset ?? 0;
  const to = scope.page ? from + scope.page.limit : total;
  const openAccounts = allOpenAccounts.slice(from, to);
  const openServices = allOpenServices.slice(
    Math.max(0, from - allOpenAccounts.length),
    Math.max(0, to - allOpenAccounts.length),
  );
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
  const nearFor = scope.similarFor;
  const nearAccounts = openAccounts.filter(
    (a) => !exactAccountIds.has(a.id) && (nearFor === undefined || nearFor.accounts.has(a.id)),
  );
  const nearServices = openServices.filter(
    (s) => !exactServiceIds.has(s.id) && (nearFor === undefined || nearFor.services.has(s.id)),
  );
  return {
    accounts: exactAccounts,
    services: exactServices,
    similar: {
      accounts:
        nearAccounts.length === 0
          ? []
          : await similar(nearAccounts, await NameIndex.of(companies.rows), minScore),
      services:
        nearServices.length === 0 ? [] : await similar(nearServices, await NameIndex.of(products), minScore),
    },
    nextOffset: to < total ? to : null,
  };
}
