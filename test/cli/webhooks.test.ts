import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { json, tally, tallyServing, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
let receiver: WebhookReceiver;
before(async () => {
  receiver = await new WebhookReceiver().start();
});
after(async () => {
  await receiver.close();
  cleanup();
});

test('tally webhooks: create, list, update, rotate, test (sent by a running server), log, replay, delete', async () => {
  const env = { TALLY_DB: join(dir, 'hooks.db'), TALLY_WEBHOOK_POLL_MS: '20' };
  const partner = json(await tally(['partner', 'create', '--name', 'Blue MSP', '--json'], env));
  const p = ['--partner', partner.partnerId];

  const created = json(
    await tally(
      [
        'webhooks',
        'create',
        ...p,
        '--url',
        receiver.url('/cli'),
        '--events',
        'billing.built,card.changed',
        '--json',
      ],
      env,
    ),
  );
  assert.match(created.secret, /^whsec_/);
  assert.deepEqual(created.eventTypes, ['billing.built', 'card.changed']);

  const listed = json(await tally(['webhooks', 'list', ...p, '--json'], env));
  assert.equal(listed.endpoints.length, 1);
  assert.equal('secret' in listed.endpoints[0], false);

  const bad = await tally(
    ['webhooks', 'create', ...p, '--url', 'http://example.com/x', '--events', 'billing.built'],
    env,
  );
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /error: url must use https/);
  const nobody = await tally(['webhooks', 'list'], env);
  assert.notEqual(nobody.code, 0);
  assert.match(nobody.stderr, /--partner <id> or --vendor <id>/);

  const disabled = json(await tally(['webhooks', 'update', created.id, ...p, '--disable', '--json'], env));
  assert.equal(disabled.enabled, false);
  const enabled = json(await tally(['webhooks', 'update', created.id, ...p, '--enable', '--json'], env));
  assert.equal(enabled.enabled, true);

  const rotated = json(await tally(['webhooks', 'rotate-secret', created.id, ...p, '--json'], env));
  assert.notEqual(rotated.secret, created.secret);

  const queued = json(await tally(['webhooks', 'test', created.id, ...p, '--json'], env));
  assert.match(queued.eventId, /^msg_/);
  const server = await tallyServing(['serve', '--port', '0'], env);
  try {
    await receiver.until(() => receiver.received.some((r) => r.headers['webhook-id'] === queued.eventId));
  } finally {
    await server.stop();
  }
  const log = json(await tally(['webhooks', 'log', created.id, ...p, '--json'], env));
  assert.equal(log.deliveries[0].eventId, queued.eventId);
  assert.equal(log.deliveries[0].status, 'delivered');
  assert.equal(log.deliveries[0].attempts[0].statusCode, 204);

  const replayed = json(
    await tally(['webhooks', 'replay', created.id, ...p, '--event', queued.eventId, '--json'], env),
  );
  assert.deepEqual(replayed, { queued: 1, truncated: false });
  const both = await tally(['webhooks', 'replay', created.id, ...p], env);
  assert.match(both.stderr, /exactly one of --event/);

  json(await tally(['webhooks', 'delete', created.id, ...p, '--json'], env));
  assert.equal(json(await tally(['webhooks', 'list', ...p, '--json'], env)).endpoints.length, 0);
});

test('every tally webhooks command has --help with an example', async () => {
  for (const sub of ['list', 'create', 'update', 'delete', 'rotate-secret', 'test', 'log', 'replay']) {
    const help = await tally(['webhooks', sub, '--help']);
    assert.equal(help.code, 0, sub);
    assert.match(help.stdout, /--json/, sub);
    assert.match(help.stdout, /Examples?:\n {2}\$ tally webhooks /, sub);
  }
});
