import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoundLoop } from '../../src/core/round-loop.js';
import { ManualClock } from '../support/manual-clock.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('kicks during a round run one more round after it, never two at once', async () => {
  const clock = new ManualClock();
  let running = 0;
  let most = 0;
  let rounds = 0;
  let release: () => void = () => {};
  const loop = new RoundLoop(
    clock,
    async () => {
      running++;
      most = Math.max(most, running);
      rounds++;
      if (rounds === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    },
    { pollMs: 1000 },
  );
  loop.start();
  loop.kick();
  loop.kick();
  release();
  await loop.idle();
  assert.equal(rounds, 2, 'the kicks during the first round made exactly one more');
  assert.equal(most, 1);
  await loop.stop();
});

test('a round that fails is tried again within pollMs; a round asked for sooner runs sooner', async () => {
  const clock = new ManualClock();
  const errors: unknown[] = [];
  let rounds = 0;
  const loop = new RoundLoop(
    clock,
    async () => {
      rounds++;
      if (rounds === 1) throw new Error('store away');
    },
    { pollMs: 1000, onError: (error) => errors.push(error) },
  );
  loop.start();
  await loop.idle();
  assert.equal(errors.length, 1);
  clock.advance(999);
  await settle();
  assert.equal(rounds, 1);
  clock.advance(1);
  await loop.idle();
  assert.equal(rounds, 2, 'the failed round did not stop the loop');

  loop.wakeAt(clock.nowMs() + 10);
  clock.advance(10);
  await loop.idle();
  assert.equal(rounds, 3);
  await loop.stop();
  clock.advance(5000);
  await settle();
  assert.equal(rounds, 3, 'a stopped loop does not wake');
});
