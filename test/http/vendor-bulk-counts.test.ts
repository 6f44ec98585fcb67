import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setIntegrationPause } from '../../src/core/integrations/pause.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { billingOf, mappedWorld, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let world: World;
let clock: ManualClock;
before(async () => {
  clock = new ManualClock();
  t = await startServer({ clock, config: { buildPollMs: 60_000, rateLimitPerSecond: 100 } });
  f = await seedIntegration(t.server);
  world = await mappedWorld(t.server, f, { accounts: 3, services: 2 });
});
after(() => t.close());

const bulk = (fixture: Fixture, items: unknown[], query = '') =>
  call(t.baseUrl, 'POST', `/api/vendor-api/counts${query}`, { token: fixture.token, body: { items } });

test('each item is answered in place as the single route would, and accepted items are stored', async () => {
  const [a0, a1] = world.accountIds as [string, string];
  const [s0, s1] = world.skuIds as [string, string];
  const unknownSku = 'a'.repeat(24);
  await t.server.ctx.store.upsertAccount({
    integrationId: f.integrationId,
    id: 'unmapped-bulk',
    name: 'Unmapped',
    description: '',
    isActive: true,
    isArrears: false,
    createdAtMs: clock.nowMs(),
    updatedAtMs: clock.nowMs(),
  });
  const before = await billingOf(t.baseUrl, f);
  const r = await bulk(f, [
    { serviceId: s0, accountId: a0, unitCount: 7 },
    { serviceId: s1, accountId: Number(a1), unitCount: 2.5 },
    { serviceId: s0, accountId: 'unmapped-bulk', unitCount: 3 },
    { serviceId: 'not-an-id', accountId: a0, unitCount: 1 },
    { serviceId: unknownSku, accountId: a0, unitCount: 1 },
    { serviceId: s0, accountId: a0, unitCount: 9 },
  ]);
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 200);
  assert.equal(r.body.data.accepted, 3);
  assert.equal(r.body.data.refused, 3);
  const items = r.body.data.items;
  assert.deepEqual(
    items.map((i: { status: number }) => i.status),
    [201, 201, 404, 400, 404, 201],
  );
  assert.deepEqual(items[0].data, {
    accountId: a0,
    serviceId: s0,
    unitCount: 7,
    previousUnitCount: null,
    revision: before.builtRevision + 1,
  });
  assert.equal(items[1].data.accountId, a1, 'a numeric account id is its string form');
  assert.deepEqual(items[2], {
    status: 404,
    message: 'No account map found with id: unmapped-bulk',
    reason: 'account_unmapped',
  });
  assert.deepEqual(items[3], { status: 400, message: 'You have provided an invalid Id type' });
  assert.deepEqual(items[4], {
    status: 404,
    message: `No service map found with id: ${unknownSku}`,
    reason: 'service_unmapped',
  });
  // A later item of the same pair sees the value an earlier one set, as separate calls would.
  assert.equal(items[5].data.previousUnitCount, 7);
  assert.equal(items[5].data.revision, items[0].data.revision + 2);
  assert.equal((await t.server.ctx.store.getCount(f.integrationId, a0, s0))?.unitCount, 9);
  assert.equal((await t.server.ctx.store.getCount(f.integrationId, a1, s1))?.unitCount, 2.5);
  const waiting = await t.server.ctx.store.listWaiting(f.integrationId);
  assert.equal(waiting.find((w) => w.accountId === 'unmapped-bulk')?.reason, 'account_unmapped');
  const history = await t.server.ctx.store.listHistory(f.integrationId, {
    accountId: a0,
    serviceId: s0,
    limit: 5,
  });
  assert.deepEqual(
    history.map((h) => [h.unitCount, h.previousUnitCount]),
    [
      [9, 7],
      [7, null],
    ],
  );
  // One debounced build for the whole push: three unbuilt changes, one schedule.
  assert.equal(r.body.data.build.state, 'scheduled');
  assert.equal(r.body.data.build.unbuiltChanges, 3);
  assert.equal(r.body.data.build.dueAt, new Date(clock.nowMs() + 2000).toISOString());
  const flushed = await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
  assert.equal(flushed.body.data.billing.builds, before.builds + 1);
});

test('no_build=true stores the items and schedules nothing', async () => {
  const g = await seedIntegration(t.server, { vendor: 'Quiet Vendor', partner: 'Quiet MSP' });
  const w = await mappedWorld(t.server, g, { accounts: 1, services: 1 });
  const r = await bulk(
    g,
    [{ serviceId: w.skuIds[0], accountId: w.accountIds[0], unitCount: 4 }],
    '?no_build=true',
  );
  assert.equal(r.body.data.accepted, 1);
  assert.equal(r.body.data.build.state, 'idle');
  assert.equal(r.body.data.build.unbuiltChanges, 1);
});

test('a request weighs one request per 100 items against the rate limit', async () => {
  const g = await seedIntegration(t.server, { vendor: 'Bulk Vendor', partner: 'Bulk MSP' });
  const w = await mappedWorld(t.server, g, { accounts: 50, services: 2 });
  const items = Array.from({ length: 5000 }, (_, i) => ({
    serviceId: w.skuIds[i % 2],
    accountId: w.accountIds[Math.floor(i / 2) % 50],
    unitCount: i,
  }));
  const first = await bulk(g, items);
  assert.equal(first.status, 200);
  assert.equal(first.body.data.accepted, 5000);
  assert.equal(first.headers.get('ratelimit-remaining'), '50');
  const second = await bulk(g, items.slice(0, 4901));
  assert.equal(second.status, 200);
  assert.equal(second.headers.get('ratelimit-remaining'), '0');
  const third = await bulk(g, items.slice(0, 1));
  assert.equal(third.status, 429);
  assert.equal(third.body.statusCode, 429);
  // Every accepted item committed: the build state's revision counts them.
  assert.equal((await t.server.ctx.store.getBuildState(g.integrationId))?.revision, 5000 + 4901);
});

test('400 for an empty list, too many items, or an item of the wrong shape', async () => {
  const empty = await bulk(f, []);
  assert.equal(empty.status, 400);
  assert.equal(empty.body.message, 'items must NOT have fewer than 1 items');
  const tooMany = await bulk(
    f,
    Array.from({ length: 5001 }, () => ({ serviceId: world.skuIds[0], accountId: '1000', unitCount: 1 })),
  );
  assert.equal(tooMany.status, 400);
  const negative = await bulk(f, [{ serviceId: world.skuIds[0], accountId: '1000', unitCount: -1 }]);
  assert.equal(negative.status, 400);
  assert.match(negative.body.message, /unitCount must be >= 0/);
  // A refused request stores none of its items.
  assert.equal(
    (await t.server.ctx.store.getCount(f.integrationId, '1000', world.skuIds[0] as string))?.unitCount,
    9,
  );
});

test('401 without a valid token, 403 while the integration is paused', async () => {
  const noToken = await call(t.baseUrl, 'POST', '/api/vendor-api/counts', {
    body: { items: [{ serviceId: world.skuIds[0], accountId: '1000', unitCount: 1 }] },
  });
  assert.equal(noToken.status, 401);
  const g = await seedIntegration(t.server, { vendor: 'Paused Vendor', partner: 'Paused MSP' });
  const w = await mappedWorld(t.server, g, { accounts: 1, services: 1 });
  const item = { serviceId: w.skuIds[0], accountId: w.accountIds[0], unitCount: 1 };
  assert.equal((await bulk(g, [item])).status, 200);
  await setIntegrationPause(t.server.ctx, {
    partnerId: g.partnerId,
    integrationId: g.integrationId,
    paused: true,
  });
  const paused = await bulk(g, [item]);
  assert.equal(paused.status, 403);
  assert.equal(paused.body.message, 'This integration is paused by the partner');
});
