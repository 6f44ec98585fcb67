/** What the store contract suites share: one describe per engine, and records to store. */
import { afterEach, beforeEach, describe } from 'node:test';
import { initialBuildState } from '../../src/core/builds/debounce.js';
import type { BillingRow, BuildState, Integration, Partner, Vendor } from '../../src/core/model.js';
import type { Store } from '../../src/core/ports.js';
import { openTestStore } from '../support/stores.js';
import { postgresSkipReason } from './postgres-support.js';

export type StoreKind = 'sqlite' | 'postgres';

const postgresSkip = await postgresSkipReason('store contract tests on PostgreSQL');

/** What a contract test gets: the engine's name and a fresh, empty store of it. */
export interface ContractContext {
  kind: StoreKind;
  store(): Store;
}

/**
 * Declares the same tests once per engine, each test on a fresh store: SQLite in memory, and a
 * PostgreSQL schema of its own (skipped loudly without a server, except in CI).
 */
export function describeEachStore(name: string, suite: (c: ContractContext) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe(`${name} (${kind})`, { skip: kind === 'postgres' ? postgresSkip : false }, () => {
      let current: Store | undefined;
      beforeEach(async () => {
        current = await openTestStore(kind);
      });
      afterEach(async () => {
        await current?.close();
        current = undefined;
      });
      suite({
        kind,
        store: () => {
          if (!current) throw new Error('no store: called outside a test');
          return current;
        },
      });
    });
  }
}

/** A fixed instant, so stored times are compared exactly. */
export const T0_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

export const vendorRecord = (id: string, name: string): Vendor => ({
  id,
  name,
  description: `${name} description`,
  integrationType: 'vendor',
  imageUri: null,
  isDistributor: false,
  integrationPortalUrl: 'https://portal.example/x',
  vendorSupportPageUrl: null,
  externalIntegrationStatus: 'available',
  mappingResponsibilities: ['services', 'accounts'],
  modules: [{ variation: 'billing' }],
  organizationId: null,
  attributes: { tier: 'gold', seats: 3 },
  createdAtMs: T0_MS,
  updatedAtMs: T0_MS,
  version: 0,
});

export const partnerRecord = (id: string, name: string): Partner => ({ id, name, createdAtMs: T0_MS });

export const integrationRecord = (id: string, vendorId: string, partnerId: string): Integration => ({
  id,
  vendorId,
  partnerId,
  status: 'inactive',
  lastSyncedAtMs: null,
  disconnectedAtMs: null,
  pausedAtMs: null,
  createdAtMs: T0_MS,
});

/** A vendor, a partner and an integration between them (the rows most others refer to). */
export async function seedBase(
  store: Store,
  suffix = '',
): Promise<{ integrationId: string; partnerId: string }> {
  const vendorId = `vendor${suffix}`;
  const partnerId = `partner${suffix}`;
  const integrationId = `integration${suffix}`;
  await store.insertVendor(vendorRecord(vendorId, `Vendor ${suffix}`), `vendor-key-hash${suffix}`);
  await store.insertPartner(partnerRecord(partnerId, `Partner ${suffix}`), `partner-token-hash${suffix}`);
  await store.insertIntegration(
    integrationRecord(integrationId, vendorId, partnerId),
    `integration-key-hash${suffix}`,
  );
  return { integrationId, partnerId };
}

/** A build state with the given overrides over the initial one. */
export const buildState = (integrationId: string, overrides: Partial<BuildState> = {}): BuildState => ({
  ...initialBuildState(integrationId),
  ...overrides,
});

/** `count` billing rows of one integration, all of one revision. */
export const billingRows = (integrationId: string, count: number, revision: number): BillingRow[] =>
  Array.from({ length: count }, (_, i) => ({
    integrationId,
    companyId: `company${String(i).padStart(5, '0')}`,
    productId: `product${i % 3}`,
    vendorQuantity: revision * 10 + (i % 7) + 0.5,
    lastChangedAtMs: T0_MS + i,
    builtAtMs: T0_MS + revision,
    builtRevision: revision,
  }));

/** Rows in a stable order, so two engines' answers compare with deepEqual. */
export const byKey = (rows: BillingRow[]): BillingRow[] =>
  [...rows].sort((a, b) =>
    `${a.integrationId}|${a.companyId}|${a.productId}` < `${b.integrationId}|${b.companyId}|${b.productId}`
      ? -1
      : 1,
  );
