import type { DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { normaliseName } from '../mappings/name-match.js';
import { markViewChanged } from '../mappings/view-changed.js';
import type { Repo } from '../ports.js';
import {
  type Company,
  type Mapping,
  type MappingKind,
  PSA_NAMES,
  type Product,
  type PsaKind,
} from '../model.js';

/** A mapping whose company or product came from a PSA the partner no longer uses. */
export interface MappingToRemap {
  integrationId: string;
  vendorName: string;
  kind: MappingKind;
  itemId: string;
  /** The vendor account's or service's name (its id when it is gone). */
  itemName: string;
  /** The row it maps to now, and the PSA that row came from. */
  target: { id: string; name: string; psa: PsaKind };
  /** Rows of the connected PSA with the same name (several when the name is not unique). */
  candidates: { id: string; name: string }[];
}

type Row = Company | Product;

/** The partner's companies and products: by id, and the connected PSA's rows by normalised name. */
async function targetsOf(repo: Repo, partnerId: string, kind: PsaKind) {
  const tables = {
    account: (await repo.listCompanies(partnerId, {})).rows as Row[],
    service: (await repo.listProducts(partnerId)) as Row[],
  };
  const index = (rows: Row[]) => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const byName = new Map<string, Row[]>();
    for (const row of rows) {
      if (row.psa?.kind !== kind) continue;
      const name = normaliseName(row.name);
      byName.set(name, [...(byName.get(name) ?? []), row]);
    }
    return { byId, byName };
  };
  return { account: index(tables.account), service: index(tables.service) };
}

/** Mappings of the partner's live integrations whose target came from a PSA other than `kind`. */
async function strandedMappings(repo: Repo, partnerId: string, kind: PsaKind) {
  const targets = await targetsOf(repo, partnerId, kind);
  const found: { mapping: Mapping; vendorId: string; target: Row; candidates: Row[] }[] = [];
  for (const integration of await repo.listIntegrationsOfPartner(partnerId)) {
    if (integration.disconnectedAtMs !== null) continue;
    for (const mappingKind of ['account', 'service'] as const) {
      const { byId, byName } = targets[mappingKind];
      for (const mapping of await repo.listMappings(integration.id, mappingKind)) {
        const target = mapping.targetId === null ? undefined : byId.get(mapping.targetId);
        if (target?.psa === undefined || target.psa.kind === kind) continue;
        const candidates = byName.get(normaliseName(target.name)) ?? [];
        found.push({ mapping, vendorId: integration.vendorId, target, candidates });
      }
    }
  }
  return found;
}

/**
 * After the first full sync of a PSA that replaced another: every mapping to a company or product of
 * the old PSA moves to the row of the new one with the same name, when exactly one has it. The rest
 * stay as they are (their cards cannot be written until remapped) and `mappingsToRemap` lists them.
 * Answers how many moved.
 */
export async function carryMappingsOver(
  ctx: CoreContext,
  window: DebounceWindow,
  partnerId: string,
  kind: PsaKind,
): Promise<{ moved: number; wakeAtMs: number | null }> {
  return ctx.store.transaction(async (tx) => {
    const nowMs = ctx.clock.nowMs();
    const changed = new Set<string>();
    let moved = 0;
    for (const { mapping, candidates } of await strandedMappings(tx, partnerId, kind)) {
      if (candidates.length !== 1) continue;
      await tx.putMapping({ ...mapping, targetId: (candidates[0] as Row).id, updatedAtMs: nowMs });
      changed.add(mapping.integrationId);
      moved++;
    }
    let wakeAtMs: number | null = null;
    for (const integrationId of changed) {
      const build = await markViewChanged(tx, integrationId, nowMs, window);
      if (build.dueAtMs !== null) wakeAtMs = Math.min(wakeAtMs ?? build.dueAtMs, build.dueAtMs);
    }
    return { moved, wakeAtMs };
  });
}

/** The mappings still pointing at another PSA's rows, with the connected PSA's same-name rows. */
export async function mappingsToRemap(ctx: CoreContext, partnerId: string): Promise<MappingToRemap[]> {
  const connection = await ctx.store.getPsaConnection(partnerId);
  if (!connection) return [];
  const stranded = await strandedMappings(ctx.store, partnerId, connection.kind);
  const names = await itemNames(ctx, stranded);
  return stranded.map(({ mapping, vendorId, target, candidates }) => ({
    integrationId: mapping.integrationId,
    vendorName: names.vendors.get(vendorId) ?? vendorId,
    kind: mapping.kind,
    itemId: mapping.itemId,
    itemName: names.items.get(`${mapping.integrationId}\u0000${mapping.itemId}`) ?? mapping.itemId,
    target: { id: target.id, name: target.name, psa: (target.psa as { kind: PsaKind }).kind },
    candidates: candidates.map((c) => ({ id: c.id, name: c.name })),
  }));
}

/**
 * The names of the vendors and of the accounts and services the mappings name: one read per
 * vendor and per integration, however many mappings there are.
 */
async function itemNames(ctx: CoreContext, stranded: { mapping: Mapping; vendorId: string }[]) {
  const vendors = new Map<string, string>();
  const items = new Map<string, string>();
  const byIntegration = new Map<string, { vendorId: string; accounts: string[]; services: string[] }>();
  for (const { mapping, vendorId } of stranded) {
    const entry = byIntegration.get(mapping.integrationId) ?? { vendorId, accounts: [], services: [] };
    (mapping.kind === 'account' ? entry.accounts : entry.services).push(mapping.itemId);
    byIntegration.set(mapping.integrationId, entry);
  }
  const skusOf = new Map<string, { id: string; name: string }[]>();
  for (const [integrationId, { vendorId, accounts, services }] of byIntegration) {
    if (!vendors.has(vendorId))
      vendors.set(vendorId, (await ctx.store.getVendor(vendorId))?.name ?? vendorId);
    const named: { id: string; name: string }[] = [
      ...(accounts.length > 0 ? await ctx.store.listAccounts(integrationId, accounts) : []),
      ...(services.length > 0 ? await ctx.store.listOrgServices(integrationId, services) : []),
    ];
    if (services.length > 0) {
      if (!skusOf.has(vendorId)) skusOf.set(vendorId, await ctx.store.listSkus(vendorId));
      const wanted = new Set(services);
      named.push(...(skusOf.get(vendorId) ?? []).filter((sku) => wanted.has(sku.id)));
    }
    for (const item of named) items.set(`${integrationId}\u0000${item.id}`, item.name);
  }
  return { vendors, items };
}

/** "3 mappings still point at ConnectWise PSA rows; remap them" — for status lines. */
export const remapNote = (count: number, connected: PsaKind): string =>
  `${count} mapping${count === 1 ? '' : 's'} still point${count === 1 ? 's' : ''} at companies or products of ` +
  `another PSA than ${PSA_NAMES[connected]}; remap them on the Mapping screen`;
