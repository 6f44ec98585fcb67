import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccounts } from '../../src/core/accounts/create-items.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();
const companyId = 'c0000000000000000000000a';

/** Accounts of one integration, with `mapped` ones mapped to a company of its partner. */
async function seedAccounts(fixture: Fixture, ids: string[], mapped: string[]): Promise<void> {
  const integration = await t.store.getIntegration(fixture.integrationId);
  assert.ok(integration);
  await createAccounts(
    t.server.ctx,
    integration,
    ids.map((id) => ({ id, name: `Customer ${id}`, description: '', isArrears: false })),
  );
  await t.store.insertCompany({
    id: companyId,
    partnerId: fixture.partnerId,
    name: 'Contoso',
    createdAtMs: clock.nowMs(),
  });
  for (const itemId of mapped) {
    await t.store.putMapping({
      integrationId: fixture.integrationId,
      kind: 'account',
      itemId,
      targetId: companyId,
      excluded: false,
      updatedAtMs: clock.nowMs(),
    });
  }
}

const alert = (body: Record<string, unknown> = {}) => ({
  title: 'Backup failed',
  description: 'The nightly job did not run',
  alertId: 'a-1',
  ...body,
});

const post = (accountId: string, body: unknown, token = f.token) =>
  call(t.baseUrl, 'POST', `/api/vendor-api/alerting/${accountId}`, { token, body });
const debug = (messageId: string, token = f.token) =>
  call(t.baseUrl, 'GET', `/api/vendor-api/alerting/debug/${messageId}`, { token });

before(async () => {
  t = await startServer({ clock });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  await seedAccounts(f, ['101', '102', '103', '104'], ['101', '102']);
});
after(() => t.close());

test('an alert is queued, then becomes a ticket for the mapped company', async () => {
  const before = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token: f.token });
  assert.equal(before.body.status, 'inactive');
  assert.equal(before.body.lastSyncedAt, '1900-01-01T00:00:00.000Z');

  const created = await post(
    '101',
    alert({ alertId: 77, priority: 3, status: 2, dueDateTime: '2026-11-05T12:00:00.000Z', serviceId: 'svc' }),
  );
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.body).sort(), ['alertId', 'correlationID', 'messageId']);
  assert.match(created.body.messageId, UUID);
  assert.match(created.body.correlationID, OBJECT_ID);
  assert.equal(created.body.alertId, '77');

  const integration = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', { token: f.token });
  assert.equal(integration.body.status, 'active');
  assert.equal(integration.body.lastSyncedAt, new Date(clock.nowMs()).toISOString());

  const pending = await debug(created.body.messageId);
  assert.equal(pending.status, 200);
  assert.deepEqual(pending.body, {
    ticketId: null,
    createdAt: null,
    message: 'Alert is queued for ticket creation',
    messageId: created.body.messageId,
    status: 'pending',
    statusCode: null,
    errors: [],
  });

  clock.advance(5);
  assert.equal(await t.server.alerts.runOnce(), 1);
  const done = await debug(created.body.messageId);
  assert.match(done.body.ticketId, OBJECT_ID);
  assert.deepEqual(done.body, {
    ticketId: done.body.ticketId,
    createdAt: new Date(clock.nowMs()).toISOString(),
    message: 'Ticket created',
    messageId: created.body.messageId,
    status: 'success',
    statusCode: 201,
    errors: [],
  });
  const tickets = await t.store.listTickets(f.partnerId);
  const ticket = tickets.find((x) => x.id === done.body.ticketId);
  assert.deepEqual(ticket, {
    id: done.body.ticketId,
    partnerId: f.partnerId,
    companyId,
    integrationId: f.integrationId,
    title: 'Backup failed',
    description: 'The nightly job did not run',
    priority: 3,
    status: 2,
    dueAtMs: Date.parse('2026-11-05T12:00:00.000Z'),
    createdAtMs: clock.nowMs(),
  });
  // Settled alerts are not processed again.
  assert.equal(await t.server.alerts.runOnce(), 0);
  assert.equal((await t.store.listTickets(f.partnerId)).length, tickets.length);
});

test('priority and status default to 1', async () => {
  const created = await post('101', alert({ alertId: 'defaults' }));
  assert.equal(created.status, 201);
  await t.server.alerts.runOnce();
  const done = await debug(created.body.messageId);
  const ticket = (await t.store.listTickets(f.partnerId)).find((x) => x.id === done.body.ticketId);
  assert.equal(ticket?.priority, 1);
  assert.equal(ticket?.status, 1);
  assert.equal(ticket?.dueAtMs, null);
});

test('the poll on the clock processes queued alerts without being asked', async () => {
  for (const alertId of ['polled-1', 'polled-2']) {
    const created = await post('101', alert({ alertId }));
    clock.advance(t.server.config.alertPollMs);
    // The timer started a batch; this one queues behind it and finds nothing left to do.
    assert.equal(await t.server.alerts.runOnce(), 0, alertId);
    assert.equal((await debug(created.body.messageId)).body.status, 'success', alertId);
  }
});

test('an alert whose mapping is gone before processing fails with the reason', async () => {
  const ticketsBefore = (await t.store.listTickets(f.partnerId)).length;
  const created = await post('102', alert({ alertId: 'gone' }));
  assert.equal(created.status, 201);
  await t.store.deleteMapping(f.integrationId, 'account', '102');
  assert.equal(await t.server.alerts.runOnce(), 1);
  const failed = await debug(created.body.messageId);
  assert.deepEqual(failed.body, {
    ticketId: null,
    createdAt: null,
    message: 'No account map found with id: 102',
    messageId: created.body.messageId,
    status: 'failed',
    statusCode: 404,
    errors: ['No account map found with id: 102'],
  });
  assert.equal((await t.store.listTickets(f.partnerId)).length, ticketsBefore);
});

test('alerts for unknown, unmapped, excluded or inactive accounts are refused with 404', async () => {
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'account',
    itemId: '104',
    targetId: null,
    excluded: true,
    updatedAtMs: clock.nowMs(),
  });
  const inactive = await t.store.getAccount(f.integrationId, '101');
  assert.ok(inactive);
  await t.store.upsertAccount({ ...inactive, id: '105', isActive: false });
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'account',
    itemId: '105',
    targetId: companyId,
    excluded: false,
    updatedAtMs: clock.nowMs(),
  });
  for (const accountId of ['999', '103', '104', '105']) {
    const refused = await post(accountId, alert());
    assert.equal(refused.status, 404, accountId);
    assert.deepEqual(refused.body, {
      statusCode: 404,
      message: `No account map found with id: ${accountId}`,
      error: 'Not Found',
    });
  }
});

test('bad alert bodies are refused with a message naming the field', async () => {
  const cases: [string, unknown, string][] = [
    ['priority 0', alert({ priority: 0 }), 'priority must be >= 1'],
    ['priority 5', alert({ priority: 5 }), 'priority must be <= 4'],
    ['priority 1.5', alert({ priority: 1.5 }), 'priority must be an integer'],
    ['priority as text', alert({ priority: '2' }), 'priority must be an integer'],
    ['status 0', alert({ status: 0 }), 'status must be >= 1'],
    ['status 7', alert({ status: 7 }), 'status must be <= 6'],
    ['missing title', { description: 'd', alertId: 'x' }, 'title is required'],
    ['empty title', alert({ title: '' }), 'title must NOT have fewer than 1 characters'],
    ['missing description', { title: 't', alertId: 'x' }, 'description is required'],
    ['missing alertId', { title: 't', description: 'd' }, 'alertId is required'],
    ['alertId null', alert({ alertId: null }), 'alertId must be a string or a number'],
    ['bad dueDateTime', alert({ dueDateTime: 'tomorrow' }), 'dueDateTime must match format "date-time"'],
    ['array body', [alert()], 'body must be an object'],
  ];
  for (const [name, body, message] of cases) {
    const response = await post('101', body);
    assert.equal(response.status, 400, name);
    assert.deepEqual(response.body, { statusCode: 400, message, error: 'Bad Request' }, name);
  }
});

test('alert routes need a valid integration token', async () => {
  const unauthorized = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };
  const created = await post('101', alert({ alertId: 'auth' }));
  for (const token of [undefined, 'not base64 at all', f.vendorToken]) {
    const refused = await call(t.baseUrl, 'POST', '/api/vendor-api/alerting/101', { token, body: alert() });
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body, unauthorized);
    const hidden = await call(t.baseUrl, 'GET', `/api/vendor-api/alerting/debug/${created.body.messageId}`, {
      token,
    });
    assert.equal(hidden.status, 401);
    assert.deepEqual(hidden.body, unauthorized);
  }
  // Authentication comes before validation: a bad body without a token is still a 401.
  const noToken = await call(t.baseUrl, 'POST', '/api/vendor-api/alerting/101', { body: { priority: 9 } });
  assert.equal(noToken.status, 401);
});

test('an integration sees only its own alerts and accounts', async () => {
  const created = await post('101', alert({ alertId: 'mine' }));
  const foreign = await debug(created.body.messageId, other.token);
  assert.equal(foreign.status, 404);
  assert.deepEqual(foreign.body, {
    statusCode: 404,
    message: `No alert found with messageId: ${created.body.messageId}`,
    error: 'Not Found',
  });
  // The other integration has no account 101 of its own.
  const crossAccount = await post('101', alert(), other.token);
  assert.equal(crossAccount.status, 404);
  assert.equal(crossAccount.body.message, 'No account map found with id: 101');
  const unknown = await debug('00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.message, 'No alert found with messageId: 00000000-0000-4000-8000-000000000000');
});
