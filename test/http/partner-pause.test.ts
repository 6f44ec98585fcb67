import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
let world: World;
const clock = new ManualClock();

const partner = (method: string, path: string, bearer = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer });

before(async () => {
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  world = await mappedWorld(t.server, f, { accounts: 1, services: 1 });
});
after(() => t.close());

test('a paused integration refuses its vendor with 403 and keeps everything; resuming lets it in again', async () => {
  const [sku] = world.skuIds as [string];
  const [account] = world.accountIds as [string];
  assert.equal((await sendCount(t.baseUrl, f, sku, account, 3)).status, 201);

  clock.advance(500);
  const paused = await partner('POST', `/integrations/${f.integrationId}/pause`);
  assert.equal(paused.status, 200);
  assert.deepEqual(paused.body, {
    id: f.integrationId,
    status: 'active',
    pausedAt: new Date(clock.nowMs()).toISOString(),
  });
  const refused = await sendCount(t.baseUrl, f, sku, account, 9);
  assert.deepEqual(refused.body, {
    statusCode: 403,
    message: 'This integration is paused by the partner',
    error: 'Forbidden',
  });
  assert.equal((await t.store.getCount(f.integrationId, account, sku))?.unitCount, 3, 'nothing written');
  const listed = (await partner('GET', '/integrations')).body.find(
    (i: { id: string }) => i.id === f.integrationId,
  );
  assert.equal(listed.pausedAt, paused.body.pausedAt);
  const again = await partner('POST', `/integrations/${f.integrationId}/pause`);
  assert.equal(again.body.pausedAt, paused.body.pausedAt, 'pausing twice keeps the first time');
  const metrics = (await call(t.baseUrl, 'GET', '/metrics')).body as string;
  assert.match(metrics, /tally_anomaly_blocks_total\{rule="integration_paused"\} [1-9]/);

  const resumed = await partner('POST', `/integrations/${f.integrationId}/resume`);
  assert.equal(resumed.body.pausedAt, null);
  assert.equal((await sendCount(t.baseUrl, f, sku, account, 9)).status, 201);
  assert.equal((await t.store.getCount(f.integrationId, account, sku))?.unitCount, 9);
});

test('another partner cannot pause an integration, and a disconnected one cannot be paused', async () => {
  assert.deepEqual((await partner('POST', `/integrations/${other.integrationId}/pause`)).body, {
    statusCode: 404,
    message: `No integration found with id: ${other.integrationId}`,
    error: 'Not Found',
  });
  assert.equal(
    (await partner('POST', `/integrations/${f.integrationId}/pause`, 'tpt_not-a-token')).status,
    401,
  );
  assert.equal(
    (await partner('DELETE', `/integrations/${other.integrationId}`, other.partnerToken)).status,
    200,
  );
  assert.deepEqual(
    (await partner('POST', `/integrations/${other.integrationId}/pause`, other.partnerToken)).body,
    {
      statusCode: 409,
      message: 'This integration is disconnected; connect the vendor again instead',
      error: 'Conflict',
    },
  );
});
