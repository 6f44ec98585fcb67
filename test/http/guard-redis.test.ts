import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import { MemoryLimitStore } from '../../src/core/limits/memory-limit-store.js';
import { createGuard } from '../../src/http/guard/create-guard.js';
import { Metrics } from '../../src/http/metrics.js';
import { RedisLimitStore } from '../../src/http/guard/redis-limit-store.js';
import { call, seedIntegration, startServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { openTestStore } from '../support/stores.js';
import { TEST_REDIS_URL, deleteKeys, guardBackend, redisSkipReason } from './guard-support.js';

const skip = await redisSkipReason();
const T0_MS = Date.UTC(2026, 10, 2, 9, 0, 0);

test('a configured but unreachable Redis stops the start, without printing the URL', async () => {
  const config = loadConfig({}, { redisUrl: 'redis://:secret@127.0.0.1:1' });
  await assert.rejects(createGuard(config, systemClock, new Metrics()), (error: Error) => {
    assert.match(error.message, /^Cannot reach Redis \(REDIS_URL\) for rate limits: .*ECONNREFUSED/);
    assert.doesNotMatch(error.message, /secret/);
    return true;
  });
});

describe('Redis-backed limits', { skip }, () => {
  test('two servers sharing Redis spend one budget and share anomaly blocks', async () => {
    const backend = guardBackend('redis');
    const store = await openTestStore();
    const clock = new ManualClock();
    const config = { ...backend.config, rateLimitPerSecond: 10, trustProxy: true, authFailureLimit: 2 };
    const a = await startServer({ clock, store, config });
    const b = await startServer({ clock, store, config });
    try {
      const f = await seedIntegration(a.server);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const server = i % 2 === 0 ? a : b;
        statuses.push(
          (await call(server.baseUrl, 'GET', '/api/vendor-api/organization', { token: f.token })).status,
        );
      }
      assert.deepEqual(statuses, [...Array<number>(10).fill(200), 429, 429]);

      const headers = { 'x-forwarded-for': '203.0.113.9' };
      for (let i = 0; i < 2; i++) {
        assert.equal((await call(a.baseUrl, 'GET', '/api/vendor-api', { headers })).status, 401);
      }
      const atB = await call(b.baseUrl, 'GET', '/api/vendor-api', { token: f.vendorToken, headers });
      assert.equal(atB.status, 403, 'an address blocked through one server is blocked at the other');
    } finally {
      await a.close();
      await b.close();
      await store.close();
      await backend.cleanup();
    }
  });

  describe('the Lua script', () => {
    const prefix = `tally-test:${randomBytes(6).toString('hex')}:`;
    let redis: RedisLimitStore;
    before(async () => {
      redis = await RedisLimitStore.connect(TEST_REDIS_URL, prefix);
    });
    after(async () => {
      await redis.close();
      await deleteKeys(prefix);
    });

    test('decides exactly as the in-process algorithm, event for event', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.record({ limit: fc.integer({ min: 1, max: 10 }), periodMs: fc.integer({ min: 50, max: 2000 }) }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 300 })), {
            minLength: 1,
            maxLength: 40,
          }),
          async (rate, events) => {
            run += 1;
            const memory = new MemoryLimitStore();
            let nowMs = T0_MS;
            for (const [which, gapMs] of events) {
              nowMs += gapMs;
              const key = `run${run}:k${which}`;
              const expected = await memory.consume(key, rate, nowMs);
              assert.deepEqual(await redis.consume(key, rate, nowMs), expected);
            }
          },
        ),
        { numRuns: 40 },
      );
    });

    test('keeps blocks until their end on the caller clock, and expires its keys', async () => {
      await redis.block('b:x', T0_MS + 5_000, T0_MS);
      assert.equal(await redis.blockedUntil('b:x', T0_MS + 4_999), T0_MS + 5_000);
      assert.equal(await redis.blockedUntil('b:x', T0_MS + 5_000), null);
      assert.equal(await redis.blockedUntil('b:never', T0_MS), null);
      await redis.consume('r:x', { limit: 1, periodMs: 1000 }, T0_MS);
      const probe = new Redis(TEST_REDIS_URL);
      try {
        const ttlsMs = await Promise.all([probe.pttl(`${prefix}b:x`), probe.pttl(`${prefix}r:x`)]);
        for (const ttlMs of ttlsMs) assert.ok(ttlMs > 0 && ttlMs <= 65_000, `unexpected TTL ${ttlMs}`);
      } finally {
        await probe.quit();
      }
    });
  });
});
