import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createAccounts } from '../../src/core/accounts/create-items.js';
import type { PsaKind } from '../../src/core/model.js';
import { createService } from '../../src/core/vendors/services.js';
import { CW_CREDENTIALS, type FakeConnectWise } from '../fakes/connectwise.js';
import { call, type Fixture, seedIntegration, startServer, type TestServer } from './harness.js';
import { sendCount } from './world.js';

/** A secret key for tests: 32 random bytes, base64. */
export const testSecretKey = (): string => randomBytes(32).toString('base64');

export const connectBody = (cw: FakeConnectWise, overrides: Record<string, unknown> = {}) => ({
  kind: 'connectwise',
  site: cw.baseUrl,
  ...CW_CREDENTIALS,
  ...overrides,
});

/** Runs a sync through the API and waits for it to end; answers the connection as GET shows it. */
export async function syncNow(t: TestServer, f: Fixture, full = false) {
  const started = await call(t.baseUrl, 'POST', '/api/partner/psa/connection/sync', {
    bearer: f.partnerToken,
    body: { full },
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await t.server.psa.syncs.settled(f.partnerId);
  const connection = await call(t.baseUrl, 'GET', '/api/partner/psa/connection', { bearer: f.partnerToken });
  assert.equal(connection.body.lastSync.id, started.body.syncId);
  return connection.body;
}

/** Waits until no write of the partner is pending (the worker runs on its own timer). */
export async function writesSettled(t: TestServer, f: Fixture, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await t.store.listPsaWrites(f.partnerId, { state: 'pending', limit: 1 });
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`writes still pending: ${JSON.stringify(pending)}`);
    t.server.psa.writes.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What earlier calls mapped, per integration, so a later count lands on the same card. */
const mapped = {
  skus: new Map<string, Map<number, string>>(),
  accounts: new Map<string, Map<number, string>>(),
};

/**
 * Vendor accounts and services mapped onto synced ConnectWise companies and catalog items (by their
 * ConnectWise ids), with the given counts sent through the vendor API and built.
 */
export async function mapOntoSynced(
  t: TestServer,
  f: Fixture,
  counts: { companyCwId: number; itemCwId: number; unitCount: number }[],
  /** The PSA the ids belong to (the field names say ConnectWise; any PSA's numeric ids work). */
  kind: PsaKind = 'connectwise',
): Promise<{ cardOf(companyCwId: number, itemCwId: number): string }> {
  const ctx = t.server.ctx;
  const vendor = await ctx.store.getVendor(f.vendorId);
  const integration = await ctx.store.getIntegration(f.integrationId);
  if (!vendor || !integration) throw new Error('fixture is missing');
  const companyIds = await ctx.store.localIdsOf(
    f.partnerId,
    kind,
    'company',
    counts.map((c) => String(c.companyCwId)),
  );
  const productIds = await ctx.store.localIdsOf(
    f.partnerId,
    kind,
    'product',
    counts.map((c) => String(c.itemCwId)),
  );
  const skuOf = mapped.skus.get(f.integrationId) ?? new Map<number, string>();
  const accountOf = mapped.accounts.get(f.integrationId) ?? new Map<number, string>();
  mapped.skus.set(f.integrationId, skuOf);
  mapped.accounts.set(f.integrationId, accountOf);
  const nowMs = ctx.clock.nowMs();
  for (const { companyCwId, itemCwId, unitCount } of counts) {
    if (!skuOf.has(itemCwId)) {
      const sku = await createService(ctx, vendor, {
        name: `Service ${itemCwId}`,
        description: '',
        category: 'backup',
        subcategory: 'cloud backup',
      });
      await ctx.store.putMapping({
        integrationId: f.integrationId,
        kind: 'service',
        itemId: sku.id,
        targetId: productIds.get(String(itemCwId)) as string,
        excluded: false,
        updatedAtMs: nowMs,
      });
      skuOf.set(itemCwId, sku.id);
    }
    if (!accountOf.has(companyCwId)) {
      const accountId = `acct-${companyCwId}`;
      await createAccounts(ctx, integration, [
        { id: accountId, name: `Account ${companyCwId}`, description: '', isArrears: false },
      ]);
      await ctx.store.putMapping({
        integrationId: f.integrationId,
        kind: 'account',
        itemId: accountId,
        targetId: companyIds.get(String(companyCwId)) as string,
        excluded: false,
        updatedAtMs: nowMs,
      });
      accountOf.set(companyCwId, accountId);
    }
    const sent = await sendCount(
      t.baseUrl,
      f,
      skuOf.get(itemCwId) as string,
      accountOf.get(companyCwId) as string,
      unitCount,
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
  }
  await t.server.scheduler.flush(f.integrationId, 10_000);
  return {
    cardOf: (companyCwId, itemCwId) =>
      `${companyIds.get(String(companyCwId))}.${productIds.get(String(itemCwId))}`,
  };
}

/** A server whose PSA writes go out at once (no backoff waits), with a vendor, a partner and their integration. */
export async function startPsaServer(): Promise<{ t: TestServer; f: Fixture }> {
  const t = await startServer({
    config: { secretKey: testSecretKey(), psaWritePollMs: 20, buildQuietMs: 0, buildMaxWaitMs: 0 },
    psaSleep: async () => {},
  });
  return { t, f: await seedIntegration(t.server) };
}

/** The partner API calls the PSA suites make, on the suite's current server and fixture. */
export function partnerBoard(world: () => { t: TestServer; f: Fixture }, period: string) {
  const partner = (method: string, path: string, body?: unknown) =>
    call(world().t.baseUrl, method, `/api/partner${path}`, { bearer: world().f.partnerToken, body });
  const cardOn = async (id: string) =>
    (await partner('GET', `/billing?period=${period}&includeActioned=true`)).body.cards.find(
      (c: { id: string }) => c.id === id,
    );
  const approve = (cardIds: string[], extra: Record<string, unknown> = {}) =>
    partner('POST', '/billing/actions', { period, cardIds, action: 'approve', ...extra });
  return { partner, cardOn, approve };
}
