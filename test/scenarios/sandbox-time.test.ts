import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { ADMIN_TOKEN, SandboxClient } from '../support/sandbox.js';

// The server's clock is stepped by the test; a sandbox's test clock runs ahead of it.
const clock = new ManualClock();
let t: TestServer;

before(async () => {
  t = await startServer({
    clock,
    config: { adminToken: ADMIN_TOKEN, buildQuietMs: 2000, buildMaxWaitMs: 30_000, buildPollMs: 100 },
  });
});
after(() => t.close());

/** Steps the server's clock in small steps, letting each woken build round finish. */
async function pass(ms: number): Promise<void> {
  for (let stepped = 0; stepped < ms; stepped += 100) {
    clock.advance(100);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.server.scheduler.idle();
  }
}

test('after a move, the test clock keeps running: a quiet window still ends by itself', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Still Running');
  const service = await sandbox.service('Cloud Backup');
  await sandbox.accounts({ id: '1', name: 'Fabrikam' });
  const moved = await sandbox.advance({ seconds: 3 * 24 * 3600 });
  assert.equal(moved.body.offsetMs, 3 * 24 * 3600 * 1000);

  const counted = await sandbox.count(service, '1', 4);
  assert.equal(counted.status, 201);
  const dueAtMs = Date.parse(counted.body.data.build.dueAt);
  assert.equal(
    dueAtMs,
    clock.nowMs() + moved.body.offsetMs + 2000,
    'due a quiet window later on the test clock',
  );

  await pass(1500);
  assert.equal((await sandbox.billingState()).builds, 0, 'not before the quiet window has passed');
  await pass(1000);
  let state = await sandbox.billingState();
  for (let tries = 0; state.builds === 0 && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    state = await sandbox.billingState();
  }
  assert.equal(state.builds, 1, 'built on the test clock, three days ahead of the server');
  assert.equal(state.state, 'idle');
  assert.ok(state.lastBuiltAt !== null && Date.parse(state.lastBuiltAt) >= dueAtMs);
});

test('a real integration beside a sandbox keeps the server clock', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Beside Real');
  await sandbox.advance({ seconds: 3600 });
  const real = await seedIntegration(t.server, { vendor: 'Real Vendor', partner: 'Real MSP' });
  const organization = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token: real.token });
  assert.equal(organization.status, 200);
  const sandboxClock = (await sandbox.request('GET', '/api/vendor-api/sandbox/clock')).body;
  assert.equal(Date.parse(sandboxClock.now) - clock.nowMs(), 3600_000);
  assert.equal(await t.server.ctx.clocks?.clockFor(real.integrationId), clock);
});
