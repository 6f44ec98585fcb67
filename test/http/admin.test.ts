import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gradientToken } from '../../src/core/auth/keys.js';
import { call, startServer, type TestServer } from '../support/harness.js';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
let t: TestServer;
before(async () => {
  t = await startServer({ config: { adminToken: ADMIN_TOKEN } });
});
after(() => t.close());

const admin = (method: string, path: string, body?: unknown, bearer = ADMIN_TOKEN) =>
  call(t.baseUrl, method, `/api/admin${path}`, { bearer, body });

test('an operator registers a vendor and a partner with its user, connects them, and the keys work', async () => {
  const vendor = await admin('POST', '/vendors', { name: 'Fabrikam Backup', description: 'Backups' });
  assert.equal(vendor.status, 201);
  assert.match(vendor.body.vendorId, /^[0-9a-f]{24}$/);
  const partner = await admin('POST', '/partners', { name: 'Litware MSP', userEmail: 'ops@litware.example' });
  assert.equal(partner.status, 201);
  assert.equal(partner.body.user.email, 'ops@litware.example');
  assert.ok(partner.body.user.password.length >= 12, 'a generated password is answered once');
  const connected = await admin('POST', '/integrations', {
    vendorId: vendor.body.vendorId,
    partnerId: partner.body.partnerId,
  });
  assert.equal(connected.status, 201);

  const token = gradientToken(vendor.body.vendorKey, connected.body.partnerKey);
  const org = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token });
  assert.equal(org.status, 200);
  assert.equal(org.body.name, 'Litware MSP');
  const listed = await call(t.baseUrl, 'GET', '/api/partner/integrations', {
    bearer: partner.body.partnerToken,
  });
  assert.equal(listed.body[0].vendorName, 'Fabrikam Backup');
  const session = await call(t.baseUrl, 'POST', '/api/partner/session', {
    body: { email: 'ops@litware.example', password: partner.body.user.password },
  });
  assert.equal(session.status, 200);

  assert.deepEqual(
    (await admin('GET', '/vendors')).body.map((v: { name: string }) => v.name),
    ['Fabrikam Backup'],
  );
  assert.deepEqual(
    (await admin('GET', '/partners')).body.map((p: { name: string }) => p.name),
    ['Litware MSP'],
  );
  const again = await admin('POST', '/integrations', {
    vendorId: vendor.body.vendorId,
    partnerId: partner.body.partnerId,
  });
  assert.equal(again.status, 409);

  const rotated = await admin('POST', `/vendors/${vendor.body.vendorId}/rotate-key`);
  assert.equal(rotated.status, 200);
  assert.equal(
    (await call(t.baseUrl, 'GET', '/api/vendor-api', { token })).status,
    401,
    'the old key is refused',
  );
  const fresh = gradientToken(rotated.body.vendorKey, connected.body.partnerKey);
  assert.equal((await call(t.baseUrl, 'GET', '/api/vendor-api', { token: fresh })).status, 200);
});

test('the configuration is shown with its secrets masked', async () => {
  const config = await admin('GET', '/config');
  assert.equal(config.status, 200);
  assert.equal(config.body.adminToken, '***');
  assert.equal(config.body.rateLimitPerSecond, 100);
});

test('a wrong, missing or non-bearer token is a 401; bad bodies are 400s; unknown ids 404s', async () => {
  assert.deepEqual((await admin('GET', '/vendors', undefined, 'operator-token-0123456789abcdeX')).body, {
    statusCode: 401,
    message: 'Unauthorized',
    error: 'Unauthorized',
  });
  assert.equal((await call(t.baseUrl, 'GET', '/api/admin/vendors')).status, 401);
  assert.equal(
    (
      await call(t.baseUrl, 'GET', '/api/admin/vendors', {
        headers: { authorization: `Basic ${ADMIN_TOKEN}` },
      })
    ).status,
    401,
  );
  assert.deepEqual((await admin('POST', '/vendors', { name: '' })).body, {
    statusCode: 400,
    message: 'name must NOT have fewer than 1 characters',
    error: 'Bad Request',
  });
  assert.equal((await admin('POST', '/integrations', { vendorId: 'nope', partnerId: 'nope' })).status, 404);
  assert.equal((await admin('POST', '/vendors/nope/rotate-key')).status, 404);
});

test('without TALLY_ADMIN_TOKEN the admin API is off', async () => {
  const off = await startServer();
  try {
    const r = await call(off.baseUrl, 'GET', '/api/admin/vendors', { bearer: 'anything-at-all-here' });
    assert.deepEqual(r.body, {
      statusCode: 404,
      message: 'The admin API is off; set TALLY_ADMIN_TOKEN to turn it on',
      error: 'Not Found',
    });
  } finally {
    await off.close();
  }
});

test('a partner whose first user cannot be created is not created either', async () => {
  const before = (await admin('GET', '/partners')).body.length;
  const badEmail = await admin('POST', '/partners', { name: 'Half MSP', userEmail: 'not-an-email' });
  assert.equal(badEmail.status, 400);
  assert.match(badEmail.body.message, /email must be an email address/);
  await admin('POST', '/partners', { name: 'First MSP', userEmail: 'taken@first.example' });
  const taken = await admin('POST', '/partners', { name: 'Second MSP', userEmail: 'taken@first.example' });
  assert.equal(taken.status, 409);
  const names = (await admin('GET', '/partners')).body.map((p: { name: string }) => p.name);
  assert.equal(names.length, before + 1, 'only the partner whose user was created exists');
  assert.ok(!names.includes('Half MSP') && !names.includes('Second MSP'));
});
