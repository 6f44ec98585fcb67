import { createAccounts } from '../../../src/core/accounts/create-items.js';
import { addPartnerUser } from '../../../src/core/users/add-partner-user.js';
import { createVendor } from '../../../src/core/vendors/create-vendor.js';
import { call, type Fixture, seedIntegration, startServer, type TestServer } from '../../support/harness.js';
import { mappedWorld, sendCount, type World } from '../../support/world.js';

export const USER = { email: 'ada@blue-msp.example', password: 'correct horse battery' };

/** The vendor account that nobody mapped yet; its count waits on the mapping screen. */
export const UNMAPPED = { accountId: '2000', name: 'Harbor Dental', count: 9 };

/** An unmapped vendor account named exactly like a PSA company: an exact-name suggestion. */
export const LOOKALIKE = { accountId: '2001', name: 'Lakeside Vet' };

/** A vendor on the server that the partner has not connected. */
export const OTHER_VENDOR = 'Shield Security';

/**
 * Vendor quantities and agreement lines per mapped customer, chosen so the board has every kind of
 * card: new revenue (no line), reconcile (the line bills fewer units) and no change.
 */
export const CUSTOMERS = [
  { vendor: 10, psa: null },
  { vendor: 7, psa: 5 },
  { vendor: 4, psa: 4 },
  { vendor: 12, psa: 9 },
  { vendor: 3, psa: null },
] as const;

export interface PartnerWorld {
  t: TestServer;
  f: Fixture;
  world: World;
  /** A partner API call with the partner's bearer token, for setting up and checking. */
  partner: (method: string, path: string, body?: unknown) => ReturnType<typeof call>;
}

/**
 * A running Tally (builds 200 ms after the last count) with a partner that can sign in, one connected
 * vendor and one not connected, five mapped customers with counts and agreement lines, and one unmapped account with a count waiting.
 */
export async function partnerWorld(): Promise<PartnerWorld> {
  const t = await startServer({ config: { buildQuietMs: 200, buildMaxWaitMs: 2000, buildPollMs: 50 } });
  const f = await seedIntegration(t.server, { vendor: 'Acme Backup', partner: 'Blue MSP' });
  const partner = (method: string, path: string, body?: unknown) =>
    call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });
  await addPartnerUser(t.server.ctx, { partnerId: f.partnerId, ...USER, name: 'Ada Lovelace' });
  await createVendor(t.server.ctx, { name: OTHER_VENDOR });

  const world = await mappedWorld(t.server, f, { accounts: CUSTOMERS.length, services: 1 });
  const [skuId] = world.skuIds as [string];
  const [productId] = world.productIds as [string];
  for (const [i, customer] of CUSTOMERS.entries()) {
    const companyId = world.companyIds[i] as string;
    expectStatus(await sendCount(t.baseUrl, f, skuId, world.accountIds[i] as string, customer.vendor), 201);
    if (customer.psa === null) continue;
    const agreement = await partner('POST', '/psa/agreements', { name: 'Managed services', companyId });
    expectStatus(agreement, 201);
    expectStatus(
      await partner('POST', '/psa/agreement-lines', {
        agreementId: agreement.body.id,
        productId,
        quantity: customer.psa,
      }),
      201,
    );
  }

  const integration = await t.store.getIntegration(f.integrationId);
  if (!integration) throw new Error('the integration is missing');
  await createAccounts(
    t.server.ctx,
    integration,
    [UNMAPPED, LOOKALIKE].map((a) => ({ id: a.accountId, name: a.name, description: '', isArrears: false })),
  );
  for (const { name } of [UNMAPPED, LOOKALIKE]) {
    expectStatus(await partner('POST', '/psa/companies', { name }), 201);
  }
  expectStatus(await sendCount(t.baseUrl, f, skuId, UNMAPPED.accountId, UNMAPPED.count), 404);

  await flush(t, f);
  return { t, f, world, partner };
}

/** Builds the billing view now instead of after the quiet window. */
export async function flush(t: TestServer, f: Fixture): Promise<void> {
  expectStatus(await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token }), 200);
}

function expectStatus(response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

/** The first day of the month `months` after this one, as YYYY-MM-DD. */
export function firstOfMonthFromNow(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}
