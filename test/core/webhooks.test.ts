import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from '../../src/core/webhooks/backoff.js';
import { newWebhookSecret, signatureHeader, signWebhook } from '../../src/core/webhooks/signing.js';
import { checkWebhookUrl, refusedAddress } from '../../src/core/webhooks/url-policy.js';

test('signatures match the example in the Standard Webhooks specification', () => {
  // The specification's published example: secret, message id, timestamp, payload and signature.
  assert.equal(
    signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    ),
    'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  );
  const a = newWebhookSecret();
  const b = newWebhookSecret();
  assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.notEqual(a, b);
  const header = signatureHeader([a, b], 'msg_1', 1700000000, '{}');
  assert.deepEqual(header.split(' '), [
    signWebhook(a, 'msg_1', 1700000000, '{}'),
    signWebhook(b, 'msg_1', 1700000000, '{}'),
  ]);
});

test('the first retry comes within 30 s; delays double to the cap; Retry-After is honoured up to it', () => {
  const policy = { baseMs: 30_000, maxDelayMs: 6 * 3600_000, retryForMs: 3 * 24 * 3600_000 };
  for (const r of [0, 0.5, 0.999]) {
    const first = retryDelayMs(1, policy, () => r);
    assert.ok(first >= 15_000 && first <= 30_000, `first retry after ${first} ms`);
  }
  assert.equal(
    retryDelayMs(2, policy, () => 1),
    60_000,
  );
  assert.equal(
    retryDelayMs(3, policy, () => 0),
    60_000,
  );
  assert.equal(
    retryDelayMs(40, policy, () => 1),
    policy.maxDelayMs,
  );
  assert.equal(
    retryDelayMs(1, policy, () => 0, 120_000),
    120_000,
  );
  assert.equal(
    retryDelayMs(1, policy, () => 0, 10 * 24 * 3600_000),
    policy.maxDelayMs,
  );
  // Over 3 days a failing delivery is tried a bounded number of times.
  let elapsed = 0;
  let attempts = 1;
  while (elapsed + retryDelayMs(attempts, policy, () => 1) <= policy.retryForMs) {
    elapsed += retryDelayMs(attempts, policy, () => 1);
    attempts++;
  }
  assert.ok(attempts > 10 && attempts < 30, `${attempts} attempts in 3 days`);
});

test('webhook URLs: https anywhere public, http only to loopback, private networks only when allowed', () => {
  assert.equal(checkWebhookUrl('https://example.com/hook', false), 'https://example.com/hook');
  assert.equal(checkWebhookUrl('http://127.0.0.1:9000/x', false), 'http://127.0.0.1:9000/x');
  assert.equal(checkWebhookUrl('http://localhost/x', false), 'http://localhost/x');
  assert.equal(checkWebhookUrl('http://[::1]:8080/x', false), 'http://[::1]:8080/x');
  assert.throws(() => checkWebhookUrl('http://example.com/x', false), /https/);
  assert.throws(() => checkWebhookUrl('ftp://example.com/x', false), /https/);
  assert.throws(() => checkWebhookUrl('https://user:pw@example.com/x', false), /user name or password/);
  for (const host of [
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '[fd12::1]',
    '[fe80::1]',
    '[::ffff:10.0.0.1]',
  ]) {
    assert.throws(() => checkWebhookUrl(`https://${host}/x`, false), /private network/, host);
    assert.ok(checkWebhookUrl(`https://${host}/x`, true).startsWith('https://'), host);
  }
  assert.equal(refusedAddress('93.184.216.34', false), null);
  assert.equal(refusedAddress('127.0.0.1', false), null);
  assert.equal(refusedAddress('::ffff:127.0.0.1', false), null);
  assert.match(refusedAddress('192.168.0.10', false) ?? '', /private network/);
  assert.equal(refusedAddress('192.168.0.10', true), null);
});
