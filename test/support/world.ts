import { createAccounts } from '../../src/core/accounts/create-items.js';
import { createService } from '../../src/core/vendors/services.js';
import type { CoreContext } from '../../src/core/context.js';
import { call, type Fixture, type JsonResponse } from './harness.js';

export interface World {
  skuIds: string[];
  accountIds: string[];
  companyIds: string[];
  productIds: string[];
}

/**
 * A mapped world made through the core: `accounts` vendor accounts each mapped to its own PSA
 * company, `services` SKUs each mapped to its own product.
 */
export async function mappedWorld(
  server: { ctx: CoreContext },
  f: Fixture,
  size: { accounts: number; services: number },
): Promise<World> {
  const ctx = server.ctx;
  const vendor = await ctx.store.getVendor(f.vendorId);
  const integration = await ctx.store.getIntegration(f.integrationId);
  if (!vendor || !integration) throw new Error('fixture is missing');
  const world: World = { skuIds: [], accountIds: [], companyIds: [], productIds: [] };
  const nowMs = ctx.clock.nowMs();
  for (let s = 0; s < size.services; s++) {
    const sku = await createService(ctx, vendor, {
      name: `Service ${s}`,
      description: '',
      category: 'backup',
      subcategory: 'cloud backup',
    });
    const productId = ctx.ids.objectId();
    await ctx.store.insertProduct({
      id: productId,
      partnerId: f.partnerId,
      name: `Product ${s}`,
      unitPriceMicros: 5_000_000,
      unitCostMicros: 3_000_000,
      createdAtMs: nowMs,
    });
    await ctx.store.putMapping({
      integrationId: f.integrationId,
      kind: 'service',
      itemId: sku.id,
      targetId: productId,
      excluded: false,
      updatedAtMs: nowMs,
    });
    world.skuIds.push(sku.id);
    world.productIds.push(productId);
  }
  const accounts = await createAccounts(
    ctx,
    integration,
    Array.from({ length: size.accounts }, (_, a) => ({
      id: String(1000 + a),
      name: `Customer ${a}`,
      description: '',
      isArrears: false,
    })),
  );
  for (const account of accounts) {
    const companyId = ctx.ids.objectId();
    await ctx.store.insertCompany({
      id: companyId,
      partnerId: f.partnerId,
      name: account.name,
      createdAtMs: nowMs,
    });
    await ctx.store.putMapping({
      integrationId: f.integrationId,
      kind: 'account',
      itemId: account.id,
      targetId: companyId,
      excluded: false,
      updatedAtMs: nowMs,
    });
    world.accountIds.push(account.id);
    world.companyIds.push(companyId);
  }
  return world;
}

/** Sets one count through the real vendor API. */
export const sendCount = (
  baseUrl: string,
  f: Fixture,
  serviceId: string,
  accountId: string,
  unitCount: number,
  options: { noBuild?: boolean; idempotencyKey?: string } = {},
): Promise<JsonResponse> =>
  call(
    baseUrl,
    'POST',
    `/api/vendor-api/service/${serviceId}/count${options.noBuild ? '?no_build=true' : ''}`,
    {
      token: f.token,
      body: { accountId, unitCount },
      headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
    },
  );

/** The `billing` member of GET /organization. */
export async function billingOf(baseUrl: string, f: Fixture) {
  const response = await call(baseUrl, 'GET', '/api/vendor-api/organization', { token: f.token });
  if (response.status !== 200) throw new Error(`GET /organization answered ${response.status}`);
  return response.body.billing as {
    state: string;
    unbuiltChanges: number;
    dueAt: string | null;
    lastBuiltAt: string | null;
    builtRevision: number;
    builds: number;
  };
}
