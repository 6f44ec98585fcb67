import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

let t: TestServer;
let f: Fixture;
const partner = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });
const vendor = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/vendor-api${path}`, { token: f.token, body });
const ids = new Map<string, string>();

before(async () => {
  t = await startServer();
  f = await seedIntegration(t.server);
  for (const name of ['Fabrikam, Inc.', 'Smith and Sons', 'Northwind Traders', 'Contoso', 'Contoso Ltd']) {
    ids.set(name, (await partner('POST', '/psa/companies', { name })).body.id);
  }
  await vendor('POST', '/organization/accounts', [
    { id: 'V1', name: 'FABRIKAM LLC' },
    { id: 'V2', name: 'Smith & Sons GmbH' },
    { id: 'V3', name: 'Northwind Trader' },
    { id: 'V4', name: 'Tailspin Toys' },
    { id: 'V5', name: 'Contoso Corp' },
  ]);
});
after(() => t.close());

test('near matches come with a score, best first, above the threshold, and ties suggest nothing', async () => {
  const { body } = await partner('GET', `/integrations/${f.integrationId}/suggestions`);
  assert.deepEqual(body.accounts, [], 'no exact names');
  assert.deepEqual(
    body.similar.accounts.map((m: { itemId: string; targetName: string; score: number }) => [
      m.itemId,
      m.targetName,
      m.score,
    ]),
    [
      ['V1', 'Fabrikam, Inc.', 1],
      ['V2', 'Smith and Sons', 1],
      ['V3', 'Northwind Traders', 0.97],
    ],
  );
  // Contoso and Contoso Ltd both normalise to "contoso": ambiguous, so V5 gets no suggestion.
  const strict = await partner('GET', `/integrations/${f.integrationId}/suggestions?minScore=0.99`);
  assert.deepEqual(
    strict.body.similar.accounts.map((m: { itemId: string }) => m.itemId),
    ['V1', 'V2'],
  );
});

test('accept-all never takes a near match; naming them accepts them in bulk', async () => {
  const all = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`);
  assert.deepEqual(all.body.mapped, { accounts: 0, services: 0 });
  const picked = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`, {
    accounts: [
      { accountId: 'V1', companyId: ids.get('Fabrikam, Inc.') },
      { accountId: 'V3', companyId: ids.get('Northwind Traders') },
    ],
  });
  assert.equal(picked.status, 200);
  assert.deepEqual(picked.body.mapped, { accounts: 2, services: 0 });
  const accounts = (await partner('GET', `/integrations/${f.integrationId}/accounts`)).body;
  const mappedTo = (id: string) => accounts.find((a: { id: string }) => a.id === id).mapping?.companyId;
  assert.equal(mappedTo('V1'), ids.get('Fabrikam, Inc.'));
  assert.equal(mappedTo('V3'), ids.get('Northwind Traders'));
  const wrong = await partner('POST', `/integrations/${f.integrationId}/suggestions/accept`, {
    accounts: [{ accountId: 'V4', companyId: ids.get('Contoso') }],
  });
  assert.equal(wrong.status, 400);
});

test('suggestions page over the unmapped items: every item is looked at once, in pages of limit', async () => {
  const page = await startServer();
  try {
    const g = await seedIntegration(page.server);
    const names = Array.from({ length: 25 }, (_, i) => `Customer ${String(i).padStart(2, '0')}`);
    await page.store.insertCompanies(
      names.map((name, i) => ({ id: `co${i}`, partnerId: g.partnerId, name, createdAtMs: 0 })),
    );
    // Exact names for the first 25 accounts; near names ("… Inc") for 10 more.
    await call(page.baseUrl, 'POST', '/api/vendor-api/organization/accounts', {
      token: g.token,
      body: [
        ...names.map((name, i) => ({ id: `x${String(i).padStart(2, '0')}`, name })),
        ...names.slice(0, 10).map((name, i) => ({ id: `y${i}`, name: `${name} Inc` })),
      ],
    });
    const exact: string[] = [];
    const near: string[] = [];
    let path = `/api/partner/integrations/${g.integrationId}/suggestions?limit=7`;
    let pages = 0;
    for (;;) {
      const r = await call(page.baseUrl, 'GET', path, { bearer: g.partnerToken });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pages++;
      assert.ok(r.body.accounts.length + r.body.similar.accounts.length <= 7);
      exact.push(...r.body.accounts.map((a: { accountId: string }) => a.accountId));
      near.push(...r.body.similar.accounts.map((m: { itemId: string }) => m.itemId));
      const next = r.headers.get('x-next-cursor');
      if (next === null) break;
      path = `/api/partner/integrations/${g.integrationId}/suggestions?limit=7&after=${next}`;
    }
    assert.equal(pages, 5, '35 items, 7 a page');
    assert.equal(new Set(exact).size, 25);
    assert.equal(exact.length, 25, 'no item twice');
    assert.deepEqual(near.sort(), Array.from({ length: 10 }, (_, i) => `y${i}`).sort());
    const tooMany = await call(
      page.baseUrl,
      'GET',
      `/api/partner/integrations/${g.integrationId}/suggestions?limit=5000`,
      { bearer: g.partnerToken },
    );
    assert.equal(tooMany.status, 400);
  } finally {
    await page.close();
  }
});
