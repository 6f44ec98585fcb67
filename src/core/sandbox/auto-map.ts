import { clockOf, type CoreContext } from '../context.js';
import type { MappingKind } from '../model.js';
import type { Repo } from '../ports.js';
import type { SandboxRecord } from './store.js';

/** What a product made for a sandbox service bills and costs per unit, so its cards show money. */
const SANDBOX_UNIT_PRICE_MICROS = 10_000_000;
const SANDBOX_UNIT_COST_MICROS = 6_000_000;

/**
 * Plays the sandbox partner's part: every account and service of the sandbox that has no mapping
 * yet is mapped to a PSA company or product of the same name, made when there is none. Counts for
 * what the vendor creates are then accepted at once, as a partner that has mapped everything would.
 * Answers how many mappings it made.
 */
export async function autoMapSandbox(ctx: CoreContext, sandbox: SandboxRecord): Promise<number> {
  const nowMs = (await clockOf(ctx, sandbox.integrationId)).nowMs();
  const { integrationId, partnerId } = sandbox;
  return ctx.store.transaction(async (tx) => {
    const [accounts, orgServices, skus, accountMaps, serviceMaps] = await Promise.all([
      tx.listAccounts(integrationId),
      tx.listOrgServices(integrationId),
      tx.listSkus(sandbox.vendorId),
      tx.listMappings(integrationId, 'account'),
      tx.listMappings(integrationId, 'service'),
    ]);
    let made = 0;
    const map = async (kind: MappingKind, itemId: string, targetId: string) => {
      await tx.putMapping({ integrationId, kind, itemId, targetId, excluded: false, updatedAtMs: nowMs });
      made += 1;
    };
    const mappedAccounts = new Set(accountMaps.map((m) => m.itemId));
    for (const account of accounts.filter((a) => !mappedAccounts.has(a.id))) {
      const name = account.name.trim() || `Account ${account.id}`;
      await map('account', account.id, await companyNamed(ctx, tx, partnerId, name, nowMs));
    }
    const mappedServices = new Set(serviceMaps.map((m) => m.itemId));
    for (const service of [...orgServices, ...skus].filter((s) => !mappedServices.has(s.id))) {
      mappedServices.add(service.id);
      const name = service.name.trim() || `Service ${service.id}`;
      await map('service', service.id, await productNamed(ctx, tx, partnerId, name, nowMs));
    }
    return made;
  });
}

async function companyNamed(ctx: CoreContext, tx: Repo, partnerId: string, name: string, nowMs: number) {
  const found = await tx.findCompanyByName(partnerId, name);
  if (found) return found.id;
  const id = ctx.ids.objectId();
  await tx.insertCompany({ id, partnerId, name, createdAtMs: nowMs });
  return id;
}

async function productNamed(ctx: CoreContext, tx: Repo, partnerId: string, name: string, nowMs: number) {
  const found = await tx.findProductByName(partnerId, name);
  if (found) return found.id;
  const id = ctx.ids.objectId();
  await tx.insertProduct({
    id,
    partnerId,
    name,
    unitPriceMicros: SANDBOX_UNIT_PRICE_MICROS,
    unitCostMicros: SANDBOX_UNIT_COST_MICROS,
    createdAtMs: nowMs,
  });
  return id;
}
