import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { UNAUTHORIZED, addUser, signIn } from '../support/partner.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
let w: World;
let cookie: string;
// 2026-11-02: the period is 2026-11, so approvals default to 2026-12-01.
const clock = new ManualClock();
const PERIOD = '2026-11';

const partner = (method: string, path: string, body?: unknown, bearer: string | undefined = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer, body });
const asUser = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { headers: { cookie }, body });
const card = (company: number, product: number) => `${w.companyIds[company]}.${w.productIds[product]}`;
const act = (body: Record<string, unknown>) =>
  partner('POST', '/billing/actions', { period: PERIOD, ...body });
const board = async (query = '') => (await partner('GET', `/billing?period=${PERIOD}${query}`)).body;
const cardOf = async (id: string, query = '&includeActioned=true') =>
  (await board(query)).cards.find((c: { id: string }) => c.id === id);
/** Counts sent through the vendor API, then the debounced build run to completion. */
const counts = async (...sets: [account: number, service: number, unitCount: number][]) => {
  for (const [account, service, unitCount] of sets) {
    const response = await sendCount(
      t.baseUrl,
      f,
      w.skuIds[service] as string,
      w.accountIds[account] as string,
      unitCount,
    );
    assert.equal(response.status, 201);
  }
  clock.advance(t.server.config.buildMaxWaitMs);
  await t.server.scheduler.idle();
};
const line = async (company: number, product: number, quantity: number) => {
  const agreement = await partner('POST', '/psa/agreements', {
    name: 'MSA',
    companyId: w.companyIds[company],
  });
  const created = await partner('POST', '/psa/agreement-lines', {
    agreementId: agreement.body.id,
    productId: w.productIds[product],
    quantity,
  });
  assert.equal(created.status, 201);
  return created.body.id as string;
};

before(async () => {
  t = await startServer({ clock, config: { buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  // Products are priced 5.00 with a cost of 3.00.
  w = await mappedWorld(t.server, f, { accounts: 4, services: 2 });
  await addUser(t.server, f.partnerId, 'billing@blue.example');
  cookie = await signIn(t.baseUrl, 'billing@blue.example');
  await counts([0, 0, 10], [1, 0, 4], [2, 0, 3], [3, 1, 2.5]);
});
after(() => t.close());

test('cards put the vendor quantity beside the active agreement lines, with the money at stake', async () => {
  await line(0, 0, 7);
  await line(2, 0, 3);
  const inactive = await line(3, 1, 1);
  await partner('PATCH', `/psa/agreement-lines/${inactive}`, { active: false });
  await line(3, 1, 0.5);

  const view = await board();
  assert.equal(view.period, PERIOD);
  assert.equal(typeof view.builtAt, 'string');
  const byId = new Map(view.cards.map((c: { id: string }) => [c.id, c]));
  assert.deepEqual(byId.get(card(0, 0)), {
    id: card(0, 0),
    companyId: w.companyIds[0],
    companyName: 'Customer 0',
    productId: w.productIds[0],
    productName: 'Product 0',
    vendorName: 'Acme Backup',
    integrationId: f.integrationId,
    sources: [
      { integrationId: f.integrationId, vendorId: f.vendorId, vendorName: 'Acme Backup', vendorQuantity: 10 },
    ],
    vendorQuantity: 10,
    psaQuantity: 7,
    difference: 3,
    state: 'reconcile',
    unitPrice: 5,
    unitCost: 3,
    monthlyEffect: 15,
    marginEffect: 6,
    lastChangedAt: new Date(clock.nowMs() - t.server.config.buildMaxWaitMs).toISOString(),
    vendorCounted: true,
    action: null,
    psa: null,
    psaWrite: null,
    psaLockedReason: null,
  });
  const summary = (id: string) => {
    const c = byId.get(id) as {
      vendorQuantity: number;
      psaQuantity: number;
      state: string;
      monthlyEffect: number;
    };
    return [c.vendorQuantity, c.psaQuantity, c.state, c.monthlyEffect];
  };
  assert.deepEqual(summary(card(1, 0)), [4, 0, 'new_revenue', 20]);
  assert.deepEqual(summary(card(2, 0)), [3, 3, 'no_change', 0]);
  assert.deepEqual(summary(card(3, 1)), [2.5, 0.5, 'reconcile', 10]);
  assert.deepEqual(view.totals, {
    linesToReview: 3,
    revenueFound: 45,
    marginFound: 18,
    revenueFoundLines: 3,
    overBilled: 0,
    overBilledLines: 0,
    net: 45,
    linesWithoutVendor: 0,
    unitsHeldBack: 0,
    itemsHeldBack: 0,
  });
});

test('approving with an effective date writes the ledger and the audit, and the card leaves the list', async () => {
  const approved = await asUser('POST', '/billing/actions', {
    period: PERIOD,
    cardIds: [card(0, 0)],
    action: 'approve',
    effectiveDate: '2026-11-15',
  });
  assert.equal(approved.status, 200);
  const [result] = approved.body.results;
  assert.deepEqual(approved.body, {
    results: [{ cardId: card(0, 0), ok: true, agreementLineId: result.agreementLineId }],
  });
  const lines = (await partner('GET', `/psa/agreement-lines?companyId=${w.companyIds[0]}`)).body;
  assert.deepEqual(
    lines.map((l: { id: string; quantity: number }) => [l.id, l.quantity]),
    [[result.agreementLineId, 10]],
  );
  const audit = await partner('GET', '/audit');
  assert.equal(audit.status, 200);
  assert.deepEqual(audit.body.entries[0], {
    id: audit.body.entries[0].id,
    at: new Date(clock.nowMs()).toISOString(),
    by: 'billing@blue.example',
    action: 'approve',
    period: PERIOD,
    cardId: card(0, 0),
    companyId: w.companyIds[0],
    companyName: 'Customer 0',
    productId: w.productIds[0],
    productName: 'Product 0',
    fromQuantity: 7,
    toQuantity: 10,
    effectiveDate: '2026-11-15',
    agreementLineId: result.agreementLineId,
  });
  const view = await board();
  assert.ok(!view.cards.some((c: { id: string }) => c.id === card(0, 0)), 'actioned cards leave the list');
  assert.deepEqual(view.totals, {
    linesToReview: 2,
    revenueFound: 30,
    marginFound: 12,
    revenueFoundLines: 2,
    overBilled: 0,
    overBilledLines: 0,
    net: 30,
    linesWithoutVendor: 0,
    unitsHeldBack: 0,
    itemsHeldBack: 0,
  });
  const shown = await cardOf(card(0, 0));
  assert.deepEqual(shown.action, {
    action: 'approve',
    at: new Date(clock.nowMs()).toISOString(),
    by: 'billing@blue.example',
    effectiveDate: '2026-11-15',
    quantity: 10,
  });
  assert.equal(shown.state, 'no_change');
});

test('adjust sets the quantity given, in a new "Tally" agreement when the company has none', async () => {
  const adjusted = await act({ cardIds: [card(1, 0)], action: 'adjust', quantity: 3 });
  assert.equal(adjusted.body.results[0].ok, true);
  const agreements = (await partner('GET', `/psa/agreements?companyId=${w.companyIds[1]}`)).body;
  assert.deepEqual(
    agreements.map((a: { name: string }) => a.name),
    ['Tally'],
  );
  const lines = (await partner('GET', `/psa/agreement-lines?companyId=${w.companyIds[1]}`)).body;
  assert.deepEqual(
    lines.map((l: { agreementId: string; quantity: number; id: string }) => [
      l.agreementId,
      l.quantity,
      l.id,
    ]),
    [[agreements[0].id, 3, adjusted.body.results[0].agreementLineId]],
  );
  const entry = (await partner('GET', '/audit?limit=1')).body.entries;
  assert.equal(entry.length, 1);
  assert.deepEqual(
    [entry[0].by, entry[0].action, entry[0].fromQuantity, entry[0].toQuantity, entry[0].effectiveDate],
    ['api token', 'adjust', 0, 3, '2026-12-01'],
  );
  const shown = await cardOf(card(1, 0));
  assert.deepEqual([shown.psaQuantity, shown.difference, shown.state], [3, 1, 'reconcile']);
  assert.equal(shown.action.action, 'adjust');
});

test('bulk dismiss changes no ledger line and hides the cards until the vendor count moves', async () => {
  await counts([0, 1, 6], [1, 1, 1]);
  const before = (await partner('GET', '/psa/agreement-lines')).body;
  const dismissed = await act({ cardIds: [card(0, 1), card(1, 1), 'nope.nope'], action: 'dismiss' });
  assert.deepEqual(dismissed.body, {
    results: [
      { cardId: card(0, 1), ok: true },
      { cardId: card(1, 1), ok: true },
      { cardId: 'nope.nope', ok: false, error: 'No card found with id: nope.nope' },
    ],
  });
  assert.deepEqual((await partner('GET', '/psa/agreement-lines')).body, before);
  const ids = (await board()).cards.map((c: { id: string }) => c.id);
  assert.ok(!ids.includes(card(0, 1)) && !ids.includes(card(1, 1)));
  const entries = (await partner('GET', '/audit?limit=2')).body.entries;
  assert.deepEqual(
    entries.map((e: { action: string; toQuantity: unknown; effectiveDate: unknown }) => [
      e.action,
      e.toQuantity,
      e.effectiveDate,
    ]),
    [
      ['dismiss', null, null],
      ['dismiss', null, null],
    ],
  );

  // The same count again is no change; a different one brings the card back, undecided.
  await counts([0, 1, 6]);
  assert.ok(!(await board()).cards.some((c: { id: string }) => c.id === card(0, 1)));
  await counts([0, 1, 8]);
  const back = (await board()).cards.find((c: { id: string }) => c.id === card(0, 1));
  assert.ok(back, 'the card is back once the vendor quantity changed');
  assert.equal(back.action, null);
  assert.equal(back.vendorQuantity, 8);

  // Decisions belong to their period: next month every card is open again.
  const next = (await partner('GET', '/billing?period=2026-12')).body;
  assert.ok(next.cards.some((c: { id: string }) => c.id === card(1, 1)));
});

test("a card's history is its vendor quantity after each change, oldest first", async () => {
  await counts([1, 0, 6], [1, 0, 5]);
  const history = await partner('GET', `/billing/cards/${card(1, 0)}/history`);
  assert.equal(history.status, 200);
  assert.deepEqual(
    history.body.points.map((p: { vendorQuantity: number }) => p.vendorQuantity),
    [4, 6, 5],
  );
  assert.ok(history.body.points.every((p: { at: string }) => !Number.isNaN(Date.parse(p.at))));
  // A card fed by two accounts sums them.
  await partner('PUT', `/integrations/${f.integrationId}/accounts/${w.accountIds[2]}/mapping`, {
    companyId: w.companyIds[1],
  });
  const summed = await partner('GET', `/billing/cards/${card(1, 0)}/history`);
  assert.deepEqual(
    summed.body.points.map((p: { vendorQuantity: number }) => p.vendorQuantity),
    // Account 1 had 4 before account 2 reported 3; then account 1 went to 6 and 5.
    [4, 7, 9, 8],
  );
  assert.deepEqual((await partner('GET', '/billing/cards/nope/history')).body, {
    statusCode: 404,
    message: 'No card found with id: nope',
    error: 'Not Found',
  });
});

test('the CSV export holds the cards the same filters show', async () => {
  const response = await fetch(
    `${t.baseUrl}/api/partner/billing/export.csv?period=${PERIOD}&state=reconcile&q=customer%203`,
    {
      headers: { authorization: `Bearer ${f.partnerToken}` },
    },
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(
    response.headers.get('content-disposition'),
    `attachment; filename="tally-billing-${PERIOD}.csv"`,
  );
  assert.equal(
    await response.text(),
    'company,product,vendor,vendorQuantity,psaQuantity,difference,state,unitPrice,unitCost,monthlyEffect,marginEffect,lastChangedAt,action,decidedBy,decidedAt,effectiveDate\n' +
      `Customer 3,Product 1,Acme Backup,2.5,0.5,2,reconcile,5.00,3.00,10.00,4.00,${(await cardOf(card(3, 1))).lastChangedAt},,,,\n`,
  );
  const all = await fetch(
    `${t.baseUrl}/api/partner/billing/export.csv?period=${PERIOD}&includeActioned=true`,
    {
      headers: { cookie },
    },
  );
  const rows = (await all.text()).trim().split('\n');
  assert.equal(rows.length, 1 + (await board('&includeActioned=true')).cards.length);
  assert.ok(
    rows.some(
      (r) =>
        r.startsWith('Customer 0,Product 0,') &&
        /,approve,billing@blue\.example,2026-11-\d\dT[\d:.]+Z,2026-11-15$/.test(r),
    ),
  );
  const filtered = await board('&state=new_revenue');
  assert.ok(filtered.cards.every((c: { state: string }) => c.state === 'new_revenue'));
  assert.deepEqual(filtered.totals, (await board()).totals, 'totals ignore the filters');
});

test('bad action requests are refused as a whole with exact messages', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ cardIds: [card(2, 0)], action: 'adjust' }, 'quantity is required to adjust'],
    [
      { cardIds: [card(2, 0)], action: 'approve', quantity: 2 },
      'quantity is only taken by adjust, not by approve',
    ],
    [
      { cardIds: [card(2, 0)], action: 'approve', effectiveDate: '2026-02-30' },
      'effectiveDate must be a date written YYYY-MM-DD; got "2026-02-30"',
    ],
    [{ cardIds: [card(2, 0)], action: 'accept' }, 'action must be one of: approve, adjust, dismiss'],
    [{ cardIds: [], action: 'dismiss' }, 'cardIds must NOT have fewer than 1 items'],
    [{ cardIds: [card(2, 0)], action: 'adjust', quantity: -1 }, 'quantity must be >= 0'],
    [
      { cardIds: [card(2, 0)], action: 'dismiss', period: '2026-13' },
      'period must look like YYYY-MM; got "2026-13"',
    ],
  ];
  const before = (await partner('GET', '/audit')).body.entries.length;
  for (const [body, message] of cases) {
    const response = await act(body);
    assert.deepEqual(response.body, { statusCode: 400, message, error: 'Bad Request' }, message);
  }
  assert.equal((await partner('GET', '/audit')).body.entries.length, before);
  const query = await partner('GET', `/billing?period=${PERIOD}&state=open`);
  assert.equal(query.body.message, 'state must be one of: new_revenue, reconcile, no_change');
});

test('another partner sees none of these cards and cannot act on them', async () => {
  const theirs = await partner('GET', `/billing?period=${PERIOD}`, undefined, other.partnerToken);
  assert.deepEqual(theirs.body.cards, []);
  assert.deepEqual(theirs.body.totals, {
    linesToReview: 0,
    revenueFound: 0,
    marginFound: 0,
    revenueFoundLines: 0,
    overBilled: 0,
    overBilledLines: 0,
    net: 0,
    linesWithoutVendor: 0,
    unitsHeldBack: 0,
    itemsHeldBack: 0,
  });
  const acted = await partner(
    'POST',
    '/billing/actions',
    { period: PERIOD, cardIds: [card(3, 1)], action: 'approve' },
    other.partnerToken,
  );
  assert.deepEqual(acted.body.results, [
    { cardId: card(3, 1), ok: false, error: `No card found with id: ${card(3, 1)}` },
  ]);
  assert.equal(
    (await partner('GET', `/billing/cards/${card(3, 1)}/history`, undefined, other.partnerToken)).status,
    404,
  );
  assert.deepEqual((await partner('GET', '/audit', undefined, other.partnerToken)).body.entries, []);
  for (const [method, path] of [
    ['GET', '/billing'],
    ['POST', '/billing/actions'],
    ['GET', `/billing/cards/${card(3, 1)}/history`],
    ['GET', '/billing/export.csv'],
    ['GET', '/audit'],
  ] as const) {
    assert.deepEqual(
      (await partner(method, path, undefined, 'tpt_wrong')).body,
      UNAUTHORIZED,
      `${method} ${path}`,
    );
  }
});
