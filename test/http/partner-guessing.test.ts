/**
 * Credential guessing and session edges on the partner and admin side: parallel password guesses,
 * wrong bearer tokens, sign-in and sign-out from another site, and event streams whose session ended.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterEach, test } from 'node:test';
import { call, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { PASSWORD, addUser, signIn } from '../support/partner.js';

const LIMIT = 10;
const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const servers: TestServer[] = [];
afterEach(async () => {
  for (const t of servers.splice(0)) await t.close();
});
const start = async () => {
  const t = await startServer({ config: { authFailureLimit: LIMIT, adminToken: ADMIN_TOKEN } });
  servers.push(t);
  return t;
};

test('parallel wrong passwords from one address: no more than the limit are ever checked', async () => {
  const t = await start();
  const f = await seedIntegration(t.server);
  await addUser(t.server, f.partnerId, 'owner@blue.example');
  const guesses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      call(t.baseUrl, 'POST', '/api/partner/session', {
        body: { email: 'owner@blue.example', password: `guess number ${i}` },
      }),
    ),
  );
  const statuses = guesses.map((g) => g.status);
  assert.ok(
    statuses.every((s) => s === 401 || s === 403),
    statuses.join(','),
  );
  assert.ok(statuses.filter((s) => s === 401).length <= LIMIT, statuses.join(','));
  // The address is blocked now, even for the right password.
  const right = await call(t.baseUrl, 'POST', '/api/partner/session', {
    body: { email: 'owner@blue.example', password: PASSWORD },
  });
  assert.equal(right.status, 403);
});

test('wrong partner bearer tokens block the address, valid token included', async () => {
  const t = await start();
  const f = await seedIntegration(t.server);
  for (let i = 0; i < LIMIT; i++) {
    const r = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', { bearer: `tpt_guess_${i}` });
    assert.equal(r.status, 401);
  }
  const valid = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', { bearer: f.partnerToken });
  assert.equal(valid.status, 403);
  assert.equal(valid.body.message, 'Too many failed authentications from this address; try again later');
});

test('wrong admin tokens block the address, valid token included', async () => {
  const t = await start();
  for (let i = 0; i < LIMIT; i++) {
    const r = await call(t.baseUrl, 'GET', '/api/admin/vendors', { bearer: `guess-${i}` });
    assert.equal(r.status, 401);
  }
  const valid = await call(t.baseUrl, 'GET', '/api/admin/vendors', { bearer: ADMIN_TOKEN });
  assert.equal(valid.status, 403);
});

test('sign-in and sign-out from another site are refused like any cookie write', async () => {
  const t = await start();
  const f = await seedIntegration(t.server);
  await addUser(t.server, f.partnerId, 'owner@blue.example');
  const crossSite = await call(t.baseUrl, 'POST', '/api/partner/session', {
    raw: JSON.stringify({ email: 'owner@blue.example', password: PASSWORD }),
    headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
  });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.headers.get('set-cookie'), null);
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  const signOutElsewhere = await call(t.baseUrl, 'DELETE', '/api/partner/session', {
    headers: { cookie, origin: 'https://evil.example' },
  });
  assert.equal(signOutElsewhere.status, 403);
  const stillIn = await call(t.baseUrl, 'GET', '/api/partner/session', { headers: { cookie } });
  assert.equal(stillIn.status, 200);
  const sameSite = await call(t.baseUrl, 'DELETE', '/api/partner/session', {
    headers: { cookie, origin: t.baseUrl },
  });
  assert.equal(sameSite.status, 204);
});

/** Opens the event stream with a cookie; resolves `closed` when the server ends it. */
function openStream(baseUrl: string, cookie: string): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}/api/partner/events`, { headers: { cookie } }, (res) => {
      assert.equal(res.statusCode, 200);
      res.resume();
      resolve({ closed: new Promise((done) => res.on('close', () => done())) });
    });
    req.on('error', reject);
    req.end();
  });
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref()),
  ]);

test('an event stream ends when its session ends: sign-out, or a password change elsewhere', async () => {
  const t = await start();
  const f = await seedIntegration(t.server);
  await addUser(t.server, f.partnerId, 'owner@blue.example');
  const first = await signIn(t.baseUrl, 'owner@blue.example');
  const stream = await openStream(t.baseUrl, first);
  const out = await call(t.baseUrl, 'DELETE', '/api/partner/session', { headers: { cookie: first } });
  assert.equal(out.status, 204);
  await within(stream.closed, 6000, 'the stream of a signed-out session closes');

  const phone = await signIn(t.baseUrl, 'owner@blue.example');
  const laptop = await signIn(t.baseUrl, 'owner@blue.example');
  const phoneStream = await openStream(t.baseUrl, phone);
  const laptopStream = await openStream(t.baseUrl, laptop);
  const changed = await call(t.baseUrl, 'POST', '/api/partner/session/password', {
    headers: { cookie: laptop },
    body: { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
  });
  assert.equal(changed.status, 204);
  await within(phoneStream.closed, 6000, 'the stream of an ended session closes');
  // The session that changed the password stays, and so does its stream.
  let laptopClosed = false;
  void laptopStream.closed.then(() => (laptopClosed = true));
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(laptopClosed, false);
});
