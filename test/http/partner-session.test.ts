import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { PASSWORD, UNAUTHORIZED, addUser, signIn } from '../support/partner.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();
const LIFETIME_MS = 3_600_000;

const withCookie = (method: string, path: string, cookie: string, extra: Record<string, string> = {}) =>
  call(t.baseUrl, method, `/api/partner${path}`, { headers: { cookie, ...extra } });

before(async () => {
  t = await startServer({ clock, config: { sessionLifetimeMs: LIFETIME_MS, authFailureLimit: 6 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  await addUser(t.server, f.partnerId, 'Owner@Blue.example');
  await addUser(t.server, other.partnerId, 'someone@other.example');
  await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    bearer: f.partnerToken,
    body: { name: 'Mine' },
  });
  await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    bearer: other.partnerToken,
    body: { name: 'Theirs' },
  });
});
after(() => t.close());

test('signing in sets an HttpOnly, SameSite=Lax session cookie and names the user and partner', async () => {
  const response = await call(t.baseUrl, 'POST', '/api/partner/session', {
    body: { email: '  OWNER@blue.example ', password: PASSWORD },
  });
  assert.equal(response.status, 200);
  assert.match(response.body.user.id, /^[0-9a-f]{24}$/);
  assert.deepEqual(response.body, {
    user: { id: response.body.user.id, email: 'owner@blue.example', name: 'owner' },
    partner: { id: f.partnerId, name: 'Blue MSP' },
  });
  const cookie = response.headers.get('set-cookie') ?? '';
  assert.match(
    cookie,
    /^tally_session=tss_[A-Za-z0-9_-]{43}; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/,
  );

  const stored = await t.store.findPartnerUserByEmail('owner@blue.example');
  assert.match(stored?.passwordHash ?? '', /^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(!stored?.passwordHash.includes(PASSWORD));
});

test('the cookie authenticates the partner API as that partner only', async () => {
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  const session = await withCookie('GET', '/session', cookie);
  assert.equal(session.status, 200);
  assert.equal(session.body.user.email, 'owner@blue.example');
  assert.equal(session.body.partner.id, f.partnerId);
  const companies = await withCookie('GET', '/psa/companies', cookie);
  assert.equal(companies.status, 200);
  assert.deepEqual(
    companies.body.map((c: { name: string }) => c.name),
    ['Mine'],
  );
  const created = await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    headers: { cookie },
    body: { name: 'Made in the browser' },
  });
  assert.equal(created.status, 201);
  const theirs = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', { bearer: other.partnerToken });
  assert.ok(!theirs.body.some((c: { name: string }) => c.name === 'Made in the browser'));
});

test('a bearer token is not a signed-in user, and a wrong bearer beside a good cookie is refused', async () => {
  const asScript = await call(t.baseUrl, 'GET', '/api/partner/session', { bearer: f.partnerToken });
  assert.equal(asScript.status, 401);
  assert.deepEqual(asScript.body, UNAUTHORIZED);
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  const mixed = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', {
    bearer: 'tpt_not_a_token',
    headers: { cookie },
  });
  assert.equal(mixed.status, 401);
  assert.deepEqual((await call(t.baseUrl, 'GET', '/api/partner/session')).body, UNAUTHORIZED);
  const forged = await withCookie('GET', '/psa/companies', 'tally_session=tss_made_up');
  assert.equal(forged.status, 401);
});

test('bad sign-ins are a bare 401; bad bodies a 400 naming the field', async () => {
  for (const body of [
    { email: 'owner@blue.example', password: 'wrong password!' },
    { email: 'nobody@blue.example', password: PASSWORD },
    { email: 'someone@other.example', password: 'wrong password!' },
  ]) {
    const response = await call(t.baseUrl, 'POST', '/api/partner/session', { body });
    assert.equal(response.status, 401, body.email);
    assert.deepEqual(response.body, UNAUTHORIZED);
    assert.equal(response.headers.get('set-cookie'), null);
  }
  const cases: [unknown, string][] = [
    [{ email: 'owner@blue.example' }, 'password is required'],
    [{ password: PASSWORD }, 'email is required'],
    [{ email: 5, password: PASSWORD }, 'email must be a string'],
    [
      { email: 'owner@blue.example', password: PASSWORD, remember: true },
      'body has an unknown property: remember',
    ],
  ];
  for (const [body, message] of cases) {
    const response = await call(t.baseUrl, 'POST', '/api/partner/session', { body });
    assert.deepEqual(response.body, { statusCode: 400, message, error: 'Bad Request' });
  }
});

test('signing out ends the session and clears the cookie', async () => {
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  assert.equal((await withCookie('GET', '/session', cookie)).status, 200);
  const out = await withCookie('DELETE', '/session', cookie);
  assert.equal(out.status, 204);
  assert.match(
    out.headers.get('set-cookie') ?? '',
    /^tally_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
  );
  assert.equal((await withCookie('GET', '/session', cookie)).status, 401);
  assert.equal((await withCookie('GET', '/psa/companies', cookie)).status, 401);
  const again = await call(t.baseUrl, 'DELETE', '/api/partner/session');
  assert.equal(again.status, 204);
});

test('a session expires after its lifetime', async () => {
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  clock.advance(LIFETIME_MS - 1);
  assert.equal((await withCookie('GET', '/session', cookie)).status, 200);
  clock.advance(1);
  assert.equal((await withCookie('GET', '/session', cookie)).status, 401);
});

test('a write with the cookie from another site is refused', async () => {
  const cookie = await signIn(t.baseUrl, 'owner@blue.example');
  const crossSite = await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    headers: { cookie, origin: 'https://evil.example' },
    body: { name: 'Planted' },
  });
  assert.equal(crossSite.status, 403);
  assert.deepEqual(crossSite.body, {
    statusCode: 403,
    message: 'Cross-site requests may not use the session cookie',
    error: 'Forbidden',
  });
  const sameSite = await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    headers: { cookie, origin: t.baseUrl },
    body: { name: 'Planted here' },
  });
  assert.equal(sameSite.status, 201);
  // Scripts with a bearer token send no cookie, so their Origin does not matter.
  const script = await call(t.baseUrl, 'POST', '/api/partner/psa/companies', {
    bearer: f.partnerToken,
    headers: { origin: 'https://elsewhere.example' },
    body: { name: 'From a script' },
  });
  assert.equal(script.status, 201);
});

test('repeated failed sign-ins block the address', async () => {
  // The limit is 6 a minute (earlier failures in this file are an hour old on the test clock).
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const guess = await call(t.baseUrl, 'POST', '/api/partner/session', {
      body: { email: 'owner@blue.example', password: `guess number ${i}` },
    });
    statuses.push(guess.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
  const blocked = await call(t.baseUrl, 'POST', '/api/partner/session', {
    body: { email: 'owner@blue.example', password: PASSWORD },
  });
  assert.equal(blocked.status, 403);
  assert.deepEqual(blocked.body, {
    statusCode: 403,
    message: 'Too many failed authentications from this address; try again later',
    error: 'Forbidden',
  });
});
