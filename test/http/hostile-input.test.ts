/**
 * Single legal-looking values that used to break a tenant's whole board or the service: huge
 * quantities, bulk bodies past what one SQL statement binds, and ids longer than the router took.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setUnitCount } from '../../src/core/counts/set-unit-count.js';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_ID_LENGTH,
  MAX_ITEMS_PER_REQUEST,
  MAX_NAME_LENGTH,
  MAX_QUANTITY,
} from '../../src/core/limits/input-limits.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { RELAXED_GUARD } from '../support/auth-cases.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let w: World;

const vendor = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/vendor-api${path}`, { token: f.token, body });
const partner = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });
const flush = async () => assert.equal((await vendor('POST', '/billing/flush')).status, 200);

before(async () => {
  t = await startServer({ config: { ...RELAXED_GUARD, bodyLimitBytes: 8 * 1024 * 1024 } });
  f = await seedIntegration(t.server);
  w = await mappedWorld(t.server, f, { accounts: 3, services: 1 });
});
after(() => t.close());

const sku = () => w.skuIds[0] as string;

test('a count above the maximum quantity, or finer than millionths, is refused at the vendor door', async () => {
  for (const unitCount of [1e303, MAX_QUANTITY + 1, 1e22, 0.0000001, 1.1234567]) {
    const r = await sendCount(t.baseUrl, f, sku(), w.accountIds[0] as string, unitCount);
    assert.equal(r.status, 400, `${unitCount}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode']);
    assert.match(r.body.message, /^unitCount must/);
  }
  const atMax = await sendCount(t.baseUrl, f, sku(), w.accountIds[0] as string, MAX_QUANTITY);
  assert.equal(atMax.status, 201);
  const fine = await sendCount(t.baseUrl, f, sku(), w.accountIds[1] as string, 0.123456);
  assert.equal(fine.status, 201);
});

test('agreement lines, adjustments and imported lines take the same maximum', async () => {
  const agreement = await partner('POST', '/psa/agreements', { name: 'MSA', companyId: w.companyIds[0] });
  assert.equal(agreement.status, 201);
  const line = (quantity: number) =>
    partner('POST', '/psa/agreement-lines', {
      agreementId: agreement.body.id,
      productId: w.productIds[0],
      quantity,
    });
  for (const quantity of [1e308, MAX_QUANTITY * 10, 0.1234567]) {
    const r = await line(quantity);
    assert.equal(r.status, 400, `${quantity}: ${JSON.stringify(r.body)}`);
  }
  const created = await line(3);
  assert.equal(created.status, 201);
  const patched = await partner('PATCH', `/psa/agreement-lines/${created.body.id}`, { quantity: 1e308 });
  assert.equal(patched.status, 400);

  const adjust = await partner('POST', '/billing/actions', {
    period: '2026-11',
    action: 'adjust',
    cardIds: [`${w.companyIds[0]}.${w.productIds[0]}`],
    quantity: 1e308,
  });
  assert.equal(adjust.status, 400, JSON.stringify(adjust.body));

  const csv = `company,product,quantity\nCustomer 0,Product 0,1e308\nCustomer 0,Product 0,10000000000000\n`;
  const imported = await call(t.baseUrl, 'POST', '/api/partner/psa/import/lines', {
    bearer: f.partnerToken,
    raw: csv,
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(imported.status, 400, JSON.stringify(imported.body));
});

test('a stored count no door would take today leaves every other card on the board and in the export', async () => {
  const integration = await t.store.getIntegration(f.integrationId);
  assert.ok(integration);
  // As a count written before the limits existed: straight through the core, past the HTTP schema.
  await setUnitCount(
    t.server.ctx,
    { quietMs: 0, maxWaitMs: 0 },
    {
      integration,
      serviceId: sku(),
      account: { accountId: w.accountIds[2] as string },
      unitCount: 1e303,
      noBuild: false,
      requestId: 'old',
      idempotency: null,
    },
  );
  await flush();
  const board = await partner('GET', '/billing?period=2026-11&includeActioned=true');
  assert.equal(board.status, 200, JSON.stringify(board.body));
  const ids = board.body.cards.map((c: { companyId: string }) => c.companyId);
  for (const companyId of w.companyIds) assert.ok(ids.includes(companyId), `card of ${companyId} is missing`);

  const exported = await fetch(`${t.baseUrl}/api/partner/billing/export.csv?period=2026-11`, {
    headers: { authorization: `Bearer ${f.partnerToken}` },
  });
  assert.equal(exported.status, 200);
  const text = await exported.text();
  assert.ok(text.includes('Customer 1'), text);
  // The largest legal count prints in full: no exponent anywhere in the file.
  assert.ok(text.includes('1000000000000'), text);
  assert.doesNotMatch(text, /\d[eE][+-]?\d/);
});

test(`bulk creates and updates above ${MAX_ITEMS_PER_REQUEST} items answer 413; at the maximum they work`, async () => {
  const items = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, name: `N${i}` }));
  for (const path of ['/organization/accounts', '/organization/services']) {
    const tooMany = await vendor('POST', path, items(40_000, 'x'));
    assert.equal(tooMany.status, 413, JSON.stringify(tooMany.body).slice(0, 300));
    assert.match(tooMany.body.message, new RegExp(`At most ${MAX_ITEMS_PER_REQUEST} items`));
    const patchTooMany = await vendor('PATCH', path, items(MAX_ITEMS_PER_REQUEST + 1, 'x'));
    assert.equal(patchTooMany.status, 413);
  }
  const atMax = await vendor('POST', '/organization/accounts', items(MAX_ITEMS_PER_REQUEST, 'bulk-'));
  assert.equal(atMax.status, 201, JSON.stringify(atMax.body).slice(0, 300));
  assert.equal(atMax.body.length, MAX_ITEMS_PER_REQUEST);
  // Created again (accounts are idempotent), every id is read back in parts.
  const again = await vendor('POST', '/organization/accounts', items(MAX_ITEMS_PER_REQUEST, 'bulk-'));
  assert.equal(again.status, 201);
  const patched = await vendor(
    'PATCH',
    '/organization/accounts',
    items(MAX_ITEMS_PER_REQUEST, 'bulk-').map((i) => ({ id: i.id, isArrears: true })),
  );
  assert.equal(patched.status, 200);
  const listed = await t.store.listAccounts(
    f.integrationId,
    items(MAX_ITEMS_PER_REQUEST, 'bulk-').map((i) => i.id),
  );
  assert.equal(listed.length, MAX_ITEMS_PER_REQUEST);
  assert.ok(listed.every((a) => a.isArrears));
});

test(`an id of ${MAX_ID_LENGTH} characters works through every route that carries it`, async () => {
  const long = (c: string) => c.repeat(MAX_ID_LENGTH);
  const accountId = long('a');
  const serviceId = long('s');
  const enc = encodeURIComponent;
  // Ids the vendor chooses: created, updated, counted, alerted, mapped, all by the long id.
  assert.equal(
    (await vendor('POST', '/organization/accounts', [{ id: accountId, name: 'Long' }])).status,
    201,
  );
  assert.equal(
    (await vendor('POST', '/organization/services', [{ id: serviceId, name: 'Long' }])).status,
    201,
  );
  assert.equal(
    (await vendor('PATCH', `/organization/accounts/${accountId}`, { name: 'Longer' })).status,
    200,
  );
  assert.equal(
    (await vendor('PATCH', `/organization/services/${serviceId}`, { name: 'Longer' })).status,
    200,
  );
  const mapAccount = await partner('PUT', `/integrations/${f.integrationId}/accounts/${accountId}/mapping`, {
    companyId: w.companyIds[0],
  });
  assert.equal(mapAccount.status, 200, JSON.stringify(mapAccount.body));
  const mapService = await partner('PUT', `/integrations/${f.integrationId}/services/${serviceId}/mapping`, {
    productId: w.productIds[0],
  });
  assert.equal(mapService.status, 200, JSON.stringify(mapService.body));
  const counted = await vendor('POST', `/service/${serviceId}/count`, { accountId, unitCount: 4 });
  assert.equal(counted.status, 201, JSON.stringify(counted.body));
  const alert = await vendor('POST', `/alerting/${accountId}`, {
    title: 'Long',
    description: 'id',
    alertId: long('x'),
  });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
  const history = await partner('GET', `/integrations/${f.integrationId}/history?accountId=${accountId}`);
  assert.equal(history.status, 200);

  // Every route with an id in its path: a long id is a plain 400 or 404, never the router's 414.
  const multiByte = 'é'.repeat(MAX_ID_LENGTH);
  const paths: [string, string][] = [
    ['PATCH', `/api/vendor-api/organization/accounts/${enc(multiByte)}`],
    ['PATCH', `/api/vendor-api/organization/services/${enc(multiByte)}`],
    ['POST', `/api/vendor-api/alerting/${enc(multiByte)}`],
    ['GET', `/api/vendor-api/alerting/debug/${long('m')}`],
    ['GET', `/api/vendor-api/service/${long('k')}`],
    ['PATCH', `/api/vendor-api/service/${long('k')}`],
    ['POST', `/api/vendor-api/service/${enc(multiByte)}/count`],
    ['PUT', `/api/vendor-api/organization/status/${long('z')}`],
    ['GET', `/api/partner/integrations/${long('i')}/suggestions`],
    ['GET', `/api/partner/integrations/${long('i')}/history`],
    ['GET', `/api/partner/integrations/${long('i')}/accounts`],
    ['PUT', `/api/partner/integrations/${f.integrationId}/accounts/${enc(multiByte)}/mapping`],
    ['DELETE', `/api/partner/integrations/${f.integrationId}/services/${enc(multiByte)}/mapping`],
    ['PATCH', `/api/partner/psa/companies/${long('c')}`],
    ['DELETE', `/api/partner/psa/products/${long('p')}`],
    ['PATCH', `/api/partner/psa/agreements/${long('g')}`],
    ['DELETE', `/api/partner/psa/agreement-lines/${long('l')}`],
    ['GET', `/api/partner/billing/cards/${long('c')}/history`],
    ['POST', `/api/partner/psa/import/${long('k')}`],
    ['DELETE', `/api/partner/integrations/${long('i')}`],
  ];
  for (const [method, path] of paths) {
    const r = await call(t.baseUrl, method, path, {
      token: f.token,
      bearer: path.startsWith('/api/partner') ? f.partnerToken : undefined,
      body: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    assert.ok(r.status === 400 || r.status === 404, `${method} ${path.slice(0, 60)}…: ${r.status}`);
    assert.equal(r.body.statusCode, r.status);
  }
  // Past the maximum the schema names the limit instead.
  const over = await vendor('PATCH', `/organization/accounts/${'a'.repeat(MAX_ID_LENGTH + 1)}`, {
    name: 'x',
  });
  assert.equal(over.status, 400);
});

test('vendor, service and item names and descriptions are capped like the other text fields', async () => {
  const vendorOnly = (method: string, path: string, body: unknown) =>
    call(t.baseUrl, method, `/api/vendor-api${path}`, { token: f.vendorToken, body });
  const longName = 'n'.repeat(MAX_NAME_LENGTH + 1);
  const longText = 'd'.repeat(MAX_DESCRIPTION_LENGTH + 1);
  const refused: [string, string, unknown][] = [
    ['PATCH', '', { name: longName }],
    ['PATCH', '', { description: longText }],
    [
      'POST',
      '/service',
      { name: longName, description: '', category: 'backup', subcategory: 'cloud backup' },
    ],
    [
      'POST',
      '/service',
      { name: 'S', description: longText, category: 'backup', subcategory: 'cloud backup' },
    ],
  ];
  for (const [method, path, body] of refused) {
    const r = await vendorOnly(method, path, body);
    assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.message, /must NOT have more than \d+ characters/);
  }
  const item = await vendor('POST', '/organization/accounts', [{ id: 'capped', name: longName }]);
  assert.equal(item.status, 400);
  const atCap = await vendorOnly('PATCH', '', {
    name: 'n'.repeat(MAX_NAME_LENGTH),
    description: 'd'.repeat(MAX_DESCRIPTION_LENGTH),
  });
  assert.equal(atCap.status, 200);
  await assert.rejects(createVendor(t.server.ctx, { name: longName }), /name must be at most 200 characters/);
});
