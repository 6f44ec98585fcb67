/**
 * card.changed events are kept only while one of the partner's endpoints subscribes to them: a
 * build that changes every card records no events for nobody, and records them once someone listens.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let world: World;

before(async () => {
  t = await startServer({ config: { buildQuietMs: 0, buildMaxWaitMs: 0 } });
  f = await seedIntegration(t.server);
  world = await mappedWorld(t.server, f, { accounts: 3, services: 1 });
});
after(() => t.close());

const eventTypes = async () =>
  (
    await t.store.listWebhookEventsSince('partner', f.partnerId, 0, ['billing.built', 'card.changed'], 1000)
  ).map((e) => e.type);

test('without a subscriber a build records billing.built only; with one, card.changed too', async () => {
  const [sku] = world.skuIds as [string];
  for (const account of world.accountIds) {
    assert.equal((await sendCount(t.baseUrl, f, sku, account, 5)).status, 201);
  }
  await t.server.scheduler.flush(f.integrationId, 10_000);
  const first = await eventTypes();
  assert.ok(first.includes('billing.built'));
  assert.ok(!first.includes('card.changed'), 'three cards changed, and nobody listens');

  const endpoint = await call(t.baseUrl, 'POST', '/api/partner/webhooks', {
    bearer: f.partnerToken,
    body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['card.changed'] },
  });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  assert.equal((await sendCount(t.baseUrl, f, sku, world.accountIds[0] as string, 6)).status, 201);
  await t.server.scheduler.flush(f.integrationId, 10_000);
  const then = await eventTypes();
  assert.deepEqual(then.slice(0, first.length), first);
  assert.deepEqual(then.slice(first.length).sort(), ['billing.built', 'card.changed']);
});
