import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();

const post = (path: string, body: unknown, bearer = f.partnerToken) =>
  call(t.baseUrl, 'POST', `/api/partner/psa/${path}`, { bearer, body });
const get = (path: string, bearer = f.partnerToken) =>
  call(t.baseUrl, 'GET', `/api/partner/psa/${path}`, { bearer });

before(async () => {
  t = await startServer({ clock });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
});
after(() => t.close());

test('a partner creates and lists its companies', async () => {
  const created = await post('companies', { name: '  Contoso Ltd ' });
  assert.equal(created.status, 201);
  assert.match(created.body.id, OBJECT_ID);
  assert.deepEqual(created.body, {
    id: created.body.id,
    name: 'Contoso Ltd',
    createdAt: new Date(clock.nowMs()).toISOString(),
    source: 'tally',
    externalId: null,
  });
  const second = await post('companies', { name: 'Fabrikam' });
  await post('companies', { name: 'Not yours' }, other.partnerToken);

  const listed = await get('companies');
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body,
    [created.body, second.body].sort((a, b) => a.id.localeCompare(b.id)),
  );
});

test('product prices are kept exactly, in micros', async () => {
  const created = await post('products', { name: 'Backup seat', unitPrice: 12.34, unitCost: '0.100001' });
  assert.equal(created.status, 201);
  assert.match(created.body.id, OBJECT_ID);
  assert.deepEqual(created.body, {
    id: created.body.id,
    name: 'Backup seat',
    unitPrice: 12.34,
    unitCost: 0.100001,
    createdAt: new Date(clock.nowMs()).toISOString(),
    source: 'tally',
    externalId: null,
  });
  const stored = await t.store.getProduct(f.partnerId, created.body.id);
  assert.equal(stored?.unitPriceMicros, 12_340_000);
  assert.equal(stored?.unitCostMicros, 100_001);

  const free = await post('products', { name: 'Archive seat' });
  assert.equal(free.body.unitPrice, 0);
  assert.equal(free.body.unitCost, 0);
  const tiny = await post('products', { name: 'Metered GB', unitPrice: 0.000001, unitCost: '1.500000' });
  assert.equal(tiny.status, 201);
  assert.equal((await t.store.getProduct(f.partnerId, tiny.body.id))?.unitPriceMicros, 1);
  assert.equal((await t.store.getProduct(f.partnerId, tiny.body.id))?.unitCostMicros, 1_500_000);

  await post('products', { name: 'Hidden' }, other.partnerToken);
  const listed = await get('products');
  assert.deepEqual(
    listed.body.map((p: { name: string }) => p.name),
    ['Archive seat', 'Backup seat', 'Metered GB'],
  );
});

test('bad PSA inputs are refused with a message naming the field', async () => {
  const cases: [string, string, unknown, string][] = [
    ['company without name', 'companies', {}, 'name is required'],
    ['company with empty name', 'companies', { name: '' }, 'name must NOT have fewer than 1 characters'],
    ['company with blank name', 'companies', { name: '   ' }, 'name must not be blank'],
    ['company with numeric name', 'companies', { name: 5 }, 'name must be a string'],
    ['company with extra field', 'companies', { name: 'x', id: 'y' }, 'body has an unknown property: id'],
    ['negative price', 'products', { name: 'x', unitPrice: -1 }, 'unitPrice must not be negative'],
    ['negative price text', 'products', { name: 'x', unitPrice: '-1' }, 'unitPrice must not be negative'],
    [
      'seven decimals',
      'products',
      { name: 'x', unitPrice: 1.1234567 },
      'unitPrice must have at most 6 decimals',
    ],
    ['tiny number', 'products', { name: 'x', unitCost: 1e-7 }, 'unitCost must have at most 6 decimals'],
    [
      'seven decimals as text',
      'products',
      { name: 'x', unitCost: '0.0000001' },
      'unitCost must have at most 6 decimals',
    ],
    [
      'not an amount',
      'products',
      { name: 'x', unitCost: '12,50' },
      'unitCost must be a decimal amount such as 12.50',
    ],
    ['huge number', 'products', { name: 'x', unitPrice: 1e21 }, 'unitPrice is too large'],
    ['beyond exact', 'products', { name: 'x', unitPrice: '10000000000' }, 'unitPrice is too large'],
    [
      'price as boolean',
      'products',
      { name: 'x', unitPrice: true },
      'unitPrice must be a number or a string',
    ],
    ['product without name', 'products', { unitPrice: 1 }, 'name is required'],
  ];
  const before = (await get('products')).body.length;
  for (const [name, path, body, message] of cases) {
    const response = await post(path, body);
    assert.equal(response.status, 400, name);
    assert.deepEqual(response.body, { statusCode: 400, message, error: 'Bad Request' }, name);
  }
  assert.equal((await get('products')).body.length, before);
});

test('the PSA routes need a valid partner bearer token', async () => {
  const unauthorized = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };
  for (const bearer of [undefined, 'partnerToken_nope', f.vendorKey]) {
    for (const [method, path] of [
      ['GET', 'companies'],
      ['POST', 'companies'],
      ['GET', 'products'],
      ['POST', 'products'],
    ] as const) {
      const response = await call(t.baseUrl, method, `/api/partner/psa/${path}`, {
        bearer,
        ...(method === 'POST' && { body: { name: 'x' } }),
      });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.deepEqual(response.body, unauthorized);
    }
  }
  const wrongScheme = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', {
    headers: { authorization: `Basic ${f.partnerToken}` },
  });
  assert.equal(wrongScheme.status, 401);
});
