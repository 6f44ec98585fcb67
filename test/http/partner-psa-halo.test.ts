/**
 * Connecting HaloPSA end to end over HTTP, against the fake HaloPSA with its faults: connect (and a
 * refused secret), a full sync of recurring invoices into the ledger with computed lines locked,
 * approvals written back by sending the whole invoice exactly once, a lost reply, a locked line, a
 * new line whose reply was lost, and a tenant's connection settings.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HALO_LOCKED_REASON } from '../../src/connectors/halo/connector.js';
import { FakeHalo, HALO_CREDENTIALS } from '../fakes/halo.js';
import { type Fixture, type TestServer } from '../support/harness.js';
import { mapOntoSynced, partnerBoard, startPsaServer, syncNow, writesSettled } from '../support/psa.js';

let t: TestServer;
let f: Fixture;
let halo: FakeHalo;
const PERIOD = new Date().toISOString().slice(0, 7);

const { partner, cardOn, approve } = partnerBoard(() => ({ t, f }), PERIOD);
const connectBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'halo',
  site: halo.baseUrl,
  ...HALO_CREDENTIALS,
  ...overrides,
});
const qty = (lineId: number) => halo.line(lineId)?.qty_order;

// The Halo side: customers with recurring invoices and their lines.
const seed = () => {
  const backup = halo.addItem('Cloud Backup', { recurringprice: 6, costprice: 2 });
  const m365 = halo.addItem('Microsoft 365', { recurringprice: 12, costprice: 9 });
  const contoso = halo.addClient('Contoso');
  const litware = halo.addClient('Litware');
  const msa = halo.addInvoice(contoso, 'Managed services');
  const contosoBackup = halo.addLine(msa, backup, 10);
  const contosoM365 = halo.addLine(msa, m365, 25, { quantityType: 1 });
  const note = halo.addLine(msa, backup, 0);
  note._itemid = -1; // a free-text line: not synced, but always sent back
  const lit1 = halo.addInvoice(litware, 'Main');
  const litBackup = halo.addLine(lit1, backup, 2);
  const lit2 = halo.addInvoice(litware, 'Extra');
  // More customers than one unpaged list shows.
  for (let i = 0; i < 60; i++) halo.addClient(`Prospect ${i}`);
  return { backup, m365, contoso, litware, msa, contosoBackup, contosoM365, note, lit1, litBackup, lit2 };
};
let s: ReturnType<typeof seed>;

before(async () => {
  halo = await new FakeHalo().start();
  halo.omittedLines = 'drop';
  s = seed();
  ({ t, f } = await startPsaServer());
});
after(async () => {
  await t.close();
  await halo.stop();
});

test('a refused secret stores nothing and says why', async () => {
  const wrong = await partner('PUT', '/psa/connection', connectBody({ clientSecret: 'nope' }));
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.message, 'The connection test failed: HaloPSA refused the client id or secret');
  assert.equal((await partner('GET', '/psa/connection')).status, 404);
});

test('connecting answers the client id as the account and the auth address; the secret is sealed', async () => {
  const connected = await partner('PUT', '/psa/connection', connectBody());
  assert.equal(connected.status, 200, JSON.stringify(connected.body));
  assert.deepEqual(connected.body, {
    kind: 'halo',
    site: halo.baseUrl,
    account: HALO_CREDENTIALS.clientId,
    settings: { authUrl: `${halo.baseUrl}/auth` },
    budget: null,
    status: 'connected',
    lastSync: null,
  });
  const shown = await partner('GET', '/psa/connection');
  assert.equal(shown.body.account, HALO_CREDENTIALS.clientId);
  assert.equal(shown.body.settings.authUrl, `${halo.baseUrl}/auth`);
  assert.ok(!JSON.stringify(shown.body).includes(HALO_CREDENTIALS.clientSecret));
  const stored = await t.store.getPsaConnection(f.partnerId);
  assert.ok(stored && !stored.secretBox.includes(HALO_CREDENTIALS.clientSecret));
});

test('a full sync brings every customer, item, recurring invoice and line; computed lines are locked', async () => {
  const connection = await syncNow(t, f, true);
  assert.equal(connection.lastSync.state, 'succeeded', connection.lastSync.error);
  assert.deepEqual(connection.lastSync.counts, { companies: 62, products: 2, agreements: 3, lines: 3 });
  const ids = await t.store.localIdsOf(f.partnerId, 'halo', 'line', [
    String(s.contosoBackup.id),
    String(s.contosoM365.id),
  ]);
  const counted = await t.store.getAgreementLine(f.partnerId, ids.get(String(s.contosoM365.id)) as string);
  assert.equal(counted?.lockedReason, HALO_LOCKED_REASON);
  assert.equal(counted?.quantity, 25);
  const typed = await t.store.getAgreementLine(f.partnerId, ids.get(String(s.contosoBackup.id)) as string);
  assert.equal(typed?.lockedReason, undefined);
  const companies = (await partner('GET', '/psa/companies')).body;
  const contoso = companies.find((c: { externalId: string }) => c.externalId === String(s.contoso.id));
  assert.equal(contoso.source, 'halo');
});

test('approving a synced card writes the quantity to HaloPSA once; the card shows the write', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.backup.id, unitCount: 14 }],
    'halo',
  );
  const id = world.cardOf(s.contoso.id, s.backup.id);
  const before = await cardOn(id);
  assert.deepEqual(before.psa, { kind: 'halo', externalId: String(s.contoso.id) });
  assert.equal(before.psaQuantity, 10);
  const otherLines = structuredClone(s.msa.lines.filter((l) => l.id !== s.contosoBackup.id));

  halo.inject('rate-limit', { method: 'POST', retryAfterSeconds: 2 });
  halo.inject('server-error', { method: 'POST' });
  halo.expireTokens();
  const approved = await approve([id]);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const [result] = approved.body.results;
  assert.equal(result.ok, true);
  await writesSettled(t, f);

  assert.equal(qty(s.contosoBackup.id), 14);
  assert.equal(halo.quantityChanges.get(s.contosoBackup.id), 1);
  assert.deepEqual(
    s.msa.lines.filter((l) => l.id !== s.contosoBackup.id),
    otherLines,
    'Halo dropped no line and changed no other',
  );
  const after = await cardOn(id);
  assert.equal(after.psaQuantity, 14);
  assert.equal(after.psaWrite.state, 'written');
  assert.equal(after.psaWrite.id, result.psaWriteId);
});

test('a reply lost after HaloPSA applied the write is not applied twice', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.backup.id, unitCount: 20 }],
    'halo',
  );
  const id = world.cardOf(s.contoso.id, s.backup.id);
  const changesBefore = halo.quantityChanges.get(s.contosoBackup.id) ?? 0;
  // Every attempt of this POST loses its reply; the client gives up, and the next attempt re-reads.
  halo.inject('drop-after-apply', { method: 'POST', times: 6 });
  assert.equal((await approve([id])).status, 200);
  await writesSettled(t, f);
  assert.equal(qty(s.contosoBackup.id), 20);
  assert.equal(
    halo.quantityChanges.get(s.contosoBackup.id),
    changesBefore + 1,
    'the change to 20 applied once',
  );
  assert.equal((await cardOn(id)).psaWrite.state, 'written');
  assert.equal(s.msa.lines.length, 3, 'no line was lost');
});

test('a line HaloPSA counts itself is refused with the reason; HaloPSA keeps its quantity', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.m365.id, unitCount: 30 }],
    'halo',
  );
  const id = world.cardOf(s.contoso.id, s.m365.id);
  const posts = halo.postsApplied;
  const card = await cardOn(id);
  assert.equal(card.psaLockedReason, HALO_LOCKED_REASON, 'the card says why before anyone tries');
  const refused = await approve([id]);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.ok(refused.body.message.includes(HALO_LOCKED_REASON), refused.body.message);
  const adjusted = await approve([id], { action: 'adjust', quantity: 40 });
  assert.equal(adjusted.status, 409);
  assert.equal((await cardOn(id)).psaWrite, null, 'no write was queued');
  assert.equal(halo.postsApplied, posts, 'nothing was sent');
  assert.equal(qty(s.contosoM365.id), 25);
  const dismissed = await approve([id], { action: 'dismiss' });
  assert.equal(dismissed.status, 200, 'the card can still be dismissed');
});

test('new revenue on a chosen invoice: the add whose reply was lost is found, not added twice', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.litware.id, itemCwId: s.m365.id, unitCount: 3 }],
    'halo',
  );
  const lit = world.cardOf(s.litware.id, s.m365.id);
  const noLine = await approve([lit]);
  assert.equal(noLine.status, 409);
  const main = noLine.body.candidates.find((c: { agreementName: string }) => c.agreementName === 'Main');
  assert.ok(main, JSON.stringify(noLine.body));
  halo.inject('drop-after-apply', { method: 'POST' });
  assert.equal((await approve([lit], { agreementId: main.agreementId })).status, 200);
  await writesSettled(t, f);
  const added = s.lit1.lines.filter((l) => l._itemid === s.m365.id);
  assert.equal(added.length, 1);
  assert.equal(added[0]?.qty_order, 3);
  assert.equal(qty(s.litBackup.id), 2, 'the invoice kept its other line');
  const card = await cardOn(lit);
  assert.equal(card.psaQuantity, 3);
  assert.equal(card.psaWrite.state, 'written');
});

test('a hosted tenant is sent with the token request and kept in the settings', async () => {
  halo.tenant = 'acme';
  const refused = await partner('PUT', '/psa/connection', connectBody());
  assert.equal(refused.status, 400);
  const connected = await partner('PUT', '/psa/connection', connectBody({ tenant: 'acme' }));
  assert.equal(connected.status, 200, JSON.stringify(connected.body));
  assert.deepEqual(connected.body.settings, { authUrl: `${halo.baseUrl}/auth`, tenant: 'acme' });
  const synced = await syncNow(t, f);
  assert.equal(synced.lastSync.state, 'succeeded', synced.lastSync.error);
  halo.tenant = undefined;
});
