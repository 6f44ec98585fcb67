import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { pythonOrSkip, verifyWithPython } from '../support/verify-python.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
let world: World;
let receiver: WebhookReceiver;

const partner = (method: string, path: string, body?: unknown, bearer = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner/webhooks${path}`, { bearer, body });

before(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startServer({
    config: {
      buildQuietMs: 30,
      buildMaxWaitMs: 200,
      buildPollMs: 50,
      webhookPollMs: 20,
      webhookRetryBaseMs: 40,
      webhookRetryMaxDelayMs: 200,
      webhookTimeoutMs: 300,
    },
  });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  world = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
});
after(async () => {
  try {
    await t.close();
  } finally {
    await receiver.close();
  }
});

test('an endpoint is created with its secret shown once, listed without it, and deleted with 204', async () => {
  const created = await partner('POST', '', {
    url: receiver.url('/created'),
    eventTypes: ['billing.built', 'card.changed'],
    description: 'Billing robot',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(created.body.url, receiver.url('/created'));
  assert.deepEqual(created.body.eventTypes, ['billing.built', 'card.changed']);
  assert.equal(created.body.enabled, true);

  const listed = await partner('GET', '');
  assert.equal(listed.status, 200);
  const mine = listed.body.find((e: { id: string }) => e.id === created.body.id);
  assert.equal(mine.description, 'Billing robot');
  assert.equal('secret' in mine, false, 'the secret is never listed');
  assert.equal(
    (await partner('GET', '', undefined, other.partnerToken)).body.length,
    0,
    'partners see their own',
  );
  assert.equal((await partner('GET', `/${created.body.id}`, undefined, other.partnerToken)).status, 404);

  const deleted = await partner('DELETE', `/${created.body.id}`);
  assert.equal(deleted.status, 204);
  assert.equal((await partner('GET', `/${created.body.id}`)).status, 404);
});

test('URLs must be https or loopback, private networks are refused, and event types are checked', async () => {
  const refuse = async (body: unknown, message: RegExp) => {
    const r = await partner('POST', '', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.message, message);
  };
  await refuse({ url: 'http://example.com/hook', eventTypes: ['billing.built'] }, /https/);
  await refuse({ url: 'https://10.1.2.3/hook', eventTypes: ['billing.built'] }, /private network/);
  await refuse({ url: 'https://[fd00::1]/hook', eventTypes: ['billing.built'] }, /private network/);
  await refuse({ url: 'https://169.254.169.254/latest', eventTypes: ['billing.built'] }, /private network/);
  await refuse({ url: 'not a url', eventTypes: ['billing.built'] }, /absolute URL/);
  await refuse({ url: 'https://example.com/hook', eventTypes: ['billing.exploded'] }, /unknown event type/);
  const vendorCard = await call(t.baseUrl, 'POST', '/api/vendor-api/webhooks', {
    token: f.vendorToken,
    body: { url: 'https://example.com/hook', eventTypes: ['card.changed'] },
  });
  assert.equal(vendorCard.status, 400, 'card events are the partner’s business');
  assert.match(vendorCard.body.message, /unknown event type card.changed/);
  const ok = await partner('POST', '', { url: 'https://example.com/hook', eventTypes: ['billing.built'] });
  assert.equal(ok.status, 201);
  await partner('DELETE', `/${ok.body.id}`);
});

test('billing.built and card.changed arrive signed; Python’s hmac verifies every signature', async () => {
  const created = await partner('POST', '', {
    url: receiver.url('/billing'),
    eventTypes: ['billing.built', 'card.changed'],
  });
  const [sku] = world.skuIds as [string];
  const [account] = world.accountIds as [string];
  assert.equal((await sendCount(t.baseUrl, f, sku, account, 7)).status, 201);
  await receiver.until(
    () => receiver.received.filter((r) => r.path === '/billing' && r.status === 204).length >= 2,
  );
  const hits = receiver.received.filter((r) => r.path === '/billing');
  const built = hits.find((r) => JSON.parse(r.body).type === 'billing.built');
  assert.ok(built);
  const body = JSON.parse(built.body);
  assert.deepEqual(Object.keys(body), ['type', 'timestamp', 'data']);
  assert.equal(body.data.integrationId, f.integrationId);
  assert.equal(typeof body.data.revision, 'number');
  assert.ok(body.data.revision >= 1);
  assert.match(String(built.headers['webhook-id']), /^msg_[0-9a-f]{24}$/);
  assert.ok(Math.abs(Number(built.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
  const card = hits.find((r) => JSON.parse(r.body).type === 'card.changed');
  assert.ok(card);
  assert.equal(JSON.parse(card.body).data.vendorQuantity, 7);
  assert.equal(JSON.parse(card.body).data.previousVendorQuantity, 0);

  // Deciding the card announces card.actioned, once the endpoint subscribes to it.
  await partner('PATCH', `/${created.body.id}`, {
    eventTypes: ['billing.built', 'card.changed', 'card.actioned'],
  });
  const cardId = JSON.parse(card.body).data.cardId as string;
  const period = new Date().toISOString().slice(0, 7);
  const acted = await call(t.baseUrl, 'POST', '/api/partner/billing/actions', {
    bearer: f.partnerToken,
    body: { period, cardIds: [cardId], action: 'approve' },
  });
  assert.equal(acted.status, 200, JSON.stringify(acted.body));
  await receiver.until(() =>
    receiver.received.some((r) => r.path === '/billing' && JSON.parse(r.body).type === 'card.actioned'),
  );
  const actioned = JSON.parse(
    receiver.received.find((r) => r.path === '/billing' && JSON.parse(r.body).type === 'card.actioned')!.body,
  );
  assert.deepEqual(actioned.data, {
    cardId,
    period,
    action: 'approve',
    quantity: 7,
    effectiveDate: actioned.data.effectiveDate,
    agreementLineId: acted.body.results[0].agreementLineId,
    by: 'api token',
  });

  if (!pythonOrSkip('independent signature check')) return;
  const messages = hits.map((r) => ({
    secret: created.body.secret as string,
    id: String(r.headers['webhook-id']),
    timestamp: String(r.headers['webhook-timestamp']),
    body: r.body,
    signature: String(r.headers['webhook-signature']),
  }));
  assert.deepEqual(
    verifyWithPython(messages),
    messages.map(() => true),
  );
  const tampered = { ...messages[0]!, body: messages[0]!.body.replace('"revision":', '"revision": ') };
  assert.deepEqual(verifyWithPython([tampered]), [false], 'a changed body fails verification');
  await partner('DELETE', `/${created.body.id}`);
});

test('after a rotation deliveries carry both signatures for 24 h; each secret verifies', async () => {
  const created = await partner('POST', '', { url: receiver.url('/rotate'), eventTypes: ['billing.built'] });
  const rotated = await partner('POST', `/${created.body.id}/rotate-secret`);
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.secret, created.body.secret);
  const until = Date.parse(rotated.body.previousSecretValidUntil) - Date.now();
  assert.ok(until > 23.9 * 3600_000 && until <= 24 * 3600_000, `grace ${until} ms`);
  const test = await partner('POST', `/${created.body.id}/test`);
  assert.equal(test.status, 202);
  await receiver.until(() => receiver.received.some((r) => r.headers['webhook-id'] === test.body.eventId));
  const hit = receiver.received.find((r) => r.headers['webhook-id'] === test.body.eventId);
  assert.ok(hit);
  const signatures = String(hit.headers['webhook-signature']).split(' ');
  assert.equal(signatures.length, 2);
  assert.equal(JSON.parse(hit.body).type, 'webhook.test');
  if (pythonOrSkip('independent check of both signatures after a rotation')) {
    const base = {
      id: test.body.eventId,
      timestamp: String(hit.headers['webhook-timestamp']),
      body: hit.body,
      signature: String(hit.headers['webhook-signature']),
    };
    assert.deepEqual(
      verifyWithPython([
        { ...base, secret: rotated.body.secret },
        { ...base, secret: created.body.secret },
      ]),
      [true, true],
    );
  }
  await partner('DELETE', `/${created.body.id}`);
});

test('failures are retried with the same webhook-id; the log shows each attempt; 429 Retry-After is honoured', async () => {
  const created = await partner('POST', '', { url: receiver.url('/flaky'), eventTypes: ['billing.built'] });
  let calls = 0;
  receiver.decide = ({ path }) => {
    if (path !== '/flaky') return { status: 204 };
    calls++;
    if (calls === 1) return { status: 500, body: 'boom' };
    if (calls === 2) return { status: 429, retryAfterSeconds: 0 };
    if (calls === 3) return { status: 200, delayMs: 600 }; // past the 300 ms timeout
    return { status: 200, body: 'ok' };
  };
  try {
    const sent = await partner('POST', `/${created.body.id}/test`);
    await receiver.until(() => receiver.received.filter((r) => r.path === '/flaky').length >= 4);
    const hits = receiver.received.filter((r) => r.path === '/flaky');
    assert.deepEqual(
      new Set(hits.map((r) => r.headers['webhook-id'])),
      new Set([sent.body.eventId]),
      'every retry carries the same webhook-id',
    );
    let log = await partner('GET', `/${created.body.id}/deliveries`);
    for (let i = 0; i < 50 && log.body[0]?.status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      log = await partner('GET', `/${created.body.id}/deliveries`);
    }
    assert.equal(log.status, 200);
    const [delivery] = log.body;
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.eventId, sent.body.eventId);
    assert.deepEqual(
      delivery.attempts.map((a: { statusCode: number | null }) => a.statusCode),
      [500, 429, null, 200],
    );
    assert.equal(delivery.attempts[0].responseSnippet, 'boom');
    assert.match(delivery.attempts[2].error, /No answer within 300 ms/);
    assert.equal(delivery.attempts[3].responseSnippet, 'ok');
    assert.ok(delivery.attempts.every((a: { latencyMs: number }) => a.latencyMs >= 0));
  } finally {
    receiver.decide = () => ({ status: 204 });
  }
  await partner('DELETE', `/${created.body.id}`);
});

test('count.unmapped goes out once per account and service, not once per refused count', async () => {
  const created = await partner('POST', '', {
    url: receiver.url('/unmapped'),
    eventTypes: ['count.unmapped'],
  });
  const [sku] = world.skuIds as [string];
  const account = world.accountIds[1] as string;
  await t.store.deleteMapping(f.integrationId, 'account', account);
  // Plain counts (the batched path) first, then counts with an Idempotency-Key (the general path):
  // both announce through the same debounce.
  for (let i = 0; i < 5; i++) {
    const options = i < 3 ? {} : { idempotencyKey: `unmapped-${i}` };
    const refused = await sendCount(t.baseUrl, f, sku, account, 10 + i, options);
    assert.equal(refused.status, 404);
  }
  await receiver.until(() => receiver.received.some((r) => r.path === '/unmapped'));
  await new Promise((r) => setTimeout(r, 200));
  const hits = receiver.received.filter((r) => r.path === '/unmapped');
  assert.equal(hits.length, 1, 'debounced to one event');
  assert.deepEqual(JSON.parse(hits[0]!.body).data, {
    integrationId: f.integrationId,
    accountId: account,
    serviceId: sku,
    unitCount: 10,
    reason: 'account_unmapped',
  });
  await partner('DELETE', `/${created.body.id}`);
});

test('pause, resume and disconnect reach partner and vendor endpoints; replay resends with the same id', async () => {
  const mine = await partner('POST', '', {
    url: receiver.url('/lifecycle'),
    eventTypes: ['integration.paused', 'integration.resumed', 'integration.disconnected'],
  });
  const vendor = await call(t.baseUrl, 'POST', '/api/vendor-api/webhooks', {
    token: other.vendorToken,
    body: { url: receiver.url('/vendor'), eventTypes: ['integration.paused', 'integration.disconnected'] },
  });
  assert.equal(vendor.status, 201, JSON.stringify(vendor.body));
  const otherPartner = (path: string) =>
    call(t.baseUrl, 'POST', `/api/partner/integrations/${other.integrationId}${path}`, {
      bearer: other.partnerToken,
    });
  const ownPartner = (path: string) =>
    call(t.baseUrl, 'POST', `/api/partner/integrations/${f.integrationId}${path}`, {
      bearer: f.partnerToken,
    });
  const startedMs = Date.now();
  assert.equal((await ownPartner('/pause')).status, 200);
  assert.equal((await ownPartner('/resume')).status, 200);
  assert.equal((await otherPartner('/pause')).status, 200);
  await receiver.until(
    () =>
      receiver.received.filter((r) => r.path === '/lifecycle').length >= 2 &&
      receiver.received.some((r) => r.path === '/vendor'),
  );
  const types = receiver.received.filter((r) => r.path === '/lifecycle').map((r) => JSON.parse(r.body).type);
  assert.deepEqual(types, ['integration.paused', 'integration.resumed'], 'in the order they happened');
  const vendorHits = receiver.received.filter((r) => r.path === '/vendor');
  assert.equal(vendorHits.length, 1, 'the vendor hears of its own integration only');
  assert.equal(JSON.parse(vendorHits[0]!.body).data.integrationId, other.integrationId);

  const listedByVendor = await call(t.baseUrl, 'GET', '/api/vendor-api/webhooks', {
    token: other.vendorToken,
  });
  assert.equal(listedByVendor.body.length, 1);
  assert.equal(
    (await call(t.baseUrl, 'GET', '/api/vendor-api/webhooks', { token: f.vendorToken })).body.length,
    0,
  );

  const firstId = String(receiver.received.find((r) => r.path === '/lifecycle')?.headers['webhook-id']);
  const one = await partner('POST', `/${mine.body.id}/replay`, { eventId: firstId });
  assert.equal(one.status, 202);
  const all = await partner('POST', `/${mine.body.id}/replay`, {
    since: new Date(startedMs - 1000).toISOString(),
  });
  assert.deepEqual(all.body, { queued: 2, truncated: false });
  await receiver.until(() => receiver.received.filter((r) => r.path === '/lifecycle').length >= 5);
  const ids = receiver.received.filter((r) => r.path === '/lifecycle').map((r) => r.headers['webhook-id']);
  assert.equal(new Set(ids).size, 2, 'replays reuse the original ids');
  assert.equal(ids[2], firstId);
  const unknown = await partner('POST', `/${mine.body.id}/replay`, {
    eventId: 'msg_000000000000000000000000',
  });
  assert.equal(unknown.status, 404);

  const gone = await call(t.baseUrl, 'DELETE', `/api/partner/integrations/${other.integrationId}`, {
    bearer: other.partnerToken,
  });
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
  await receiver.until(() => receiver.received.filter((r) => r.path === '/vendor').length >= 2);
  const lastVendor = receiver.received.filter((r) => r.path === '/vendor').at(-1);
  assert.equal(JSON.parse(lastVendor?.body ?? '{}').type, 'integration.disconnected');

  const disabled = await partner('PATCH', `/${mine.body.id}`, { enabled: false });
  assert.equal(disabled.body.enabled, false);
  assert.equal(disabled.body.disabledReason, 'Disabled by its owner');
  assert.equal((await partner('POST', `/${mine.body.id}/test`)).status, 409);
  await partner('DELETE', `/${mine.body.id}`);
});

test('an endpoint that keeps failing is disabled with a reason; enabling it clears the failure record', async () => {
  const short = await startServer({
    config: {
      webhookPollMs: 20,
      webhookRetryBaseMs: 20,
      webhookRetryMaxDelayMs: 40,
      webhookRetryForMs: 60_000,
      webhookDisableAfterMs: 150,
    },
  });
  try {
    const g = await seedIntegration(short.server);
    const created = await call(short.baseUrl, 'POST', '/api/partner/webhooks', {
      bearer: g.partnerToken,
      body: { url: receiver.url('/down'), eventTypes: ['integration.paused'] },
    });
    receiver.decide = ({ path }) => (path === '/down' ? { status: 503 } : { status: 204 });
    await call(short.baseUrl, 'POST', `/api/partner/webhooks/${created.body.id}/test`, {
      bearer: g.partnerToken,
    });
    let endpoint = created.body;
    for (let i = 0; i < 250 && endpoint.enabled; i++) {
      await new Promise((r) => setTimeout(r, 20));
      endpoint = (
        await call(short.baseUrl, 'GET', `/api/partner/webhooks/${created.body.id}`, {
          bearer: g.partnerToken,
        })
      ).body;
    }
    assert.equal(endpoint.enabled, false);
    assert.match(endpoint.disabledReason, /^Every delivery attempt failed since .*; last error: HTTP 503$/);
    const reenabled = await call(short.baseUrl, 'PATCH', `/api/partner/webhooks/${created.body.id}`, {
      bearer: g.partnerToken,
      body: { enabled: true },
    });
    assert.equal(reenabled.body.enabled, true);
    assert.equal(reenabled.body.disabledReason, null);
    assert.equal(reenabled.body.failingSince, null);
  } finally {
    receiver.decide = () => ({ status: 204 });
    await short.close();
  }
});
