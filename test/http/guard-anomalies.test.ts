import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Config } from '../../src/config/config.js';
import { gradientToken } from '../../src/core/auth/keys.js';
import { call, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { guardBackend, guardBackends } from './guard-support.js';

const ORGANIZATION = '/api/vendor-api/organization';
const GUESSER = '203.0.113.7';
const BYSTANDER = '198.51.100.2';

/** One request from a given client address (the server trusts X-Forwarded-For in these tests). */
const from = (t: TestServer, address: string, token: string | undefined) =>
  call(t.baseUrl, 'GET', ORGANIZATION, { token, headers: { 'x-forwarded-for': address } });

const anomalyCount = async (t: TestServer, rule: string): Promise<number> => {
  const text = await fetch(`${t.baseUrl}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(`tally_anomaly_blocks_total{rule="${rule}"} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
};

for (const { name, skip } of await guardBackends()) {
  describe(`vendor API anomaly rules (${name} backend)`, { skip }, () => {
    const closers: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
    });

    const start = async (config: Partial<Config>): Promise<{ t: TestServer; clock: ManualClock }> => {
      const backend = guardBackend(name);
      closers.push(() => backend.cleanup());
      const clock = new ManualClock();
      const t = await startServer({ clock, config: { ...backend.config, trustProxy: true, ...config } });
      closers.push(() => t.close());
      return { t, clock };
    };

    test('a burst of 401s blocks that address, even with a valid token, until the cool-down ends', async () => {
      const { t, clock } = await start({
        authFailureLimit: 5,
        authFailureWindowMs: 60_000,
        authBlockMs: 300_000,
      });
      const f = await seedIntegration(t.server);
      const guess = gradientToken(f.vendorKey, 'tpk_guessed');

      assert.equal((await from(t, GUESSER, undefined)).status, 401, 'a missing token counts too');
      for (let i = 0; i < 4; i++) assert.equal((await from(t, GUESSER, guess)).status, 401);

      const blocked = await from(t, GUESSER, f.token);
      assert.equal(blocked.status, 403);
      assert.deepEqual(blocked.body, {
        statusCode: 403,
        message: 'Too many failed authentications from this address; try again later',
        error: 'Forbidden',
      });
      assert.equal(blocked.headers.get('retry-after'), '300');
      assert.equal((await from(t, BYSTANDER, f.token)).status, 200, 'other addresses are not affected');
      assert.equal(await anomalyCount(t, 'auth_failures'), 1);

      clock.advance(299_000);
      assert.equal((await from(t, GUESSER, f.token)).status, 403);
      clock.advance(1_000);
      assert.equal((await from(t, GUESSER, f.token)).status, 200, 'lifted after the cool-down');
    });

    test('a token that keeps sending after 429s is blocked with 403, then lifted', async () => {
      const { t, clock } = await start({
        rateLimitPerSecond: 2,
        rateLimitAbuseLimit: 3,
        rateLimitAbuseWindowMs: 60_000,
        rateLimitAbuseBlockMs: 60_000,
      });
      const f = await seedIntegration(t.server);
      const g = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });

      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await from(t, BYSTANDER, f.token)).status);
      assert.deepEqual(statuses, [200, 200, 429, 429, 429, 403]);

      clock.advance(1_000);
      const blocked = await from(t, BYSTANDER, f.token);
      assert.equal(blocked.status, 403, 'still blocked though the rate budget has refilled');
      assert.equal(
        blocked.body.message,
        'Requests kept coming after the rate limit was reached; try again later',
      );
      assert.equal(blocked.headers.get('retry-after'), '59');
      assert.equal((await from(t, BYSTANDER, g.token)).status, 200, 'other tokens are not affected');
      assert.equal(await anomalyCount(t, 'rate_limit_abuse'), 2);

      clock.advance(59_000);
      const lifted = await from(t, BYSTANDER, f.token);
      assert.equal(lifted.status, 200);
      assert.equal(lifted.headers.get('ratelimit-remaining'), '1');
    });
  });
}

describe('a disconnected integration', () => {
  test('is refused with 403 while its vendor-only token still works', async () => {
    const clock = new ManualClock();
    const t = await startServer({ clock });
    try {
      const f = await seedIntegration(t.server);
      assert.equal((await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token })).status, 200);

      await t.store.disconnectIntegration(f.integrationId, clock.nowMs());
      const refused = await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token });
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, {
        statusCode: 403,
        message: 'This integration was disconnected by the partner',
        error: 'Forbidden',
      });
      const vendorRoute = await call(t.baseUrl, 'GET', '/api/vendor-api', { token: f.token });
      assert.equal(vendorRoute.status, 403, 'a partner half that is present must be valid');
      assert.equal((await call(t.baseUrl, 'GET', '/api/vendor-api', { token: f.vendorToken })).status, 200);
      assert.equal(await anomalyCount(t, 'integration_disconnected'), 2);
    } finally {
      await t.close();
    }
  });
});
