import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { consume, describe, intervalUs, type Rate } from '../../src/core/limits/gcra.js';

const T0_MS = Date.UTC(2026, 10, 2, 9, 0, 0);
const HUNDRED_A_SECOND: Rate = { limit: 100, periodMs: 1000 };

/** Feeds events at the given times through one bucket; returns which were admitted. */
const run = (rate: Rate, timesMs: number[]): boolean[] => {
  let tatUs: number | null = null;
  return timesMs.map((nowMs) => {
    const step = consume(tatUs, rate, nowMs);
    tatUs = step.tatUs;
    return step.allowed;
  });
};

test('a full bucket admits exactly `limit` events at one instant, counting down what remains', () => {
  let tatUs: number | null = null;
  const remaining: number[] = [];
  for (let i = 0; i < 100; i++) {
    const step = consume(tatUs, HUNDRED_A_SECOND, T0_MS);
    assert.equal(step.allowed, true, `event ${i + 1} should pass`);
    tatUs = step.tatUs;
    remaining.push(describe(step, HUNDRED_A_SECOND, T0_MS).remaining);
  }
  assert.deepEqual(
    remaining,
    [...Array(100).keys()].map((i) => 99 - i),
  );
  const last = describe({ allowed: true, tatUs: tatUs! }, HUNDRED_A_SECOND, T0_MS);
  assert.equal(last.resetMs, 1000, 'the bucket is full again one second later');

  const refused = consume(tatUs, HUNDRED_A_SECOND, T0_MS);
  assert.equal(refused.allowed, false);
  assert.equal(refused.tatUs, tatUs, 'a refused event leaves the bucket as it was');
  const seen = describe(refused, HUNDRED_A_SECOND, T0_MS);
  assert.deepEqual(seen, { allowed: false, limit: 100, remaining: 0, resetMs: 1000, retryAfterMs: 10 });
});

test('the bucket refills one event per interval, and fully after one period', () => {
  const burst = Array<number>(100).fill(T0_MS);
  const admitted = run(HUNDRED_A_SECOND, [...burst, T0_MS + 9, T0_MS + 10, T0_MS + 10, T0_MS + 1010]);
  assert.deepEqual(admitted.slice(100), [false, true, false, true]);

  const twoSeconds = run(HUNDRED_A_SECOND, [...burst, ...Array<number>(101).fill(T0_MS + 1000)]);
  assert.equal(twoSeconds.filter(Boolean).length, 200, 'the second burst of 100 passes after 1 s');
  assert.equal(twoSeconds.at(-1), false, 'and the 101st of the second burst does not');
});

test('idle time does not buy a bigger burst', () => {
  const admitted = run(HUNDRED_A_SECOND, [T0_MS, ...Array<number>(150).fill(T0_MS + 3_600_000)]);
  assert.equal(admitted.filter(Boolean).length, 1 + 100);
});

test('limits that do not divide the period still admit exactly `limit` at once', () => {
  const rate = { limit: 3, periodMs: 1000 };
  assert.equal(intervalUs(rate), 333_334, 'rounded up, never admitting more than asked');
  assert.deepEqual(run(rate, [T0_MS, T0_MS, T0_MS, T0_MS]), [true, true, true, false]);
  assert.deepEqual(run(rate, [T0_MS, T0_MS, T0_MS, T0_MS + 333, T0_MS + 334]), [
    true,
    true,
    true,
    false,
    true,
  ]);
});

test('in any window, admitted events never exceed the burst plus the refill', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 100, max: 5000 }),
      fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }),
      (limit, periodMs, gapsMs) => {
        const rate = { limit, periodMs };
        let nowMs = T0_MS;
        const times = gapsMs.map((gap) => (nowMs += gap));
        const admitted = run(rate, times);
        const passed = times.filter((_, i) => admitted[i]);
        const interval = intervalUs(rate);
        for (let i = 0; i < passed.length; i++) {
          for (let j = i; j < passed.length; j++) {
            const spanUs = (passed[j]! - passed[i]!) * 1000;
            assert.ok(j - i + 1 <= limit + Math.floor(spanUs / interval), 'too many admitted in a window');
          }
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('a refused event retried after retryAfterMs passes, and events spaced an interval apart always pass', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100 }), (limit, extra) => {
      const rate = { limit, periodMs: 1000 };
      let tatUs: number | null = null;
      for (let i = 0; i < limit + extra; i++) tatUs = consume(tatUs, rate, T0_MS).tatUs;
      const refused = consume(tatUs, rate, T0_MS);
      assert.equal(refused.allowed, false);
      const waitMs = describe(refused, rate, T0_MS).retryAfterMs;
      assert.ok(waitMs > 0);
      assert.equal(consume(tatUs, rate, T0_MS + waitMs).allowed, true);
    }),
  );
  const spaced = [...Array(500).keys()].map((i) => T0_MS + i * 10);
  assert.ok(run(HUNDRED_A_SECOND, spaced).every(Boolean));
});

test('a weighted event spends `weight` events at once, all or none', () => {
  const first = consume(null, HUNDRED_A_SECOND, T0_MS, 60);
  assert.equal(first.allowed, true);
  assert.equal(describe(first, HUNDRED_A_SECOND, T0_MS).remaining, 40);
  // 50 more do not fit in the 40 left: refused whole, the bucket untouched.
  const second = consume(first.tatUs, HUNDRED_A_SECOND, T0_MS, 50);
  assert.equal(second.allowed, false);
  assert.equal(second.tatUs, first.tatUs);
  // A tenth of a second later ten more have refilled: 50 fit.
  const third = consume(first.tatUs, HUNDRED_A_SECOND, T0_MS + 100, 50);
  assert.equal(third.allowed, true);
  assert.equal(describe(third, HUNDRED_A_SECOND, T0_MS + 100).remaining, 0);
});

test('a weight of one is the same as an unweighted event', () => {
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
      fc.integer({ min: 0, max: 5000 }),
      (tat, dtMs) => {
        const tatUs = tat === null ? null : toUsAt(tat);
        assert.deepEqual(
          consume(tatUs, HUNDRED_A_SECOND, T0_MS + dtMs, 1),
          consume(tatUs, HUNDRED_A_SECOND, T0_MS + dtMs),
        );
      },
    ),
  );
});

const toUsAt = (offsetUs: number): number => T0_MS * 1000 + offsetUs;
