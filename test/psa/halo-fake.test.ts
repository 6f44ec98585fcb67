/**
 * The fake HaloPSA answers like the real one (psa-apis.md §3, §7), and the HaloPSA connector copes
 * with it: tokens (shared, renewed before expiry, renewed once on a 401), paging past Halo's silent
 * 50, retries and Halo's own words on errors, the sync's mapping, and whole-invoice writes under
 * either line-replacement policy, with locked lines refused and lost replies not doubled.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { HaloClient } from '../../src/connectors/halo/client.js';
import { HALO_LOCKED_REASON, haloConnector } from '../../src/connectors/halo/connector.js';
import { PsaError, type SyncBatch } from '../../src/core/psa-connector/port.js';
import { memoryJournal } from '../support/psa-journal.js';
import { FakeHalo, HALO_CREDENTIALS, type HaloInvoiceRec } from '../fakes/halo.js';

let halo: FakeHalo;
const noSleep = async () => {};
const options = (extra: Record<string, unknown> = {}) => ({
  site: halo.baseUrl,
  authUrl: `${halo.baseUrl}/auth`,
  ...HALO_CREDENTIALS,
  sleep: noSleep,
  ...extra,
});
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const goodForm = {
  grant_type: 'client_credentials',
  client_id: HALO_CREDENTIALS.clientId,
  client_secret: HALO_CREDENTIALS.clientSecret,
  scope: 'all',
};
const apiRequests = (from = 0) => halo.requests.slice(from).filter((r) => r.path.startsWith('/api/'));
const linesOf = (invoice: HaloInvoiceRec) => structuredClone(invoice.lines);

before(async () => {
  halo = await new FakeHalo().start();
});
after(() => halo.stop());
beforeEach(() => {
  halo.omittedLines = 'keep';
  halo.tenant = undefined;
  halo.tokenLifetimeSeconds = 3600;
});

test('the token endpoint takes form encoding only, checks the secret and the tenant; the API wants its token', async () => {
  const json = await fetch(`${halo.baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(goodForm),
  });
  assert.equal(json.status, 400);
  const wrong = await fetch(`${halo.baseUrl}/auth/token`, form({ ...goodForm, client_secret: 'nope' }));
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error, 'invalid_client');
  halo.tenant = 'acme';
  assert.equal((await fetch(`${halo.baseUrl}/auth/token`, form(goodForm))).status, 500);
  const good = await fetch(`${halo.baseUrl}/auth/token?tenant=acme`, form(goodForm));
  const token = await good.json();
  assert.equal(token.token_type, 'Bearer');
  assert.equal(token.expires_in, 3600);
  assert.equal((await fetch(`${halo.baseUrl}/api/Client`)).status, 401);
  const listed = await fetch(`${halo.baseUrl}/api/Client`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  assert.equal(listed.status, 200);
});

test('a wrong secret fails the connection test as permanent, in words a partner understands', async () => {
  const connector = haloConnector(options({ clientSecret: 'wrong' }));
  const failure = await connector.test().catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.message, 'HaloPSA refused the client id or secret');
  assert.equal(failure.permanent, true);

  halo.tenant = 'acme';
  const tenanted = haloConnector(options({ tenant: 'acme' }));
  assert.deepEqual(await tenanted.test(), { accountName: '127.0.0.1 (acme)' });
  assert.match(halo.requests.at(-2)?.path ?? '', /^\/auth\/token\?tenant=acme$/);
});

test('unpaged lists stop at 50 without saying so; the client pages every list to the end', async () => {
  for (let i = 0; i < 230; i++) halo.addClient(`Customer ${i}`);
  const client = new HaloClient(options());
  const unpaged = await client.get<{ record_count: number; clients: unknown[] }>('/Client');
  assert.equal(unpaged.clients.length, 50);
  assert.equal(unpaged.record_count, 50, 'the silent truncation');

  const from = halo.requests.length;
  const sizes: number[] = [];
  for await (const page of client.pages('/Client', 'clients')) sizes.push(page.length);
  assert.deepEqual(sizes, [100, 100, halo.clients.size - 200]);
  const listed = apiRequests(from);
  assert.equal(listed.length, 3);
  for (const r of listed) assert.match(r.path, /pageinate=true&page_no=\d&page_size=100/);
});

test('concurrent requests share one token fetch', async () => {
  const before = halo.tokensIssued;
  const client = new HaloClient(options());
  await Promise.all(Array.from({ length: 10 }, () => client.get('/Item', { count: '1' })));
  assert.equal(halo.tokensIssued - before, 1);
  assert.equal(client.tokens.requestCount, 1);
});

test('a token is renewed shortly before it expires, without waiting for a 401', async () => {
  let now = Date.parse('2026-11-01T08:00:00Z');
  const client = new HaloClient(options({ nowMs: () => now }));
  const before = halo.tokensIssued;
  await client.get('/Item', { count: '1' });
  now += 3_530_000; // 70 s before expiry: still good
  await client.get('/Item', { count: '1' });
  assert.equal(halo.tokensIssued - before, 1);
  now += 20_000; // 50 s before expiry: renewed
  await client.get('/Item', { count: '1' });
  assert.equal(halo.tokensIssued - before, 2);
  assert.equal(client.apiRequestCount, 3, 'no request was refused and repeated');
});

test('a token refused early (401) is renewed once and the request repeated; a second 401 fails', async () => {
  const client = new HaloClient(options());
  await client.get('/Item', { count: '1' });
  const before = halo.tokensIssued;
  halo.inject('expired-token', { pathIncludes: '/Item' });
  const rows = await client.get<{ items: unknown[] }>('/Item', { count: '1' });
  assert.ok(Array.isArray(rows.items));
  assert.equal(halo.tokensIssued - before, 1);

  halo.inject('expired-token', { pathIncludes: '/Item', times: 2 });
  const failure = await client.get('/Item').catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.message, 'HaloPSA answered 401: The token has expired');
  assert.equal(failure.permanent, true);

  // Short-lived tokens really expire on the fake's side too.
  halo.tokenLifetimeSeconds = 1;
  const shortLived = new HaloClient(options({ nowMs: () => 0 }));
  await shortLived.get('/Item', { count: '1' });
  await new Promise((r) => setTimeout(r, 1100));
  await shortLived.get('/Item', { count: '1' });
  assert.equal(shortLived.tokens.requestCount, 2, 'the expired token was replaced after the 401');
});

test('429 waits Retry-After; a 500 is retried only when the request is safe to repeat', async () => {
  const waits: number[] = [];
  const client = new HaloClient(options({ sleep: async (ms: number) => void waits.push(ms) }));
  halo.inject('rate-limit', { retryAfterSeconds: 3, pathIncludes: '/Client' });
  halo.inject('server-error', { times: 2, pathIncludes: '/Client' });
  await client.get('/Client', { count: '1' });
  assert.equal(waits[0], 3000, 'Retry-After is honoured');
  assert.equal(waits.length, 3);

  const company = halo.addClient('Northwind');
  const invoice = halo.addInvoice(company, 'Monthly');
  halo.inject('server-error', { method: 'POST' });
  const failure = await client
    .post('/RecurringInvoice', [{ id: invoice.id, lines: [] }], false)
    .catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.message, 'HaloPSA answered 500: Execution Timeout Expired');
  assert.equal(failure.permanent, false);
  assert.equal(halo.postsApplied, 0, 'a create is not sent again after a 500');

  const refused = await client
    .post('/RecurringInvoice', [{ id: invoice.id, lines: [{ _itemid: 1, qty_order: 'two' }] }], true)
    .catch((e: unknown) => e);
  assert.ok(refused instanceof PsaError);
  assert.equal(refused.message, 'HaloPSA answered 400: Line new: qty_order must be a number');
  assert.equal(refused.permanent, true);
});

/** A small Halo ledger: the sync's cases in one place. */
function seedLedger() {
  const backup = halo.addItem('Cloud Backup', { baseprice: 9, costprice: 3.5, recurringprice: 12.5 });
  const hardware = halo.addItem('Firewall appliance', { baseprice: 400, recurring: false });
  const m365 = halo.addItem('Microsoft 365 E3', { recurringprice: 30, costprice: 28 });
  const contoso = halo.addClient('Contoso');
  const gone = halo.addClient('Gone Ltd', { inactive: true });
  const msa = halo.addInvoice(contoso, 'Managed services');
  const typed = halo.addLine(msa, backup, 10);
  const counted = halo.addLine(msa, m365, 25, { quantityType: 2 });
  const stopped = halo.addLine(msa, backup, 3, { inactive: true });
  const ended = halo.addLine(msa, backup, 4, { enddate: '2024-01-31T00:00:00' });
  const rental = halo.addLine(msa, hardware, 1);
  const note = halo.addLine(msa, backup, 0);
  note._itemid = -1; // a free-text line
  const old = halo.addInvoice(gone, 'Old contract', { disabled: true });
  const oldLine = halo.addLine(old, backup, 2);
  return {
    backup,
    hardware,
    m365,
    contoso,
    gone,
    msa,
    typed,
    counted,
    stopped,
    ended,
    rental,
    note,
    old,
    oldLine,
  };
}

test('a sync maps customers, items, recurring invoices and their lines; computed lines say why they are locked', async () => {
  await halo.stop();
  halo = await new FakeHalo().start();
  const s = seedLedger();
  const connector = haloConnector(options());
  const batches: SyncBatch[] = [];
  for await (const batch of connector.read({ sinceMs: null })) batches.push(batch);
  const all = <K extends SyncBatch['kind']>(kind: K) =>
    batches.filter((b) => b.kind === kind).flatMap((b) => b.rows as unknown[]) as Extract<
      SyncBatch,
      { kind: K }
    >['rows'];
  assert.deepEqual(
    batches.map((b) => b.kind),
    ['companies', 'products', 'products', 'agreements', 'lines'],
  );
  assert.deepEqual(all('companies'), [
    { externalId: String(s.contoso.id), name: 'Contoso', code: null },
    { externalId: String(s.gone.id), name: 'Gone Ltd', code: null },
  ]);
  assert.deepEqual(all('products'), [
    {
      externalId: String(s.backup.id),
      name: 'Cloud Backup',
      code: 'CLOUDBACKUP',
      unitPriceMicros: 12_500_000,
      unitCostMicros: 3_500_000,
    },
    {
      externalId: String(s.m365.id),
      name: 'Microsoft 365 E3',
      code: 'MICROSOFT365E3',
      unitPriceMicros: 30_000_000,
      unitCostMicros: 28_000_000,
    },
    // Not a recurring item, but billed on a recurring invoice: read on its own.
    {
      externalId: String(s.hardware.id),
      name: 'Firewall appliance',
      code: 'FIREWALLAPPLIANCE',
      unitPriceMicros: 400_000_000,
      unitCostMicros: 4_000_000,
    },
  ]);
  assert.deepEqual(all('agreements'), [
    {
      externalId: String(s.msa.id),
      companyExternalId: String(s.contoso.id),
      name: 'Managed services',
      active: true,
    },
    {
      externalId: String(s.old.id),
      companyExternalId: String(s.gone.id),
      name: 'Old contract',
      active: false,
    },
  ]);
  const lines = new Map(all('lines').map((l) => [l.externalId, l]));
  assert.equal(lines.size, 6, 'the free-text line is not synced');
  assert.deepEqual(lines.get(String(s.typed.id)), {
    externalId: String(s.typed.id),
    agreementExternalId: String(s.msa.id),
    productExternalId: String(s.backup.id),
    productCode: null,
    quantity: 10,
    active: true,
  });
  assert.equal(lines.get(String(s.counted.id))?.lockedReason, HALO_LOCKED_REASON);
  assert.equal(lines.get(String(s.counted.id))?.quantity, 25);
  assert.equal(lines.get(String(s.stopped.id))?.active, false);
  assert.equal(lines.get(String(s.ended.id))?.active, false, 'a line past its end date bills nothing');
  assert.equal(lines.get(String(s.oldLine.id))?.active, false, 'a line of a disabled invoice bills nothing');
  const lists = apiRequests().filter((q) => /^\/api\/(Client|Item|RecurringInvoice)\?/.test(q.path));
  assert.equal(lists.length, 3);
  for (const r of lists) {
    assert.match(r.path, /pageinate=true/);
  }
});

for (const mode of ['keep', 'drop'] as const) {
  test(`setting a quantity sends every line back, and Halo ${mode === 'keep' ? 'keeping' : 'dropping'} omitted lines changes no other line`, async () => {
    halo.omittedLines = mode;
    const s = seedLedger();
    const connector = haloConnector(options());
    const before = linesOf(s.msa);
    const from = halo.requests.length;
    const confirmed = await connector.setQuantity(
      { agreementExternalId: String(s.msa.id), lineExternalId: String(s.typed.id) },
      14,
      memoryJournal(),
    );
    assert.equal(confirmed.quantity, 14);
    assert.equal(confirmed.externalId, String(s.typed.id));
    const post = halo.requests.slice(from).find((r) => r.path === '/api/RecurringInvoice');
    const sent = JSON.parse(post?.body ?? '[]');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].id, s.msa.id);
    assert.deepEqual(
      sent[0].lines.map((l: { id: number }) => l.id),
      before.map((l) => l.id),
      'every line, free text and computed ones included',
    );
    const afterLines = linesOf(s.msa);
    assert.equal(afterLines.length, before.length);
    for (const [i, line] of afterLines.entries()) {
      if (line.id === s.typed.id) {
        assert.equal(line.qty_order, 14);
      } else {
        assert.deepEqual(line, before[i], `line ${line.id} is unchanged`);
      }
    }
    assert.equal(halo.quantityChanges.get(s.typed.id), 1);

    // Already there: nothing is sent.
    const posts = halo.postsApplied;
    await connector.setQuantity(
      { agreementExternalId: String(s.msa.id), lineExternalId: String(s.typed.id) },
      14,
      memoryJournal(),
    );
    assert.equal(halo.postsApplied, posts);
  });

  test(`adding a line keeps every other line (Halo ${mode === 'keep' ? 'keeping' : 'dropping'} omitted lines) and answers the new one`, async () => {
    halo.omittedLines = mode;
    const s = seedLedger();
    const connector = haloConnector(options());
    const before = linesOf(s.msa);
    const created = await connector.addLine(
      { agreementExternalId: String(s.msa.id), productExternalId: String(s.m365.id) },
      7,
      memoryJournal(),
    );
    assert.equal(created.quantity, 7);
    assert.equal(created.productExternalId, String(s.m365.id));
    assert.equal(created.lockedReason, undefined, 'a line Tally adds is typed in, not computed');
    assert.ok(!before.some((l) => String(l.id) === created.externalId), 'a new line, not the computed one');
    const afterLines = linesOf(s.msa);
    assert.equal(afterLines.length, before.length + 1);
    assert.deepEqual(
      afterLines.filter((l) => String(l.id) !== created.externalId),
      before,
    );
    const stored = halo.line(Number(created.externalId));
    assert.equal(stored?.unit_price, 30);
    assert.equal(stored?.ihid, s.msa.id);
  });
}

test('a locked line is refused before anything is sent', async () => {
  const s = seedLedger();
  const connector = haloConnector(options());
  const posts = halo.postsApplied;
  const failure = await connector
    .setQuantity(
      { agreementExternalId: String(s.msa.id), lineExternalId: String(s.counted.id) },
      30,
      memoryJournal(),
    )
    .catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.message, HALO_LOCKED_REASON);
  assert.equal(failure.permanent, true);
  assert.equal(halo.postsApplied, posts);
  assert.equal(s.counted.qty_order, 25);
});

test('a quantity whose reply is lost is sent again and applied once; a lost add is found, not repeated', async () => {
  const s = seedLedger();
  const connector = haloConnector(options());
  halo.inject('drop-after-apply', { method: 'POST' });
  const confirmed = await connector.setQuantity(
    { agreementExternalId: String(s.msa.id), lineExternalId: String(s.typed.id) },
    16,
    memoryJournal(),
  );
  assert.equal(confirmed.quantity, 16);
  assert.equal(halo.quantityChanges.get(s.typed.id), 1);

  const created = halo.linesCreated.length;
  halo.inject('drop-after-apply', { method: 'POST' });
  const place = { agreementExternalId: String(s.msa.id), productExternalId: String(s.m365.id) };
  const failure = await connector.addLine(place, 5, memoryJournal()).catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.permanent, false);
  assert.equal(halo.linesCreated.length, created + 1, 'the create is not sent twice');
  // What the write worker does next: it looks before it adds.
  const found = await connector.findLines(place);
  assert.deepEqual(
    found.map((l) => [l.quantity, l.lockedReason]),
    [
      [5, undefined],
      [25, HALO_LOCKED_REASON],
    ],
    'the line the add made comes first, before the computed line of the same item',
  );
});

test('writes to two lines of one invoice at once both stick (Halo dropping omitted lines)', async () => {
  halo.omittedLines = 'drop';
  const s = seedLedger();
  halo.latencyMs = 10;
  const connector = haloConnector(options());
  const address = (id: number) => ({ agreementExternalId: String(s.msa.id), lineExternalId: String(id) });
  await Promise.all([
    connector.setQuantity(address(s.typed.id), 11, memoryJournal()),
    connector.setQuantity(address(s.rental.id), 2, memoryJournal()),
  ]);
  halo.latencyMs = 0;
  assert.equal(s.msa.lines.find((l) => l.id === s.typed.id)?.qty_order, 11);
  assert.equal(s.msa.lines.find((l) => l.id === s.rental.id)?.qty_order, 2);
  const line = await connector.readLine(address(s.typed.id));
  assert.equal(line?.quantity, 11);
  assert.equal(await connector.readLine({ agreementExternalId: '999999', lineExternalId: '1' }), null);
});

test('at most 4 requests are in flight per connection, token requests included', async () => {
  halo.latencyMs = 20;
  halo.maxInFlight = 0;
  const client = new HaloClient(options());
  await Promise.all(Array.from({ length: 12 }, () => client.get('/Item', { count: '1' })));
  halo.latencyMs = 0;
  assert.equal(halo.maxInFlight, 4);
});
