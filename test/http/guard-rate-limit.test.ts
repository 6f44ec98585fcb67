import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Config } from '../../src/config/config.js';
import { gradientToken } from '../../src/core/auth/keys.js';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createPartner } from '../../src/core/partners/create-partner.js';
import { call, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { guardBackend, guardBackends } from './guard-support.js';

const ORGANIZATION = '/api/vendor-api/organization';
const VENDOR = '/api/vendor-api';

const rateHeaders = (headers: Headers) => ({
  limit: headers.get('ratelimit-limit'),
  remaining: headers.get('ratelimit-remaining'),
  reset: headers.get('ratelimit-reset'),
});

for (const { name, skip } of await guardBackends()) {
  describe(`vendor API rate limit (${name} backend)`, { skip }, () => {
    const closers: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
    });

    /** A server on a stepped clock with this backend; closed and cleaned up after the test. */
    const start = async (config: Partial<Config> = {}): Promise<{ t: TestServer; clock: ManualClock }> => {
      const backend = guardBackend(name);
      closers.push(() => backend.cleanup());
      const clock = new ManualClock();
      const t = await startServer({ clock, config: { ...backend.config, ...config } });
      closers.push(() => t.close());
      return { t, clock };
    };

    test('100 requests in one second pass, the 101st gets 429 with its headers, the next second passes', async () => {
      const { t, clock } = await start();
      const f = await seedIntegration(t.server);
      const first = await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token });
      assert.equal(first.status, 200);
      assert.deepEqual(rateHeaders(first.headers), { limit: '100', remaining: '99', reset: '1' });

      const rest = await Promise.all(
        Array.from({ length: 99 }, () => call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token })),
      );
      assert.deepEqual(
        rest.map((r) => r.status),
        Array<number>(99).fill(200),
      );
      const remaining = rest.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort((a, b) => a - b);
      assert.deepEqual(remaining, [...Array(99).keys()], 'each request saw one less remaining');

      const over = await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token });
      assert.equal(over.status, 429);
      assert.deepEqual(over.body, {
        statusCode: 429,
        message: 'Request limit reached (100 requests a second)',
        error: 'Too Many Requests',
      });
      assert.equal(over.headers.get('retry-after'), '1');
      assert.deepEqual(rateHeaders(over.headers), { limit: '100', remaining: '0', reset: '1' });

      clock.advance(1000);
      const next = await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token });
      assert.equal(next.status, 200);
      assert.deepEqual(rateHeaders(next.headers), { limit: '100', remaining: '99', reset: '1' });

      const metrics = await fetch(`${t.baseUrl}/metrics`).then((r) => r.text());
      assert.match(metrics, /^tally_rate_limit_rejections_total 1$/m);
    });

    test('two integrations of one vendor have separate budgets, and the limit follows the config', async () => {
      const { t } = await start({ rateLimitPerSecond: 5 });
      const f = await seedIntegration(t.server);
      const { partner } = await createPartner(t.server.ctx, { name: 'Green MSP' });
      const other = await connectIntegration(t.server.ctx, { vendorId: f.vendorId, partnerId: partner.id });
      const otherToken = gradientToken(f.vendorKey, other.partnerKey);

      for (let i = 0; i < 5; i++) {
        assert.equal((await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token })).status, 200);
      }
      const over = await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token });
      assert.equal(over.status, 429);
      assert.equal(over.body.message, 'Request limit reached (5 requests a second)');

      const fresh = await call(t.baseUrl, 'GET', ORGANIZATION, { token: otherToken });
      assert.equal(fresh.status, 200);
      assert.deepEqual(rateHeaders(fresh.headers), { limit: '5', remaining: '4', reset: '1' });
    });

    test('a vendor-only token is limited per vendor, apart from its integrations', async () => {
      const { t } = await start({ rateLimitPerSecond: 3 });
      const f = await seedIntegration(t.server);
      const g = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });

      for (let i = 0; i < 3; i++) {
        assert.equal((await call(t.baseUrl, 'GET', VENDOR, { token: f.vendorToken })).status, 200);
      }
      assert.equal((await call(t.baseUrl, 'GET', VENDOR, { token: f.vendorToken })).status, 429);
      assert.equal(
        (await call(t.baseUrl, 'GET', VENDOR, { token: f.vendorToken })).status,
        429,
        'same vendor key, same budget',
      );
      assert.equal((await call(t.baseUrl, 'GET', VENDOR, { token: g.vendorToken })).status, 200);
      assert.equal((await call(t.baseUrl, 'GET', ORGANIZATION, { token: f.token })).status, 200);
    });
  });
}
