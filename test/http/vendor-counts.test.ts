import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let world: World;
let clock: ManualClock;
before(async () => {
  clock = new ManualClock();
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  world = await mappedWorld(t.server, f, { accounts: 2, services: 2 });
});
after(() => t.close());

const countPath = (serviceId: string, query = '') => `/api/vendor-api/service/${serviceId}/count${query}`;

test('201 answers with the envelope, the previous value, the revision and the build schedule', async () => {
  const [sku] = world.skuIds as [string];
  const first = await sendCount(t.baseUrl, f, sku, world.accountIds[0] as string, 10);
  assert.equal(first.status, 201);
  assert.equal(first.body.status, 201);
  assert.equal(first.body.message, 'Success - Created service unit count');
  assert.equal(first.body.data.accountId, world.accountIds[0]);
  assert.equal(first.body.data.serviceId, sku);
  assert.equal(first.body.data.unitCount, 10);
  assert.equal(first.body.data.previousUnitCount, null);
  assert.equal(first.body.data.build.state, 'scheduled');
  assert.equal(first.body.data.build.dueAt, new Date(clock.nowMs() + 2000).toISOString());
  const second = await sendCount(t.baseUrl, f, sku, world.accountIds[0] as string, 12.5);
  assert.equal(second.body.data.previousUnitCount, 10);
  assert.equal(second.body.data.unitCount, 12.5);
  assert.equal(second.body.data.revision, first.body.data.revision + 1);
});

test('numeric account ids are the same account as their string form', async () => {
  const [, sku] = world.skuIds as [string, string];
  const r = await call(t.baseUrl, 'POST', countPath(sku), {
    token: f.token,
    body: { accountId: 1001, unitCount: 4 },
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.data.accountId, '1001');
});

test('the first accepted count activates the integration and stamps lastSyncedAt', async () => {
  const g = await seedIntegration(t.server, { vendor: 'Fresh Vendor', partner: 'Fresh MSP' });
  const w = await mappedWorld(t.server, g, { accounts: 1, services: 1 });
  let org = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token: g.token });
  assert.equal(org.body.status, 'inactive');
  assert.equal(org.body.lastSyncedAt, '1900-01-01T00:00:00.000Z');
  clock.advance(5000);
  await sendCount(t.baseUrl, g, w.skuIds[0] as string, w.accountIds[0] as string, 1);
  org = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token: g.token });
  assert.equal(org.body.status, 'active');
  assert.equal(org.body.lastSyncedAt, new Date(clock.nowMs()).toISOString());
});

const badBodies: [string, unknown, string][] = [
  ['unitCount null', { accountId: '1000', unitCount: null }, 'unitCount must be a number'],
  ['unitCount string', { accountId: '1000', unitCount: '12' }, 'unitCount must be a number'],
  ['unitCount negative', { accountId: '1000', unitCount: -1 }, 'unitCount must be >= 0'],
  ['unitCount missing', { accountId: '1000' }, 'unitCount is required'],
  ['accountId missing', { unitCount: 3 }, 'accountId is required'],
  ['accountId boolean', { accountId: true, unitCount: 3 }, 'accountId must be a string or a number'],
  ['body an array', [{ accountId: '1000', unitCount: 3 }], 'body must be an object'],
];
for (const [name, body, message] of badBodies) {
  test(`400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'POST', countPath(world.skuIds[0] as string), { token: f.token, body });
    assert.deepEqual(r.body, { statusCode: 400, message, error: 'Bad Request' });
  });
}

test('400 for malformed JSON and for a huge number that is not finite', async () => {
  const path = countPath(world.skuIds[0] as string);
  const malformed = await call(t.baseUrl, 'POST', path, { token: f.token, raw: '{"accountId": "1000", ' });
  assert.deepEqual(malformed.body, {
    statusCode: 400,
    message: 'Malformed JSON in request body',
    error: 'Bad Request',
  });
  const infinite = await call(t.baseUrl, 'POST', path, {
    token: f.token,
    raw: '{"accountId":"1000","unitCount":1e999}',
  });
  assert.equal(infinite.status, 400);
  assert.equal(infinite.body.message, 'unitCount must be a number');
});

test('the token is checked before the body: a bad body with a bad token is a 401', async () => {
  const r = await call(t.baseUrl, 'POST', countPath(world.skuIds[0] as string), {
    token: 'bm90LWEta2V5Om5vcGU=',
    body: { accountId: '1000', unitCount: 'lots' },
  });
  assert.deepEqual(r.body, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
});

test('400 for a serviceId that is neither an organization service nor 24-hex', async () => {
  const r = await call(t.baseUrl, 'POST', countPath('not-an-id'), {
    token: f.token,
    body: { accountId: '1000', unitCount: 1 },
  });
  assert.deepEqual(r.body, {
    statusCode: 400,
    message: 'You have provided an invalid Id type',
    error: 'Bad Request',
  });
});

test('404s come in the contract order: account first, then service', async () => {
  const unknownSku = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  const both = await call(t.baseUrl, 'POST', countPath(unknownSku), {
    token: f.token,
    body: { accountId: 'nobody', unitCount: 1 },
  });
  assert.deepEqual(both.body, {
    statusCode: 404,
    message: 'No account map found with id: nobody',
    error: 'Not Found',
  });
  const service = await call(t.baseUrl, 'POST', countPath(unknownSku), {
    token: f.token,
    body: { accountId: '1000', unitCount: 1 },
  });
  assert.deepEqual(service.body, {
    statusCode: 404,
    message: `No service map found with id: ${unknownSku}`,
    error: 'Not Found',
  });
});

test('an unmapped pair is refused, remembered as waiting, and never applied', async () => {
  const integration = await t.server.ctx.store.getIntegration(f.integrationId);
  assert.ok(integration);
  await t.server.ctx.store.upsertAccount({
    integrationId: f.integrationId,
    id: 'unmapped-1',
    name: 'Unmapped Ltd',
    description: '',
    isActive: true,
    isArrears: false,
    createdAtMs: clock.nowMs(),
    updatedAtMs: clock.nowMs(),
  });
  const sku = world.skuIds[0] as string;
  for (const value of [3, 8]) {
    const r = await sendCount(t.baseUrl, f, sku, 'unmapped-1', value);
    assert.equal(r.status, 404);
    assert.equal(r.body.message, 'No account map found with id: unmapped-1');
  }
  const waiting = await t.server.ctx.store.listWaiting(f.integrationId);
  const entry = waiting.find((w) => w.accountId === 'unmapped-1');
  assert.equal(entry?.unitCount, 8);
  assert.equal(entry?.attempts, 2);
  assert.equal(entry?.reason, 'account_unmapped');
  assert.equal(await t.server.ctx.store.getCount(f.integrationId, 'unmapped-1', sku), undefined);
});

test('a deactivated account stops accepting counts', async () => {
  const account = await t.server.ctx.store.getAccount(f.integrationId, world.accountIds[1] as string);
  assert.ok(account);
  await t.server.ctx.store.upsertAccount({ ...account, isActive: false });
  const r = await sendCount(t.baseUrl, f, world.skuIds[0] as string, account.id, 2);
  assert.equal(r.status, 404);
  assert.equal(r.body.message, `No account map found with id: ${account.id}`);
  await t.server.ctx.store.upsertAccount({ ...account, isActive: true });
  assert.equal((await sendCount(t.baseUrl, f, world.skuIds[0] as string, account.id, 2)).status, 201);
});

test('Idempotency-Key replays the first reply without writing, and refuses a different body', async () => {
  const [sku] = world.skuIds as [string];
  const acct = world.accountIds[0] as string;
  const first = await sendCount(t.baseUrl, f, sku, acct, 40, { idempotencyKey: 'sync-42' });
  assert.equal(first.status, 201);
  const historyBefore = await t.server.ctx.store.listHistory(f.integrationId, { limit: 1000 });
  const replay = await sendCount(t.baseUrl, f, sku, acct, 40, { idempotencyKey: 'sync-42' });
  assert.equal(replay.status, 201);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(replay.body, first.body);
  const historyAfter = await t.server.ctx.store.listHistory(f.integrationId, { limit: 1000 });
  assert.equal(historyAfter.length, historyBefore.length, 'a replay writes nothing');
  assert.equal(historyAfter[0]?.idempotencyKey, 'sync-42');

  const mismatch = await sendCount(t.baseUrl, f, sku, acct, 41, { idempotencyKey: 'sync-42' });
  assert.equal(mismatch.status, 422);
  assert.equal(mismatch.body.message, 'Idempotency-Key was already used with a different request body');

  clock.advance(24 * 3600 * 1000 + 1);
  const expired = await sendCount(t.baseUrl, f, sku, acct, 41, { idempotencyKey: 'sync-42' });
  assert.equal(expired.status, 201, 'after 24 h the key is free again');
  assert.equal(expired.body.data.previousUnitCount, 40);
});

test('history pages newest first and filters by account and service', async () => {
  const [sku0, sku1] = world.skuIds as [string, string];
  const acct = world.accountIds[0] as string;
  for (let i = 0; i < 5; i++) await sendCount(t.baseUrl, f, sku1, acct, 100 + i);
  await sendCount(t.baseUrl, f, sku0, acct, 7);
  const path = `/api/partner/integrations/${f.integrationId}/history?accountId=${acct}&serviceId=${sku1}&limit=3`;
  const page1 = await call(t.baseUrl, 'GET', path, { bearer: f.partnerToken });
  assert.equal(page1.status, 200);
  assert.deepEqual(
    page1.body.entries.map((e: { unitCount: number }) => e.unitCount),
    [104, 103, 102],
  );
  const page2 = await call(t.baseUrl, 'GET', `${path}&before=${page1.body.nextBefore}`, {
    bearer: f.partnerToken,
  });
  assert.deepEqual(page2.body.entries.map((e: { unitCount: number }) => e.unitCount).slice(0, 2), [101, 100]);
  const other = await seedIntegration(t.server, { vendor: 'V3', partner: 'P3' });
  const foreign = await call(t.baseUrl, 'GET', `/api/partner/integrations/${f.integrationId}/history`, {
    bearer: other.partnerToken,
  });
  assert.equal(foreign.status, 404, "another partner's integration is invisible");
});

test('/metrics counts accepted and refused counts and builds', async () => {
  await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
  const text = (await call(t.baseUrl, 'GET', '/metrics')).body as string;
  const value = (line: RegExp) => Number(text.match(line)?.[1]);
  assert.ok(value(/^tally_counts_accepted_total (\d+)/m) >= 10);
  assert.ok(value(/^tally_counts_rejected_total\{reason="account_unmapped"\} (\d+)/m) >= 2);
  assert.ok(value(/^tally_builds_total (\d+)/m) >= 1);
  assert.match(text, /tally_build_duration_seconds_count \d+/);
  assert.match(
    text,
    /tally_http_requests_total\{method="POST",route="\/api\/vendor-api\/service\/:serviceId\/count",code="201"\}/,
  );
});

test('the partner event stream announces each landed build', async () => {
  const controller = new AbortController();
  const response = await fetch(`${t.baseUrl}/api/partner/events`, {
    headers: { authorization: `Bearer ${f.partnerToken}` },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await sendCount(t.baseUrl, f, world.skuIds[0] as string, world.accountIds[0] as string, 77);
  const flushed = await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
  let text = '';
  while (!text.includes('event: build')) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  const data = JSON.parse(/data: (.*)/.exec(text.slice(text.indexOf('event: build')))?.[1] ?? '{}');
  assert.equal(data.integrationId, f.integrationId);
  assert.equal(data.builtRevision, flushed.body.data.billing.builtRevision);
});
