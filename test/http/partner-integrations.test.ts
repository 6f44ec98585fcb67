import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();
let companyId: string;
let productId: string;
let foreignCompanyId: string;
let skuId: string;

const partner = (method: string, path: string, body?: unknown, bearer = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner/integrations${path}`, { bearer, body });
const mappingPath = (kind: 'accounts' | 'services', id: string, integrationId = f.integrationId) =>
  `/${integrationId}/${kind}/${id}/mapping`;
const iso = (ms: number) => new Date(ms).toISOString();

before(async () => {
  // A long poll leaves the build timer to the wake-up a mapping change asks for.
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  const bearer = f.partnerToken;
  companyId = (
    await call(t.baseUrl, 'POST', '/api/partner/psa/companies', { bearer, body: { name: 'Contoso' } })
  ).body.id;
  productId = (
    await call(t.baseUrl, 'POST', '/api/partner/psa/products', {
      bearer,
      body: { name: 'Backup seat', unitPrice: 5 },
    })
  ).body.id;
  foreignCompanyId = (
    await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
      bearer: other.partnerToken,
      body: { name: 'Not yours' },
    })
  ).body.id;
  skuId = (
    await call(t.baseUrl, 'POST', '/api/vendor-api/service', {
      token: f.vendorToken,
      body: { name: 'Backup', description: 'Cloud backup', category: 'backup', subcategory: 'cloud backup' },
    })
  ).body.skus[0].id;
  const accounts = await call(t.baseUrl, 'POST', '/api/vendor-api/organization/accounts', {
    token: f.token,
    body: [
      { id: 'A1', name: 'Alpha', description: 'first' },
      { id: 'A2', name: 'Beta' },
    ],
  });
  assert.equal(accounts.status, 201);
  const services = await call(t.baseUrl, 'POST', '/api/vendor-api/organization/services', {
    token: f.token,
    body: { id: 'org-1', name: 'Private plan' },
  });
  assert.equal(services.status, 201);
});
after(() => t.close());

test('a partner lists its integrations with vendor, status and billing', async () => {
  const { vendor } = await createVendor(t.server.ctx, { name: 'Second Vendor' });
  const second = await connectIntegration(t.server.ctx, { vendorId: vendor.id, partnerId: f.partnerId });
  const listed = await partner('GET', '');
  assert.equal(listed.status, 200);
  const billing = {
    state: 'idle',
    unbuiltChanges: 0,
    dueAt: null,
    lastBuiltAt: null,
    builtRevision: 0,
    builds: 0,
  };
  const byId = new Map(listed.body.map((i: { id: string }) => [i.id, i]));
  assert.equal(listed.body.length, 2);
  assert.deepEqual(byId.get(f.integrationId), {
    id: f.integrationId,
    vendorId: f.vendorId,
    vendorName: 'Acme Backup',
    status: 'inactive',
    lastSyncedAt: null,
    disconnectedAt: null,
    pausedAt: null,
    createdAt: iso(clock.nowMs()),
    billing,
  });
  assert.deepEqual(byId.get(second.integration.id), {
    id: second.integration.id,
    vendorId: vendor.id,
    vendorName: 'Second Vendor',
    status: 'inactive',
    lastSyncedAt: null,
    disconnectedAt: null,
    pausedAt: null,
    createdAt: iso(clock.nowMs()),
    billing,
  });
  const theirs = await partner('GET', '', undefined, other.partnerToken);
  assert.deepEqual(
    theirs.body.map((i: { id: string }) => i.id),
    [other.integrationId],
  );
});

test('accounts and services are listed with their mappings', async () => {
  const accounts = await partner('GET', `/${f.integrationId}/accounts`);
  assert.equal(accounts.status, 200);
  assert.deepEqual(accounts.body, [
    { id: 'A1', name: 'Alpha', description: 'first', isActive: true, mapping: null, waiting: [] },
    { id: 'A2', name: 'Beta', description: '', isActive: true, mapping: null, waiting: [] },
  ]);
  const services = await partner('GET', `/${f.integrationId}/services`);
  assert.equal(services.status, 200);
  assert.deepEqual(services.body, [
    {
      id: skuId,
      name: 'Backup',
      description: 'Cloud backup',
      source: 'vendor',
      isActive: true,
      mapping: null,
      waiting: [],
    },
    {
      id: 'org-1',
      name: 'Private plan',
      description: '',
      source: 'organization',
      isActive: true,
      mapping: null,
      waiting: [],
    },
  ]);
});

test('mapping an account schedules a billing-view build, and excluding or removing it too', async () => {
  const before = (await t.store.getBuildState(f.integrationId))?.revision ?? 0;
  const mapped = await partner('PUT', mappingPath('accounts', 'A1'), { companyId });
  assert.equal(mapped.status, 200);
  const dueAt = iso(clock.nowMs() + t.server.config.buildQuietMs);
  assert.deepEqual(mapped.body, {
    accountId: 'A1',
    mapping: { companyId, excluded: false },
    billing: {
      state: 'scheduled',
      unbuiltChanges: 1,
      dueAt,
      lastBuiltAt: null,
      builtRevision: 0,
      builds: 0,
    },
    waiting: { applied: 0, offered: 0 },
  });
  assert.equal((await t.store.getBuildState(f.integrationId))?.revision, before + 1);
  const listed = await partner('GET', '');
  const mine = listed.body.find((i: { id: string }) => i.id === f.integrationId);
  assert.equal(mine.billing.state, 'scheduled');
  assert.equal(mine.billing.dueAt, dueAt);

  // The scheduler was woken for the due time: stepping the clock there builds the view.
  clock.advance(t.server.config.buildQuietMs);
  await t.server.scheduler.idle();
  const built = (await partner('GET', '')).body.find((i: { id: string }) => i.id === f.integrationId);
  assert.equal(built.billing.state, 'idle');
  assert.equal(built.billing.builds, 1);
  assert.equal(built.billing.builtRevision, before + 1);

  const excluded = await partner('PUT', mappingPath('accounts', 'A1'), { excluded: true });
  assert.equal(excluded.status, 200);
  assert.deepEqual(excluded.body.mapping, { companyId: null, excluded: true });
  assert.equal(excluded.body.billing.state, 'scheduled');
  const afterExclude = await partner('GET', `/${f.integrationId}/accounts`);
  assert.deepEqual(afterExclude.body[0].mapping, { companyId: null, excluded: true });

  const removed = await partner('DELETE', mappingPath('accounts', 'A1'));
  assert.equal(removed.status, 200);
  assert.equal(removed.body.accountId, 'A1');
  assert.equal(removed.body.mapping, null);
  assert.equal(removed.body.billing.unbuiltChanges, 2);
  assert.equal((await partner('GET', `/${f.integrationId}/accounts`)).body[0].mapping, null);

  // Removing a mapping that is not there changes nothing, so nothing more is scheduled.
  const again = await partner('DELETE', mappingPath('accounts', 'A1'));
  assert.equal(again.status, 200);
  assert.equal(again.body.billing.unbuiltChanges, 2);
  assert.equal((await t.store.getBuildState(f.integrationId))?.revision, before + 3);
});

test('services map to products, vendor SKUs and organization services alike', async () => {
  const sku = await partner('PUT', mappingPath('services', skuId), { productId });
  assert.equal(sku.status, 200);
  assert.equal(sku.body.serviceId, skuId);
  assert.deepEqual(sku.body.mapping, { productId, excluded: false });
  const org = await partner('PUT', mappingPath('services', 'org-1'), { excluded: true });
  assert.deepEqual(org.body.mapping, { productId: null, excluded: true });
  const services = await partner('GET', `/${f.integrationId}/services`);
  assert.deepEqual(
    services.body.map((s: { id: string; mapping: unknown }) => [s.id, s.mapping]),
    [
      [skuId, { productId, excluded: false }],
      ['org-1', { productId: null, excluded: true }],
    ],
  );
  const removed = await partner('DELETE', mappingPath('services', 'org-1'));
  assert.equal(removed.body.mapping, null);
});

test('bad mapping requests are refused with exact messages', async () => {
  const cases: [string, string, string, unknown, number, string][] = [
    [
      'empty body',
      'PUT',
      mappingPath('accounts', 'A2'),
      {},
      400,
      'companyId is required unless excluded is true',
    ],
    [
      'excluded false alone',
      'PUT',
      mappingPath('accounts', 'A2'),
      { excluded: false },
      400,
      'companyId is required unless excluded is true',
    ],
    [
      'both',
      'PUT',
      mappingPath('accounts', 'A2'),
      { companyId, excluded: true },
      400,
      'Send either companyId or excluded: true, not both',
    ],
    ['numeric id', 'PUT', mappingPath('accounts', 'A2'), { companyId: 5 }, 400, 'companyId must be a string'],
    [
      'product on an account',
      'PUT',
      mappingPath('accounts', 'A2'),
      { productId },
      400,
      'body has an unknown property: productId',
    ],
    [
      'service without productId',
      'PUT',
      mappingPath('services', skuId),
      {},
      400,
      'productId is required unless excluded is true',
    ],
    [
      'unknown company',
      'PUT',
      mappingPath('accounts', 'A2'),
      { companyId: 'c0ffee' },
      404,
      'No company found with id: c0ffee',
    ],
    [
      "another partner's company",
      'PUT',
      mappingPath('accounts', 'A2'),
      { companyId: foreignCompanyId },
      404,
      `No company found with id: ${foreignCompanyId}`,
    ],
    [
      'company as a product',
      'PUT',
      mappingPath('services', skuId),
      { productId: companyId },
      404,
      `No product found with id: ${companyId}`,
    ],
    [
      'unknown account',
      'PUT',
      mappingPath('accounts', 'ZZ'),
      { companyId },
      404,
      'No account found with id: ZZ',
    ],
    [
      'unknown account delete',
      'DELETE',
      mappingPath('accounts', 'ZZ'),
      undefined,
      404,
      'No account found with id: ZZ',
    ],
    [
      'unknown service',
      'PUT',
      mappingPath('services', 'nope'),
      { productId },
      404,
      'No service found with id: nope',
    ],
    [
      'unknown integration',
      'PUT',
      mappingPath('accounts', 'A2', 'ffffffffffffffffffffffff'),
      { companyId },
      404,
      'No integration found with id: ffffffffffffffffffffffff',
    ],
  ];
  const revision = (await t.store.getBuildState(f.integrationId))?.revision;
  for (const [name, method, path, body, status, message] of cases) {
    const response = await partner(method, path, body);
    assert.equal(response.status, status, name);
    assert.deepEqual(
      response.body,
      { statusCode: status, message, error: status === 400 ? 'Bad Request' : 'Not Found' },
      name,
    );
  }
  // Nothing refused was written or scheduled.
  assert.equal(await t.store.getMapping(f.integrationId, 'account', 'A2'), undefined);
  assert.equal((await t.store.getBuildState(f.integrationId))?.revision, revision);
});

test("a partner cannot see or change another partner's integration", async () => {
  await partner('PUT', mappingPath('accounts', 'A2'), { companyId });
  const notFound = {
    statusCode: 404,
    message: `No integration found with id: ${f.integrationId}`,
    error: 'Not Found',
  };
  const attempts: [string, string, unknown][] = [
    ['GET', `/${f.integrationId}/accounts`, undefined],
    ['GET', `/${f.integrationId}/services`, undefined],
    ['PUT', mappingPath('accounts', 'A2'), { companyId: foreignCompanyId }],
    ['PUT', mappingPath('accounts', 'A2'), { excluded: true }],
    ['DELETE', mappingPath('accounts', 'A2'), undefined],
    ['PUT', mappingPath('services', skuId), { excluded: true }],
    ['DELETE', mappingPath('services', skuId), undefined],
  ];
  for (const [method, path, body] of attempts) {
    const response = await partner(method, path, body, other.partnerToken);
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.deepEqual(response.body, notFound);
  }
  const mapping = await t.store.getMapping(f.integrationId, 'account', 'A2');
  assert.equal(mapping?.targetId, companyId);
  assert.equal((await t.store.getMapping(f.integrationId, 'service', skuId))?.targetId, productId);
});

test('the integration routes need a valid partner bearer token', async () => {
  const unauthorized = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };
  const routes: [string, string, unknown][] = [
    ['GET', '', undefined],
    ['GET', `/${f.integrationId}/accounts`, undefined],
    ['GET', `/${f.integrationId}/services`, undefined],
    ['PUT', mappingPath('accounts', 'A1'), { companyId }],
    ['DELETE', mappingPath('accounts', 'A1'), undefined],
    ['PUT', mappingPath('services', skuId), { productId }],
    ['DELETE', mappingPath('services', skuId), undefined],
  ];
  for (const bearer of [undefined, 'partnerToken_guess', f.partnerKey]) {
    for (const [method, path, body] of routes) {
      const response = await call(t.baseUrl, method, `/api/partner/integrations${path}`, { bearer, body });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.deepEqual(response.body, unauthorized);
    }
  }
});
