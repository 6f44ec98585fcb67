import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gradientToken } from '../../src/core/auth/keys.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { UNAUTHORIZED } from '../support/partner.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();
let vendor: { id: string; key: string };

const partner = (method: string, path: string, body?: unknown, bearer = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer, body });
const vendorApi = (method: string, path: string, token: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/vendor-api${path}`, { token, body });
const built = async () => {
  clock.advance(t.server.config.buildMaxWaitMs);
  await t.server.scheduler.idle();
};

before(async () => {
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  const created = await createVendor(t.server.ctx, {
    name: 'Woodgrove EDR',
    description: 'Endpoint security',
  });
  vendor = { id: created.vendor.id, key: created.vendorKey };
});
after(() => t.close());

test('a partner sees the vendors it can connect, and which are connected', async () => {
  const listed = await partner('GET', '/vendors');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body, [
    { id: f.vendorId, name: 'Acme Backup', description: '', connected: true },
    { id: other.vendorId, name: 'Other Vendor', description: '', connected: false },
    { id: vendor.id, name: 'Woodgrove EDR', description: 'Endpoint security', connected: false },
  ]);
});

test('connecting a vendor answers the partner key once, and the vendor syncs with it', async () => {
  const connected = await partner('POST', '/integrations', { vendorId: vendor.id });
  assert.equal(connected.status, 201);
  const { integrationId, partnerKey } = connected.body;
  assert.match(integrationId, /^[0-9a-f]{24}$/);
  assert.match(partnerKey, /^tpk_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(connected.body, {
    integrationId,
    partnerKey,
    tokenRecipe: `base64("<vendorKey>:${partnerKey}")`,
  });
  const organization = await vendorApi('GET', '/organization', gradientToken(vendor.key, partnerKey));
  assert.equal(organization.status, 200);
  assert.equal(
    (await partner('GET', '/vendors')).body.find((v: { id: string }) => v.id === vendor.id).connected,
    true,
  );

  assert.deepEqual((await partner('POST', '/integrations', { vendorId: vendor.id })).body, {
    statusCode: 409,
    message: 'Woodgrove EDR is already connected',
    error: 'Conflict',
  });
  assert.deepEqual((await partner('POST', '/integrations', { vendorId: 'nope' })).body, {
    statusCode: 404,
    message: 'No vendor found with id: nope',
    error: 'Not Found',
  });
  assert.deepEqual((await partner('POST', '/integrations', {})).body, {
    statusCode: 400,
    message: 'vendorId is required',
    error: 'Bad Request',
  });
});

test('rotating the key refuses the old one at once and keeps the accounts', async () => {
  const accounts = await vendorApi('POST', '/organization/accounts', f.token, [{ id: 'A1', name: 'Alpha' }]);
  assert.equal(accounts.status, 201);
  const rotated = await partner('POST', `/integrations/${f.integrationId}/rotate-key`);
  assert.equal(rotated.status, 200);
  const { partnerKey } = rotated.body;
  assert.deepEqual(rotated.body, { partnerKey, tokenRecipe: `base64("<vendorKey>:${partnerKey}")` });
  assert.equal((await vendorApi('GET', '/organization/accounts', f.token)).status, 401);
  const fresh = gradientToken(f.vendorKey, partnerKey);
  const listed = await vendorApi('GET', '/organization/accounts', fresh);
  assert.equal(listed.status, 200);
  assert.equal(listed.body.length, 1);
  f.token = fresh;
  f.partnerKey = partnerKey;
});

test('suggestions are exact, case-sensitive name matches of unmapped items, and accepting maps them', async () => {
  const sku = (
    await vendorApi('POST', '/service', f.vendorToken, {
      name: 'Backup',
      description: '',
      category: 'backup',
      subcategory: 'cloud backup',
    })
  ).body.skus.find((s: { name: string }) => s.name === 'Backup');
  await vendorApi('POST', '/organization/services', f.token, { id: 'org-1', name: 'Private plan' });
  await vendorApi('POST', '/organization/accounts', f.token, [
    { id: 'A2', name: 'Beta' },
    { id: 'A3', name: 'gamma' },
    { id: 'A4', name: 'Delta' },
  ]);
  const company = async (name: string, bearer = f.partnerToken) =>
    (await partner('POST', '/psa/companies', { name }, bearer)).body.id;
  const companyNamed = async (name: string) =>
    (await partner('GET', '/psa/companies')).body.find((c: { name: string }) => c.name === name);
  const alpha = await company('Alpha');
  const beta = await company('Beta');
  await company('Gamma');
  const delta = await company('Delta');
  await company('Beta', other.partnerToken);
  const backup = (await partner('POST', '/psa/products', { name: 'Backup' })).body.id;
  const plan = (await partner('POST', '/psa/products', { name: 'Private plan' })).body.id;
  await partner('PUT', `/integrations/${f.integrationId}/accounts/A4/mapping`, { excluded: true });

  const suggested = await partner('GET', `/integrations/${f.integrationId}/suggestions`);
  assert.equal(suggested.status, 200);
  assert.deepEqual(suggested.body, {
    accounts: [
      { accountId: 'A1', companyId: alpha },
      { accountId: 'A2', companyId: beta },
    ],
    services: [
      { serviceId: sku.id, productId: backup },
      { serviceId: 'org-1', productId: plan },
    ],
    // "gamma" is Gamma but for its case: a near match, offered with its score, never accepted by default.
    similar: {
      accounts: [
        {
          itemId: 'A3',
          itemName: 'gamma',
          targetId: (await companyNamed('Gamma')).id,
          targetName: 'Gamma',
          score: 1,
        },
      ],
      services: [],
    },
  });

  const stray = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`, {
    accounts: [{ accountId: 'A4', companyId: delta }],
  });
  assert.deepEqual(stray.body, {
    statusCode: 400,
    message: `Account A4 → ${delta} is not a current suggestion (already mapped, or the names differ)`,
    error: 'Bad Request',
  });
  const some = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`, {
    accounts: [{ accountId: 'A2', companyId: beta }],
    services: [],
  });
  assert.equal(some.status, 200);
  assert.deepEqual(some.body.mapped, { accounts: 1, services: 0 });
  assert.equal(some.body.billing.state, 'scheduled');
  const rest = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`);
  assert.deepEqual(rest.body.mapped, { accounts: 1, services: 2 });
  const accounts = (await partner('GET', `/integrations/${f.integrationId}/accounts`)).body;
  assert.deepEqual(
    accounts.map((a: { id: string; mapping: unknown }) => [a.id, a.mapping]),
    [
      ['A1', { companyId: alpha, excluded: false }],
      ['A2', { companyId: beta, excluded: false }],
      ['A3', null],
      ['A4', { companyId: null, excluded: true }],
    ],
  );
  assert.deepEqual((await partner('GET', `/integrations/${f.integrationId}/suggestions`)).body.accounts, []);
  assert.deepEqual((await partner('GET', `/integrations/${f.integrationId}/suggestions`)).body.services, []);
  assert.deepEqual((await partner('DELETE', `/psa/companies/${alpha}`)).body, {
    statusCode: 409,
    message: 'Company "Alpha" is mapped from 1 vendor account; remove those mappings first',
    error: 'Conflict',
  });
  assert.deepEqual((await partner('DELETE', `/psa/products/${backup}`)).body, {
    statusCode: 409,
    message: 'Product "Backup" is mapped from 1 vendor service; remove those mappings first',
    error: 'Conflict',
  });
});

test('disconnecting removes what the vendor sent but the history, refuses the vendor, and can be undone', async () => {
  const sku = (await partner('GET', `/integrations/${f.integrationId}/services`)).body.find(
    (s: { name: string }) => s.name === 'Backup',
  );
  assert.equal(
    (await vendorApi('POST', `/service/${sku.id}/count`, f.token, { accountId: 'A1', unitCount: 7 })).status,
    201,
  );
  assert.equal(
    (await vendorApi('POST', `/service/${sku.id}/count`, f.token, { accountId: 'A3', unitCount: 2 })).status,
    404,
  );
  await built();
  assert.equal((await partner('GET', '/billing')).body.cards.length, 1);

  clock.advance(1000);
  const gone = await partner('DELETE', `/integrations/${f.integrationId}`);
  assert.equal(gone.status, 200);
  assert.deepEqual(gone.body, {
    id: f.integrationId,
    status: 'inactive',
    disconnectedAt: new Date(clock.nowMs()).toISOString(),
    removed: { accounts: 4, services: 1, counts: 1, mappings: 5 },
  });
  assert.deepEqual(await t.store.listAccounts(f.integrationId), []);
  assert.deepEqual(await t.store.listCounts(f.integrationId), []);
  assert.deepEqual(await t.store.listWaiting(f.integrationId), []);
  assert.deepEqual(await t.store.listMappings(f.integrationId, 'account'), []);
  assert.equal((await t.store.listHistory(f.integrationId, { limit: 10 })).length, 1, 'history stays');
  assert.deepEqual((await partner('GET', '/billing')).body.cards, []);
  const refused = await vendorApi('GET', '/organization', f.token);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'This integration was disconnected by the partner');
  const listed = (await partner('GET', '/integrations')).body.find(
    (i: { id: string }) => i.id === f.integrationId,
  );
  assert.equal(listed.status, 'inactive');
  assert.equal(listed.disconnectedAt, gone.body.disconnectedAt);
  assert.equal(
    (await partner('GET', '/vendors')).body.find((v: { id: string }) => v.id === f.vendorId).connected,
    false,
  );
  assert.deepEqual((await partner('POST', `/integrations/${f.integrationId}/rotate-key`)).body, {
    statusCode: 409,
    message: 'This integration is disconnected; connect the vendor again to get a key',
    error: 'Conflict',
  });
  const twice = await partner('DELETE', `/integrations/${f.integrationId}`);
  assert.deepEqual(twice.body.removed, { accounts: 0, services: 0, counts: 0, mappings: 0 });
  assert.equal(twice.body.disconnectedAt, gone.body.disconnectedAt);

  const again = await partner('POST', '/integrations', { vendorId: f.vendorId });
  assert.equal(again.status, 201);
  assert.equal(again.body.integrationId, f.integrationId, 'the same integration comes back');
  assert.equal((await vendorApi('GET', '/organization', f.token)).status, 401, 'the old key stays retired');
  const token = gradientToken(f.vendorKey, again.body.partnerKey);
  assert.equal((await vendorApi('GET', '/organization', token)).status, 200);
  assert.deepEqual((await vendorApi('GET', '/organization/accounts', token)).body, []);
  const back = (await partner('GET', '/integrations')).body.find(
    (i: { id: string }) => i.id === f.integrationId,
  );
  assert.equal(back.disconnectedAt, null);
});

test("another partner's integrations answer 404, and every route needs a credential", async () => {
  const notFound = {
    statusCode: 404,
    message: `No integration found with id: ${other.integrationId}`,
    error: 'Not Found',
  };
  for (const [method, path] of [
    ['POST', `/integrations/${other.integrationId}/rotate-key`],
    ['DELETE', `/integrations/${other.integrationId}`],
    ['GET', `/integrations/${other.integrationId}/suggestions`],
    ['POST', `/integrations/${other.integrationId}/suggestions/accept`],
  ] as const) {
    assert.deepEqual((await partner(method, path)).body, notFound, `${method} ${path}`);
  }
  assert.equal(
    (await vendorApi('GET', '/organization', other.token)).status,
    200,
    'their vendor is untouched',
  );
  for (const [method, path] of [
    ['GET', '/vendors'],
    ['POST', '/integrations'],
    ['POST', `/integrations/${f.integrationId}/rotate-key`],
    ['DELETE', `/integrations/${f.integrationId}`],
    ['GET', `/integrations/${f.integrationId}/suggestions`],
    ['POST', `/integrations/${f.integrationId}/suggestions/accept`],
  ] as const) {
    const response = await call(t.baseUrl, method, `/api/partner${path}`, { bearer: 'tpt_wrong' });
    assert.deepEqual(response.body, UNAUTHORIZED, `${method} ${path}`);
  }
});
