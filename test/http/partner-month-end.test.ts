import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccounts } from '../../src/core/accounts/create-items.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { addUser, signIn } from '../support/partner.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

// 2026-11-02 09:00 UTC: the period is 2026-11.
const clock = new ManualClock();
const PERIOD = '2026-11';
let t: TestServer;
let f: Fixture;
let w: World;
let cookie: string;

const partner = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });
const asUser = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { headers: { cookie }, body });
const card = (company: number, product: number) => `${w.companyIds[company]}.${w.productIds[product]}`;
const board = async (query = '') => (await partner('GET', `/billing?period=${PERIOD}${query}`)).body;
const cardOf = async (id: string, query = '&includeActioned=true') =>
  (await board(query)).cards.find((c: { id: string }) => c.id === id);
const build = async () => {
  clock.advance(t.server.config.buildMaxWaitMs);
  await t.server.scheduler.idle();
};
const count = async (account: string, service: number, unitCount: number) =>
  sendCount(t.baseUrl, f, w.skuIds[service] as string, account, unitCount);
const line = async (companyId: string, productId: string, quantity: number) => {
  const agreement = await partner('POST', '/psa/agreements', { name: 'MSA', companyId });
  const created = await partner('POST', '/psa/agreement-lines', {
    agreementId: agreement.body.id,
    productId,
    quantity,
  });
  assert.equal(created.status, 201);
};

let labourId: string;

before(async () => {
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  // Products 0 and 1 are mapped from vendor services, priced 5.00 with a cost of 3.00.
  w = await mappedWorld(t.server, f, { accounts: 4, services: 2 });
  await addUser(t.server, f.partnerId, 'billing@blue.example');
  cookie = await signIn(t.baseUrl, 'billing@blue.example');
  labourId = (await partner('POST', '/psa/products', { name: 'Labour (hour)', unitPrice: '90' })).body.id;
  assert.equal((await count('1000', 0, 10)).status, 201);
  assert.equal((await count('1001', 0, 4)).status, 201);
  await build();
});
after(() => t.close());

test('a ledger line whose product no vendor maps makes no card; a mapped one with no count reports 0', async () => {
  await line(w.companyIds[0] as string, labourId, 20);
  await line(w.companyIds[2] as string, w.productIds[1] as string, 6);
  const view = await board();
  assert.ok(
    !view.cards.some((c: { productId: string }) => c.productId === labourId),
    'labour is not reconciled against a vendor quantity of 0',
  );
  assert.equal(view.totals.linesWithoutVendor, 1);
  const zero = view.cards.find((c: { id: string }) => c.id === card(2, 1));
  assert.deepEqual(
    [zero.vendorQuantity, zero.psaQuantity, zero.vendorCounted, zero.state, zero.sources],
    [0, 6, false, 'reconcile', []],
  );
  const counted = view.cards.find((c: { id: string }) => c.id === card(0, 0));
  assert.equal(counted.vendorCounted, true);
});

test('the header money adds up: under-billed, over-billed and net equal the sums of their cards', async () => {
  await line(w.companyIds[1] as string, w.productIds[0] as string, 9);
  const view = await board();
  const open = view.cards.filter(
    (c: { action: unknown; state: string }) => c.action === null && c.state !== 'no_change',
  );
  const up = open.filter((c: { monthlyEffect: number }) => c.monthlyEffect > 0);
  const down = open.filter((c: { monthlyEffect: number }) => c.monthlyEffect < 0);
  const sum = (cards: { monthlyEffect: number }[]) => cards.reduce((s, c) => s + c.monthlyEffect, 0);
  // Customer 0 is under-billed by 10 units (50.00); Customer 1 over by 5 (25.00), Customer 2 by 6 (30.00).
  assert.deepEqual(
    [
      view.totals.revenueFound,
      view.totals.revenueFoundLines,
      view.totals.overBilled,
      view.totals.overBilledLines,
    ],
    [sum(up), up.length, -sum(down), down.length],
  );
  assert.deepEqual([view.totals.revenueFound, view.totals.overBilled, view.totals.net], [50, 55, -5]);
  assert.equal(view.currency, 'USD');
});

test('units held back by unmapped items are counted in the header', async () => {
  const integration = await t.store.getIntegration(f.integrationId);
  assert.ok(integration);
  await createAccounts(t.server.ctx, integration, [
    { id: '3000', name: 'Harbor Dental', description: '', isArrears: false },
  ]);
  assert.equal((await count('3000', 0, 7)).status, 404);
  const view = await board();
  assert.deepEqual([view.totals.unitsHeldBack, view.totals.itemsHeldBack], [7, 1]);
});

test('mapping an account applies its waiting count at once, with a history entry saying so', async () => {
  const sentAtMs = clock.nowMs();
  const company = await partner('POST', '/psa/companies', { name: 'Harbor Dental LLC' });
  clock.advance(60_000);
  const mapped = await partner('PUT', `/integrations/${f.integrationId}/accounts/3000/mapping`, {
    companyId: company.body.id,
  });
  assert.equal(mapped.status, 200);
  assert.deepEqual(mapped.body.waiting, { applied: 1, offered: 0 });
  assert.equal(mapped.body.billing.state, 'scheduled');
  assert.deepEqual(await t.store.listWaiting(f.integrationId), []);
  const history = await partner('GET', `/integrations/${f.integrationId}/history?accountId=3000`);
  assert.equal(history.body.entries[0].unitCount, 7);
  assert.equal(
    history.body.entries[0].note,
    `applied from a count sent at ${new Date(sentAtMs).toISOString()} while unmapped`,
  );
  await build();
  const shown = await cardOf(`${company.body.id}.${w.productIds[0]}`);
  assert.equal(shown.vendorQuantity, 7, 'the card is there without another push from the vendor');
  assert.equal((await board()).totals.unitsHeldBack, 0);
});

test('a waiting count from before the period is offered, not applied, until the partner takes it', async () => {
  const integration = await t.store.getIntegration(f.integrationId);
  assert.ok(integration);
  await createAccounts(t.server.ctx, integration, [
    { id: '3001', name: 'Old Mill', description: '', isArrears: false },
  ]);
  // Sent in October, seen again in November unmapped: no, sent only in October.
  await t.store.rememberWaiting({
    integrationId: f.integrationId,
    accountId: '3001',
    serviceId: w.skuIds[0] as string,
    unitCount: 3,
    reason: 'account_unmapped',
    lastAttemptAtMs: Date.UTC(2026, 9, 20),
  });
  const company = await partner('POST', '/psa/companies', { name: 'Old Mill' });
  const listed = await partner('GET', `/integrations/${f.integrationId}/accounts`);
  const row = listed.body.find((a: { id: string }) => a.id === '3001');
  assert.equal(row.waiting[0].olderThanPeriod, true);
  const mapped = await partner('PUT', `/integrations/${f.integrationId}/accounts/3001/mapping`, {
    companyId: company.body.id,
  });
  assert.deepEqual(mapped.body.waiting, { applied: 0, offered: 1 });
  assert.equal(await t.store.getCount(f.integrationId, '3001', w.skuIds[0] as string), undefined);

  const taken = await partner('POST', `/integrations/${f.integrationId}/waiting/apply`, {
    accountId: '3001',
    serviceId: w.skuIds[0],
  });
  assert.equal(taken.status, 200);
  assert.deepEqual([taken.body.unitCount, taken.body.sentAt], [3, '2026-10-20T00:00:00.000Z']);
  assert.equal((await t.store.getCount(f.integrationId, '3001', w.skuIds[0] as string))?.unitCount, 3);
  const again = await partner('POST', `/integrations/${f.integrationId}/waiting/apply`, {
    accountId: '3001',
    serviceId: w.skuIds[0],
  });
  assert.equal(again.status, 404);
});

test('undo of an approval writes the previous quantity back and brings the card back', async () => {
  const id = card(1, 0); // vendor 4, PSA 9
  const approved = await asUser('POST', '/billing/actions', {
    period: PERIOD,
    cardIds: [id],
    action: 'approve',
  });
  assert.equal(approved.status, 200);
  assert.equal((await cardOf(id)).psaQuantity, 4);
  assert.equal(await cardOf(id, ''), undefined, 'decided cards leave the board');

  const decided = await partner('GET', `/billing/decisions?period=${PERIOD}`);
  assert.equal(decided.status, 200);
  const decision = decided.body.decisions.find((d: { cardId: string }) => d.cardId === id);
  assert.deepEqual(
    [decision.action, decision.by, decision.fromQuantity, decision.toQuantity, decision.effectiveDate],
    ['approve', 'billing@blue.example', 9, 4, '2026-12-01'],
  );

  // The export lists decided lines too, with their action and effective date.
  const csv = await (
    await fetch(`${t.baseUrl}/api/partner/billing/export.csv?period=${PERIOD}`, { headers: { cookie } })
  ).text();
  assert.match(csv, /\nCustomer 1,Product 0,.*,approve,billing@blue\.example,[^,]+,2026-12-01\n/);

  const undone = await asUser('POST', '/billing/decisions/undo', { period: PERIOD, cardId: id });
  assert.equal(undone.status, 200);
  assert.deepEqual(
    [undone.body.undone, undone.body.restoredQuantity, undone.body.ledgerWritten],
    ['approve', 9, true],
  );
  const back = await cardOf(id, '');
  assert.deepEqual([back.psaQuantity, back.action], [9, null]);
  assert.ok(
    !(await partner('GET', `/billing/decisions?period=${PERIOD}`)).body.decisions.some(
      (d: { cardId: string }) => d.cardId === id,
    ),
  );
  const again = await asUser('POST', '/billing/decisions/undo', { period: PERIOD, cardId: id });
  assert.deepEqual(again.body, {
    statusCode: 404,
    message: `No decision on card ${id} in ${PERIOD}`,
    error: 'Not Found',
  });
});

test('undo of a dismissal leaves the ledger alone', async () => {
  const id = card(2, 1);
  await partner('POST', '/billing/actions', { period: PERIOD, cardIds: [id], action: 'dismiss' });
  const undone = await partner('POST', '/billing/decisions/undo', { period: PERIOD, cardId: id });
  assert.deepEqual(
    [undone.body.undone, undone.body.ledgerWritten, undone.body.restoredQuantity],
    ['dismiss', false, 6],
  );
  assert.equal((await cardOf(id, '')).psaQuantity, 6);
});

test('the audit log filters by action, user, period and card', async () => {
  const undos = await partner('GET', '/audit?action=undo');
  assert.deepEqual(
    undos.body.entries.map((e: { action: string; by: string }) => [e.action, e.by]),
    [
      ['undo', 'api token'],
      ['undo', 'billing@blue.example'],
    ],
  );
  const byUser = await partner('GET', `/audit?by=${encodeURIComponent('billing@blue.example')}`);
  assert.deepEqual(
    byUser.body.entries.map((e: { action: string }) => e.action),
    ['undo', 'approve'],
  );
  assert.equal((await partner('GET', '/audit?period=2026-10')).body.entries.length, 0);
  const ofCard = await partner('GET', `/audit?cardId=${card(1, 0)}&limit=1`);
  assert.deepEqual(
    ofCard.body.entries.map((e: { fromQuantity: number; toQuantity: number }) => [
      e.fromQuantity,
      e.toQuantity,
    ]),
    [[4, 9]],
  );
  const older = await partner('GET', `/audit?cardId=${card(1, 0)}&before=${ofCard.body.entries[0].id}`);
  assert.deepEqual(
    older.body.entries.map((e: { action: string }) => e.action),
    ['approve'],
  );
  assert.equal((await partner('GET', '/audit?action=accept')).status, 400);
});

test('the partner currency is USD until set; it must be an ISO 4217 code', async () => {
  assert.deepEqual((await partner('GET', '/settings')).body, { currency: 'USD' });
  const bad = await partner('PATCH', '/settings', { currency: 'XYZ' });
  assert.deepEqual(bad.body, {
    statusCode: 400,
    message: 'currency must be an ISO 4217 code such as USD or EUR; got "XYZ"',
    error: 'Bad Request',
  });
  assert.deepEqual((await partner('PATCH', '/settings', { currency: 'eur' })).body, { currency: 'EUR' });
  assert.equal((await board()).currency, 'EUR');
});
