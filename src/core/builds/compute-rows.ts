import type { Account, BillingRow, CurrentCount, Mapping, OrgService } from '../model.js';

export interface BuildInputs {
  integrationId: string;
  counts: CurrentCount[];
  accounts: Account[];
  orgServices: OrgService[];
  accountMappings: Mapping[];
  serviceMappings: Mapping[];
  builtAtMs: number;
  builtRevision: number;
}

/**
 * One integration's billing-view rows: per (company, product), the sum of the current counts of the
 * active accounts mapped to that company for the services mapped to that product. Pure, so a build
 * run twice on the same inputs yields the same rows.
 */
export function computeBillingRows(inputs: BuildInputs): BillingRow[] {
  const activeAccounts = new Set(inputs.accounts.filter((a) => a.isActive).map((a) => a.id));
  const inactiveServices = new Set(inputs.orgServices.filter((s) => !s.isActive).map((s) => s.id));
  const companyOf = targets(inputs.accountMappings);
  const productOf = targets(inputs.serviceMappings);
  const rows = new Map<string, BillingRow>();
  for (const count of inputs.counts) {
    if (!activeAccounts.has(count.accountId) || inactiveServices.has(count.serviceId)) continue;
    const companyId = companyOf.get(count.accountId);
    const productId = productOf.get(count.serviceId);
    if (companyId === undefined || productId === undefined) continue;
    const key = `${companyId}\u0000${productId}`;
    const row = rows.get(key);
    if (row) {
      row.vendorQuantity += count.unitCount;
      row.lastChangedAtMs = Math.max(row.lastChangedAtMs, count.updatedAtMs);
    } else {
      rows.set(key, {
        integrationId: inputs.integrationId,
        companyId,
        productId,
        vendorQuantity: count.unitCount,
        lastChangedAtMs: count.updatedAtMs,
        builtAtMs: inputs.builtAtMs,
        builtRevision: inputs.builtRevision,
      });
    }
  }
  return [...rows.values()].sort((a, b) =>
    a.companyId === b.companyId
      ? a.productId.localeCompare(b.productId)
      : a.companyId.localeCompare(b.companyId),
  );
}

const targets = (mappings: Mapping[]): Map<string, string> =>
  new Map(
    mappings.filter((m) => !m.excluded && m.targetId !== null).map((m) => [m.itemId, m.targetId as string]),
  );
