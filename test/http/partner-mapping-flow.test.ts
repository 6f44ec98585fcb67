import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

let t: TestServer;
let f: Fixture;
const clock = new ManualClock();

const vendor = (method: string, path: string, body?: unknown, token = f.token) =>
  call(t.baseUrl, method, `/api/vendor-api${path}`, { token, body });
const partner = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });
const count = (serviceId: string, accountId: string, unitCount: number) =>
  vendor('POST', `/service/${serviceId}/count`, { accountId, unitCount });

before(async () => {
  t = await startServer({ clock });
  f = await seedIntegration(t.server);
});
after(() => t.close());

test('counts for unmapped items wait first in line until the partner maps them', async () => {
  const skuIds: string[] = [];
  for (const name of ['Archive', 'Backup']) {
    const created = await vendor(
      'POST',
      '/service',
      { name, description: '', category: 'backup', subcategory: 'cloud backup' },
      f.vendorToken,
    );
    skuIds.push(created.body.skus.find((s: { name: string }) => s.name === name).id);
  }
  const [quietSku, countedSku] = skuIds as [string, string];
  const accounts = await vendor('POST', '/organization/accounts', [
    { id: 100, name: 'Quiet customer' },
    { id: 200, name: 'Busy customer' },
  ]);
  assert.equal(accounts.status, 201);

  const refused = await count(countedSku, '200', 12);
  assert.equal(refused.status, 404);
  assert.deepEqual(refused.body, {
    statusCode: 404,
    message: 'No account map found with id: 200',
    error: 'Not Found',
  });
  const waiting = {
    accountId: '200',
    serviceId: countedSku,
    unitCount: 12,
    reason: 'account_unmapped',
    attempts: 1,
    lastAttemptAt: new Date(clock.nowMs()).toISOString(),
    olderThanPeriod: false,
  };
  const listedAccounts = await partner('GET', `/integrations/${f.integrationId}/accounts`);
  assert.deepEqual(
    listedAccounts.body.map((a: { id: string; waiting: unknown[] }) => [a.id, a.waiting]),
    [
      ['200', [waiting]],
      ['100', []],
    ],
  );
  const listedServices = await partner('GET', `/integrations/${f.integrationId}/services`);
  assert.equal(listedServices.body[0].id, countedSku);
  assert.deepEqual(listedServices.body[0].waiting, [waiting]);
  assert.deepEqual(listedServices.body[1].id, quietSku);

  const companyId = (await partner('POST', '/psa/companies', { name: 'Busy Ltd' })).body.id;
  const productId = (await partner('POST', '/psa/products', { name: 'Backup seat', unitPrice: '4.5' })).body
    .id;
  const accountMapped = await partner('PUT', `/integrations/${f.integrationId}/accounts/200/mapping`, {
    companyId,
  });
  assert.equal(accountMapped.status, 200);

  clock.advance(10);
  const stillRefused = await count(countedSku, '200', 13);
  assert.equal(stillRefused.status, 404);
  assert.equal(stillRefused.body.message, `No service map found with id: ${countedSku}`);
  const services = await partner('GET', `/integrations/${f.integrationId}/services`);
  assert.deepEqual(services.body[0].waiting, [
    {
      ...waiting,
      unitCount: 13,
      reason: 'service_unmapped',
      attempts: 2,
      lastAttemptAt: new Date(clock.nowMs()).toISOString(),
    },
  ]);

  const serviceMapped = await partner(
    'PUT',
    `/integrations/${f.integrationId}/services/${countedSku}/mapping`,
    {
      productId,
    },
  );
  assert.equal(serviceMapped.status, 200);
  const accepted = await count(countedSku, '200', 14);
  assert.equal(accepted.status, 201);
  assert.equal(accepted.body.data.unitCount, 14);

  const afterAccounts = await partner('GET', `/integrations/${f.integrationId}/accounts`);
  assert.deepEqual(
    afterAccounts.body.map((a: { id: string; waiting: unknown[] }) => [a.id, a.waiting]),
    [
      ['100', []],
      ['200', []],
    ],
  );
  const afterServices = await partner('GET', `/integrations/${f.integrationId}/services`);
  assert.ok(afterServices.body.every((s: { waiting: unknown[] }) => s.waiting.length === 0));
  assert.deepEqual(await t.store.listWaiting(f.integrationId), []);
});

test('excluding an item forgets what was waiting for it and keeps it from waiting again', async () => {
  const created = await vendor(
    'POST',
    '/service',
    { name: 'Legacy', description: '', category: 'other', subcategory: 'other' },
    f.vendorToken,
  );
  const skuId = created.body.skus.find((s: { name: string }) => s.name === 'Legacy').id;
  await vendor('POST', '/organization/accounts', { id: 'X', name: 'Internal' });
  assert.equal((await count(skuId, 'X', 1)).status, 404);
  const accounts = await partner('GET', `/integrations/${f.integrationId}/accounts`);
  assert.equal(accounts.body[0].id, 'X');
  assert.equal(accounts.body[0].waiting.length, 1);

  const excluded = await partner('PUT', `/integrations/${f.integrationId}/accounts/X/mapping`, {
    excluded: true,
  });
  assert.equal(excluded.status, 200);
  const refused = await count(skuId, 'X', 2);
  assert.equal(refused.status, 404);
  assert.equal(refused.body.message, 'No account map found with id: X');
  const after = await partner('GET', `/integrations/${f.integrationId}/accounts`);
  const row = after.body.find((a: { id: string }) => a.id === 'X');
  assert.deepEqual(row.waiting, []);
  assert.deepEqual(row.mapping, { companyId: null, excluded: true });
});
