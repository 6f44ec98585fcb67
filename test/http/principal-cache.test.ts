import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { composeTally } from '../../src/bin/tally-server.js';
import { loadConfig } from '../../src/config/config.js';
import { disconnectIntegration } from '../../src/core/integrations/disconnect.js';
import { setIntegrationPause } from '../../src/core/integrations/pause.js';
import { rotatePartnerKey } from '../../src/core/integrations/rotate-partner-key.js';
import { reissueVendorKey } from '../../src/core/vendors/reissue-vendor-key.js';
import { gradientToken, hashKey } from '../../src/core/auth/keys.js';
import { dropSchema, postgresSkipReason, urlWithSchema } from '../storage/postgres-support.js';
import { seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
before(async () => {
  t = await startServer({ config: { buildPollMs: 60_000 } });
});
after(() => t.close());

async function counted(): Promise<{ f: Fixture; w: World; count: (token?: string) => Promise<number> }> {
  const f = await seedIntegration(t.server, {
    vendor: `Vendor ${randomBytes(3).toString('hex')}`,
    partner: `MSP ${randomBytes(3).toString('hex')}`,
  });
  const w = await mappedWorld(t.server, f, { accounts: 1, services: 1 });
  const count = async (token = f.token) =>
    (await sendCount(t.baseUrl, { ...f, token }, w.skuIds[0] as string, w.accountIds[0] as string, 1)).status;
  assert.equal(await count(), 201);
  return { f, w, count };
}

test('a count remembers its principal; a pause drops it and the next count is refused', async () => {
  const { f, count } = await counted();
  const sizeBefore = t.server.principals.size;
  assert.ok(sizeBefore >= 1);
  await setIntegrationPause(t.server.ctx, {
    partnerId: f.partnerId,
    integrationId: f.integrationId,
    paused: true,
  });
  assert.equal(t.server.principals.size, sizeBefore - 1, 'the paused integration was forgotten');
  assert.equal(await count(), 403);
  await setIntegrationPause(t.server.ctx, {
    partnerId: f.partnerId,
    integrationId: f.integrationId,
    paused: false,
  });
  assert.equal(await count(), 201);
});

test('rotating the partner key or reissuing the vendor key retires the old token at once', async () => {
  const { f, count } = await counted();
  const { partnerKey } = await rotatePartnerKey(t.server.ctx, {
    partnerId: f.partnerId,
    integrationId: f.integrationId,
  });
  assert.equal(await count(), 401, 'the old partner key');
  const rotated = gradientToken(f.vendorKey, partnerKey);
  assert.equal(await count(rotated), 201);
  const { vendorKey } = await reissueVendorKey(t.server.ctx, f.vendorId);
  assert.equal(await count(rotated), 401, 'the old vendor key');
  assert.equal(await count(gradientToken(vendorKey, partnerKey)), 201);
});

test('a disconnection drops the principal and refuses the vendor', async () => {
  const { f, count } = await counted();
  await disconnectIntegration(t.server.ctx, { partnerId: f.partnerId, integrationId: f.integrationId });
  assert.equal(await count(), 403);
});

test('a change that no process heard cannot let a count commit: the batch checks the keys again', async () => {
  const { f, count } = await counted();
  // Written straight to the store: no announcement, so the principal stays remembered.
  const sizeBefore = t.server.principals.size;
  await t.server.ctx.store.setIntegrationKeyHash(f.integrationId, hashKey('a-key-nobody-has'));
  assert.equal(t.server.principals.size, sizeBefore, 'still remembered');
  assert.equal(await count(), 401);
  await t.server.ctx.store.setIntegrationPaused(f.integrationId, Date.now());
  await t.server.ctx.store.setIntegrationKeyHash(f.integrationId, hashKey(f.partnerKey));
  assert.equal(await count(), 403, 'paused under the lock, whatever the cache says');
});

const skip = await postgresSkipReason('cross-process principal cache tests');

describe('on PostgreSQL, every process forgets what another changed', { skip }, () => {
  test('a pause on one process drops the principal on the other', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const config = loadConfig({}, { databaseUrl: urlWithSchema(schema), logLevel: 'silent', port: 0 });
    const a = await composeTally(config);
    const b = await composeTally(config);
    try {
      await b.app.listen({ host: '127.0.0.1', port: 0 });
      const address = b.app.server.address();
      const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const f = await seedIntegration(a);
      const w = await mappedWorld(a, f, { accounts: 1, services: 1 });
      const count = async () =>
        (await sendCount(baseUrl, f, w.skuIds[0] as string, w.accountIds[0] as string, 1)).status;
      assert.equal(await count(), 201);
      assert.equal(b.principals.size, 1);
      await setIntegrationPause(a.ctx, {
        partnerId: f.partnerId,
        integrationId: f.integrationId,
        paused: true,
      });
      // Refused at once (checked under the lock), and forgotten once the notification arrives.
      assert.equal(await count(), 403);
      for (let waitedMs = 0; b.principals.size > 0 && waitedMs < 3000; waitedMs += 20) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(b.principals.size, 0, 'process B heard the change');
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });
});
