import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

let t: TestServer;
let f: Fixture;
before(async () => {
  t = await startServer();
  f = await seedIntegration(t.server);
});
after(() => t.close());

test('a vendor syncs: service, account, mapping, count', async () => {
  const created = await call(t.baseUrl, 'POST', '/api/vendor-api/service', {
    token: f.vendorToken,
    body: { name: 'Backup', description: 'Cloud backup', category: 'backup', subcategory: 'cloud backup' },
  });
  assert.equal(created.status, 201);
  const sku = created.body.skus[0];
  assert.equal(sku._id, sku.id);
  assert.match(sku.id, /^[0-9a-f]{24}$/);
  const unmapped = await call(t.baseUrl, 'POST', `/api/vendor-api/service/${sku.id}/count`, {
    token: f.token,
    body: { accountId: 101, unitCount: 3 },
  });
  assert.equal(unmapped.status, 404);
  assert.deepEqual(unmapped.body, {
    statusCode: 404,
    message: 'No account map found with id: 101',
    error: 'Not Found',
  });
});
