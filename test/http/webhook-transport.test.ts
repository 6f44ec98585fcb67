import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpWebhookTransport } from '../../src/http/webhook-transport.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

test('the webhook client resolves names through its guard, refuses private addresses, cuts answers short', async () => {
  const receiver = await new WebhookReceiver().start();
  try {
    const transport = httpWebhookTransport({ allowPrivateNetworks: false });
    receiver.decide = () => ({ status: 503, retryAfterSeconds: 7, body: 'x'.repeat(2000) });
    // A name (resolved by the guarded lookup) that lands on loopback is allowed.
    const byName = await transport.send({
      url: receiver.url('/by-name').replace('127.0.0.1', 'localhost'),
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2000,
    });
    assert.equal(byName.statusCode, 503);
    assert.equal(byName.retryAfterMs, 7000);
    assert.equal(byName.snippet.length, 500);
    assert.equal(receiver.received[0]?.body, '{"a":1}');

    const refused = await transport.send({
      url: 'https://10.1.2.3/x',
      headers: {},
      body: '{}',
      timeoutMs: 2000,
    });
    assert.equal(refused.statusCode, null);
    assert.match(refused.error ?? '', /private network/);

    receiver.decide = () => ({ status: 200, delayMs: 500 });
    const slow = await transport.send({
      url: receiver.url('/slow'),
      headers: {},
      body: '{}',
      timeoutMs: 100,
    });
    assert.equal(slow.statusCode, null);
    assert.match(slow.error ?? '', /No answer within 100 ms/);

    const nobody = await transport.send({
      url: 'http://127.0.0.1:1/x',
      headers: {},
      body: '{}',
      timeoutMs: 2000,
    });
    assert.equal(nobody.statusCode, null);
    assert.match(nobody.error ?? '', /ECONNREFUSED/);
  } finally {
    await receiver.close();
  }
});
