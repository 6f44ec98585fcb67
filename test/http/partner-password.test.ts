import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { PASSWORD, addUser, signIn } from '../support/partner.js';

let t: TestServer;
let f: Fixture;
const EMAIL = 'owner@blue.example';
const NEW_PASSWORD = 'a much longer new secret';

before(async () => {
  t = await startServer();
  f = await seedIntegration(t.server);
  await addUser(t.server, f.partnerId, EMAIL);
});
after(() => t.close());

const change = (cookie: string | null, body: unknown, bearer?: string) =>
  call(t.baseUrl, 'POST', '/api/partner/session/password', {
    body,
    bearer,
    headers: cookie ? { cookie } : {},
  });
const whoAmI = (cookie: string) => call(t.baseUrl, 'GET', '/api/partner/session', { headers: { cookie } });

test('a wrong current password, a short new one or a bearer token change nothing', async () => {
  const cookie = await signIn(t.baseUrl, EMAIL);
  assert.deepEqual(
    (await change(cookie, { currentPassword: 'not it at all', newPassword: NEW_PASSWORD })).body,
    {
      statusCode: 403,
      message: 'The current password is not right',
      error: 'Forbidden',
    },
  );
  assert.deepEqual((await change(cookie, { currentPassword: PASSWORD, newPassword: 'short' })).body, {
    statusCode: 400,
    message: 'password must have at least 10 characters',
    error: 'Bad Request',
  });
  assert.equal((await change(cookie, { currentPassword: PASSWORD, newPassword: PASSWORD })).status, 400);
  assert.deepEqual(
    (await change(null, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, f.partnerToken)).body,
    { statusCode: 403, message: 'Sign in as a user to change a password', error: 'Forbidden' },
  );
  assert.equal((await change(null, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status, 401);
  await signIn(t.baseUrl, EMAIL, PASSWORD); // still the old password
});

test('changing the password keeps this session, ends the others, and the new password signs in', async () => {
  const here = await signIn(t.baseUrl, EMAIL);
  const elsewhere = await signIn(t.baseUrl, EMAIL);
  const changed = await change(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
  assert.equal(changed.status, 204);
  assert.equal((await whoAmI(here)).status, 200, 'this session stays');
  assert.equal((await whoAmI(elsewhere)).status, 401, 'other sessions end');
  const old = await call(t.baseUrl, 'POST', '/api/partner/session', {
    body: { email: EMAIL, password: PASSWORD },
  });
  assert.equal(old.status, 401);
  await signIn(t.baseUrl, EMAIL, NEW_PASSWORD);
});
