import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startServer, type TestServer } from '../support/harness.js';
import { ADMIN_TOKEN, SandboxClient } from '../support/sandbox.js';

// Long debounce windows: nothing builds by itself while a test runs, only when the test clock moves.
const QUIET_MS = 10_000;
const MAX_WAIT_MS = 60_000;

let t: TestServer;

before(async () => {
  t = await startServer({
    config: {
      adminToken: ADMIN_TOKEN,
      buildQuietMs: QUIET_MS,
      buildMaxWaitMs: MAX_WAIT_MS,
      buildPollMs: 100,
    },
  });
});
after(() => t.close());

/** A sandbox with one service and one account, ready to take counts. */
async function readySandbox(name: string) {
  const sandbox = await SandboxClient.create(t.baseUrl, name);
  const service = await sandbox.service('Cloud Backup');
  await sandbox.accounts({ id: '1001', name: 'Fabrikam' });
  return { sandbox, service };
}

test('what a sandbox vendor creates is mapped at once: its first count is accepted and builds a card', async () => {
  const { sandbox, service } = await readySandbox('Mapped At Once');
  const counted = await sandbox.count(service, '1001', 12);
  assert.equal(counted.status, 201, JSON.stringify(counted.body));
  assert.equal(counted.body.data.build.state, 'scheduled');

  const flushed = await sandbox.request('POST', '/api/vendor-api/billing/flush');
  assert.equal(flushed.status, 200);
  const billing = await sandbox.request('GET', '/api/vendor-api/sandbox/billing');
  assert.equal(billing.status, 200);
  assert.equal(billing.body.cards.length, 1);
  assert.deepEqual(
    {
      company: billing.body.cards[0].companyName,
      product: billing.body.cards[0].productName,
      vendorQuantity: billing.body.cards[0].vendorQuantity,
      state: billing.body.cards[0].state,
    },
    { company: 'Fabrikam', product: 'Cloud Backup', vendorQuantity: 12, state: 'new_revenue' },
  );
  // The sandbox partner's own API shows the same card.
  const partner = await call(t.baseUrl, 'GET', `/api/partner/billing?period=${billing.body.period}`, {
    bearer: sandbox.keys.partnerToken,
  });
  assert.equal(partner.status, 200);
  assert.equal(partner.body.cards.length, 1);
});

test('moving the clock past the quiet window makes the scheduled build happen before the reply', async () => {
  const { sandbox, service } = await readySandbox('Quiet Window');
  const before = (await sandbox.request('GET', '/api/vendor-api/sandbox/clock')).body;
  assert.equal(before.offsetMs, 0);
  assert.equal((await sandbox.count(service, '1001', 5)).status, 201);
  assert.equal((await sandbox.billingState()).state, 'scheduled');

  const early = await sandbox.advance({ seconds: 5 });
  assert.equal(early.body.buildsRun, 0, 'half the quiet window: nothing is due yet');
  assert.equal(early.body.billing.state, 'scheduled');
  assert.ok(early.body.offsetMs >= 5000);

  const due = await sandbox.advance({ seconds: 6 });
  assert.equal(due.body.buildsRun, 1);
  assert.equal(due.body.billing.state, 'idle');
  assert.equal(due.body.billing.builds, 1);
  // The build happened on the test clock: it is timed after the moves, not at the server's time.
  const lastBuiltAtMs = Date.parse(due.body.billing.lastBuiltAt);
  assert.ok(
    lastBuiltAtMs >= Date.parse(before.now) + 11_000,
    `${due.body.billing.lastBuiltAt} is test-clock time`,
  );
  assert.ok(lastBuiltAtMs > Date.now() + 10_000);
  const organization = await sandbox.billingState();
  assert.equal(organization.state, 'idle');
  assert.equal(organization.builds, 1);
});

test('a vendor that never pauses sees the maximum wait elapse on the test clock', async () => {
  const { sandbox, service } = await readySandbox('Never Pauses');
  const startMs = Date.parse((await sandbox.request('GET', '/api/vendor-api/sandbox/clock')).body.now);
  assert.equal((await sandbox.count(service, '1001', 0)).status, 201);
  // A count every 9 s of test time: each one pushes the 10 s quiet window back…
  for (let i = 1; i <= 6; i++) {
    const moved = await sandbox.advance({ seconds: 9 });
    assert.equal(moved.body.buildsRun, 0, `no build after ${i * 9} s`);
    assert.equal((await sandbox.count(service, '1001', i)).status, 201);
  }
  // …but the build may not wait longer than 60 s after the first unbuilt count.
  const state = await sandbox.billingState();
  assert.equal(state.state, 'scheduled');
  assert.ok(state.dueAt !== null && Math.abs(Date.parse(state.dueAt) - (startMs + MAX_WAIT_MS)) < 1000);
  const elapsed = await sandbox.advance({ seconds: 6.5 });
  assert.equal(elapsed.body.buildsRun, 1, 'the maximum wait has elapsed');
  assert.equal(elapsed.body.billing.builds, 1);
  const cards = (await sandbox.request('GET', '/api/vendor-api/sandbox/billing')).body.cards;
  assert.equal(cards[0].vendorQuantity, 6, 'the build has the last count');
});

test('an Idempotency-Key expires after 24 hours of test time', async () => {
  const { sandbox, service } = await readySandbox('Idempotent');
  const key = { 'Idempotency-Key': 'nightly-2026-12-01' };
  const first = await sandbox.count(service, '1001', 3, key);
  assert.equal(first.status, 201);
  const replay = await sandbox.count(service, '1001', 3, key);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal((await sandbox.count(service, '1001', 4, key)).status, 422, 'same key, other body');

  await sandbox.advance({ seconds: 24 * 3600 - 60 });
  assert.equal((await sandbox.count(service, '1001', 4, key)).status, 422, 'still within 24 hours');

  await sandbox.advance({ seconds: 61 });
  const fresh = await sandbox.count(service, '1001', 4, key);
  assert.equal(fresh.status, 201, 'the key expired: the request is new');
  assert.equal(fresh.headers.get('idempotent-replayed'), null);
  assert.equal(fresh.body.data.unitCount, 4);
  assert.equal(fresh.body.data.previousUnitCount, 3);
});

test('moving the clock into the next month turns the billing period over', async () => {
  const { sandbox, service } = await readySandbox('Month End');
  assert.equal((await sandbox.count(service, '1001', 7)).status, 201);
  await sandbox.request('POST', '/api/vendor-api/billing/flush');
  const thisMonth = (await sandbox.request('GET', '/api/vendor-api/sandbox/billing')).body;
  const card = thisMonth.cards[0];
  // The sandbox partner dismisses the card for this period.
  const dismissed = await call(t.baseUrl, 'POST', '/api/partner/billing/actions', {
    bearer: sandbox.keys.partnerToken,
    body: { period: thisMonth.period, cardIds: [card.id], action: 'dismiss' },
  });
  assert.ok(dismissed.status < 300, JSON.stringify(dismissed.body));
  const decided = (await sandbox.request('GET', '/api/vendor-api/sandbox/billing')).body;
  assert.equal(decided.cards[0].decision, 'dismiss');

  const [year, month] = thisMonth.period.split('-').map(Number) as [number, number];
  const nextMonthMs = Date.UTC(year, month, 1);
  const moved = await sandbox.advance({ to: new Date(nextMonthMs).toISOString() });
  const nextPeriod = new Date(nextMonthMs).toISOString().slice(0, 7);
  assert.equal(moved.body.period, nextPeriod);
  assert.ok(Date.parse(moved.body.now) >= nextMonthMs);

  const next = (await sandbox.request('GET', '/api/vendor-api/sandbox/billing')).body;
  assert.equal(next.period, nextPeriod);
  assert.equal(next.cards.length, 1, 'the count carries into the new period');
  assert.equal(next.cards[0].vendorQuantity, 7);
  assert.equal(next.cards[0].decision, null, "last period's decision does not stand in the new one");
  // Counts from now on are stamped in the new period.
  const counted = await sandbox.count(service, '1001', 8);
  assert.equal(counted.status, 201);
  const history = await call(
    t.baseUrl,
    'GET',
    `/api/partner/integrations/${sandbox.keys.integrationId}/history?limit=1`,
    { bearer: sandbox.keys.partnerToken },
  );
  assert.equal(history.status, 200, JSON.stringify(history.body));
  assert.equal(history.body.entries[0].unitCount, 8);
  assert.equal(history.body.entries[0].at.slice(0, 7), nextPeriod);
});

test('the clock only moves forward, by seconds or to a time', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Forward Only');
  const now = (await sandbox.request('GET', '/api/vendor-api/sandbox/clock')).body.now as string;
  const back = await sandbox.request('POST', '/api/vendor-api/sandbox/clock/advance', {
    to: new Date(Date.parse(now) - 60_000).toISOString(),
  });
  assert.equal(back.status, 400);
  assert.match(back.body.message, /only moves forward/);
  for (const body of [
    {},
    { seconds: 1, to: now },
    { seconds: -1 },
    { to: 'yesterday' },
    { seconds: 1, extra: 1 },
  ]) {
    const refused = await sandbox.request('POST', '/api/vendor-api/sandbox/clock/advance', body);
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(refused.body.statusCode, 400);
    assert.equal(typeof refused.body.message, 'string');
  }
});
