/**
 * Every list route answers a bounded page as the same bare array as before, with the cursor of the
 * next page in X-Next-Cursor (and Link); following the cursors yields every row exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_PAGE_SIZE } from '../../src/core/limits/input-limits.js';
import { RELAXED_GUARD } from '../support/auth-cases.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

let t: TestServer;
let f: Fixture;
const COMPANIES = MAX_PAGE_SIZE * 2 + 345;

before(async () => {
  t = await startServer({ config: { ...RELAXED_GUARD, bodyLimitBytes: 8 * 1024 * 1024 } });
  f = await seedIntegration(t.server);
  const nowMs = t.server.ctx.clock.nowMs();
  await t.store.insertCompanies(
    Array.from({ length: COMPANIES }, (_, i) => ({
      id: `c${String(i).padStart(6, '0')}`,
      partnerId: f.partnerId,
      name: `Company ${i}`,
      createdAtMs: nowMs,
    })),
  );
  await t.store.insertProducts(
    Array.from({ length: 25 }, (_, i) => ({
      id: `p${String(i).padStart(3, '0')}`,
      partnerId: f.partnerId,
      name: `Product ${String(i).padStart(3, '0')}`,
      unitPriceMicros: 1_000_000,
      unitCostMicros: 0,
      createdAtMs: nowMs,
    })),
  );
});
after(() => t.close());

/** Follows X-Next-Cursor from `path` and returns every page's rows and the page sizes. */
async function walk(path: string, auth: { bearer?: string; token?: string }) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let next: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = next === null ? path : `${path}${separator}after=${encodeURIComponent(next)}`;
    const page = await call(t.baseUrl, 'GET', url, auth);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok(Array.isArray(page.body), 'a page is a bare array');
    ids.push(...page.body.map((row: { id: string }) => row.id));
    sizes.push(page.body.length);
    next = page.headers.get('x-next-cursor');
    if (next !== null) assert.match(page.headers.get('link') ?? '', /rel="next"/);
  } while (next !== null);
  return { ids, sizes };
}

test(`companies come ${MAX_PAGE_SIZE} at a time by default, every one exactly once`, async () => {
  const { ids, sizes } = await walk('/api/partner/psa/companies', { bearer: f.partnerToken });
  assert.deepEqual(sizes, [MAX_PAGE_SIZE, MAX_PAGE_SIZE, 345]);
  assert.equal(new Set(ids).size, COMPANIES);
  assert.deepEqual(ids, [...ids].sort());
  const small = await walk('/api/partner/psa/companies?limit=999', { bearer: f.partnerToken });
  assert.equal(small.sizes.length, 3);
  assert.equal(new Set(small.ids).size, COMPANIES);
});

test('products and the vendor’s own lists page the same way', async () => {
  const products = await walk('/api/partner/psa/products?limit=10', { bearer: f.partnerToken });
  assert.deepEqual(products.sizes, [10, 10, 5]);
  assert.equal(new Set(products.ids).size, 25);
  const created = await call(t.baseUrl, 'POST', '/api/vendor-api/organization/accounts', {
    token: f.token,
    body: Array.from({ length: 30 }, (_, i) => ({ id: i, name: `A${i}` })),
  });
  assert.equal(created.status, 201);
  const accounts = await walk('/api/vendor-api/organization/accounts?limit=7', { token: f.token });
  assert.deepEqual(accounts.sizes, [7, 7, 7, 7, 2]);
  assert.equal(new Set(accounts.ids).size, 30);
  const partnerSide = await walk(`/api/partner/integrations/${f.integrationId}/accounts?limit=20`, {
    bearer: f.partnerToken,
  });
  assert.deepEqual(partnerSide.sizes, [20, 10]);
});

test('a limit out of range or a cursor no list gave is a 400 in the error shape', async () => {
  for (const query of ['limit=0', `limit=${MAX_PAGE_SIZE + 1}`, 'limit=ten', 'limit=-1']) {
    const r = await call(t.baseUrl, 'GET', `/api/partner/psa/products?${query}`, { bearer: f.partnerToken });
    assert.equal(r.status, 400, query);
    assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode']);
  }
  const forged = await call(t.baseUrl, 'GET', '/api/partner/psa/products?after=nonsense', {
    bearer: f.partnerToken,
  });
  assert.equal(forged.status, 400);
  assert.equal(forged.body.message, 'after is not a cursor this list gave');
});
