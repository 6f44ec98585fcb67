import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnomalyError, RateLimitedError, TallyError } from '../../src/core/errors.js';
import { MemoryLimitStore } from '../../src/core/limits/memory-limit-store.js';
import { VendorLimits, type LimitRule, type LimitSettings } from '../../src/core/limits/vendor-limits.js';
import { ManualClock } from '../support/manual-clock.js';

const SETTINGS: LimitSettings = {
  rateLimitPerSecond: 3,
  authFailureLimit: 4,
  authFailureWindowMs: 60_000,
  authBlockMs: 300_000,
  rateLimitAbuseLimit: 2,
  rateLimitAbuseWindowMs: 60_000,
  rateLimitAbuseBlockMs: 30_000,
};

const setup = (settings: Partial<LimitSettings> = {}) => {
  const clock = new ManualClock();
  const store = new MemoryLimitStore();
  const seen = { rateLimited: 0, anomalies: [] as LimitRule[] };
  const limits = new VendorLimits(
    store,
    clock,
    { ...SETTINGS, ...settings },
    {
      rateLimited: () => seen.rateLimited++,
      anomaly: (rule) => seen.anomalies.push(rule),
    },
  );
  return { clock, store, seen, limits };
};

/** The TallyError a promise rejects with. */
const failure = async (promise: Promise<unknown>): Promise<TallyError> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TallyError, `expected a TallyError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
};

test('admit reports the budget and refuses the request past it with every header value', async () => {
  const { limits, seen } = setup();
  assert.deepEqual(await limits.admit('i:a'), { limit: 3, remaining: 2, resetSeconds: 1 });
  await limits.admit('i:a');
  assert.deepEqual(await limits.admit('i:a'), { limit: 3, remaining: 0, resetSeconds: 1 });
  const error = await failure(limits.admit('i:a'));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.message, 'Request limit reached (3 requests a second)');
  assert.ok(error instanceof RateLimitedError);
  assert.equal(error.retryAfterSeconds, 1);
  assert.deepEqual(error.rateLimit, { limit: 3, remaining: 0, resetSeconds: 1 });
  assert.equal(seen.rateLimited, 1);
  assert.deepEqual(await limits.admit('i:b'), { limit: 3, remaining: 2, resetSeconds: 1 }, 'own budget');
});

test('the message follows the configured number, singular included', async () => {
  const { limits } = setup({ rateLimitPerSecond: 1 });
  await limits.admit('v:x');
  const error = await failure(limits.admit('v:x'));
  assert.equal(error.message, 'Request limit reached (1 request a second)');
});

test('the failure that reaches the limit blocks the address until the cool-down ends', async () => {
  const { limits, clock, seen } = setup();
  for (let i = 0; i < 3; i++) await limits.recordAuthFailure('10.0.0.1');
  await limits.checkAddress('10.0.0.1');
  await limits.recordAuthFailure('10.0.0.1');
  const error = await failure(limits.checkAddress('10.0.0.1'));
  assert.equal(error.code, 'forbidden');
  assert.ok(error instanceof AnomalyError);
  assert.deepEqual([error.anomaly, error.retryAfterSeconds], ['auth_failures', 300]);
  await limits.checkAddress('10.0.0.2');
  clock.advance(299_999);
  await failure(limits.checkAddress('10.0.0.1'));
  clock.advance(1);
  await limits.checkAddress('10.0.0.1');
  assert.deepEqual(seen.anomalies, ['auth_failures', 'auth_failures']);
});

test('failures spread thinner than the limit per window never block', async () => {
  const { limits, clock } = setup();
  for (let i = 0; i < 20; i++) {
    await limits.recordAuthFailure('10.0.0.1');
    await limits.checkAddress('10.0.0.1');
    clock.advance(15_000);
  }
});

test('a token that keeps sending after 429s is blocked, then admitted with a full budget', async () => {
  const { limits, clock, seen } = setup();
  for (let i = 0; i < 3; i++) await limits.admit('i:a');
  assert.equal((await failure(limits.admit('i:a'))).code, 'rate_limited');
  assert.equal((await failure(limits.admit('i:a'))).code, 'rate_limited', 'the second 429 starts the block');
  clock.advance(1000);
  const blocked = await failure(limits.admit('i:a'));
  assert.equal(blocked.code, 'forbidden', 'blocked although the rate budget has refilled');
  assert.ok(blocked instanceof AnomalyError);
  assert.deepEqual([blocked.anomaly, blocked.retryAfterSeconds], ['rate_limit_abuse', 29]);
  clock.advance(29_000);
  assert.deepEqual(await limits.admit('i:a'), { limit: 3, remaining: 2, resetSeconds: 1 });
  assert.equal(seen.rateLimited, 2);
  assert.deepEqual(seen.anomalies, ['rate_limit_abuse']);
});

test('the memory store forgets spent buckets and ended blocks as time passes', async () => {
  const { limits, clock, store } = setup();
  for (let i = 0; i < 4; i++) await limits.recordAuthFailure('10.0.0.1');
  await limits.admit('i:a');
  assert.equal(store.size, 3, 'auth bucket, auth block, rate bucket');
  clock.advance(300_000);
  await limits.admit('i:b');
  assert.equal(store.size, 1, 'only the bucket just used remains');
});
