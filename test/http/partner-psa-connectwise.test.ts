/**
 * Connecting ConnectWise PSA end to end over HTTP, against the fake ConnectWise with its faults:
 * connect (and refusals), full and delta sync into the ledger, read-only synced rows, approvals
 * written back through the outbox exactly once, ambiguous places, new revenue, disconnecting.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CW_CREDENTIALS, FakeConnectWise } from '../fakes/connectwise.js';
import { type Fixture, type TestServer } from '../support/harness.js';
import {
  connectBody,
  mapOntoSynced,
  partnerBoard,
  startPsaServer,
  syncNow,
  writesSettled,
} from '../support/psa.js';

let t: TestServer;
let f: Fixture;
let cw: FakeConnectWise;
const PERIOD = new Date().toISOString().slice(0, 7);

const { partner, cardOn, approve } = partnerBoard(() => ({ t, f }), PERIOD);

// The ConnectWise side: companies with agreements and additions.
const seed = () => {
  const edr = cw.addCatalogItem('EDR', 'Endpoint protection', 6, 2);
  const m365 = cw.addCatalogItem('M365', 'Microsoft 365', 12, 9);
  const contoso = cw.addCompany('Contoso');
  const contosoTwin = cw.addCompany('Contoso', 'Contoso2'); // PSAs do not keep names unique
  const fabrikam = cw.addCompany('Fabrikam');
  const litware = cw.addCompany('Litware');
  const msa = cw.addAgreement(contoso, 'Managed services');
  const contosoEdr = cw.addAddition(msa, edr, 10);
  cw.addAddition(msa, m365, 5, { cancelled: true });
  const fab1 = cw.addAgreement(fabrikam, 'Security');
  const fab2 = cw.addAgreement(fabrikam, 'Cloud');
  const fabEdrA = cw.addAddition(fab1, edr, 3);
  const fabEdrB = cw.addAddition(fab2, edr, 4);
  const lit1 = cw.addAgreement(litware, 'Main');
  const lit2 = cw.addAgreement(litware, 'Extra');
  cw.addAgreement(contosoTwin, 'Old', 'Cancelled');
  return {
    edr,
    m365,
    contoso,
    contosoTwin,
    fabrikam,
    litware,
    msa,
    contosoEdr,
    fab1,
    fab2,
    fabEdrA,
    fabEdrB,
    lit1,
    lit2,
  };
};
let s: ReturnType<typeof seed>;

before(async () => {
  cw = await new FakeConnectWise().start();
  s = seed();
  ({ t, f } = await startPsaServer());
});
after(async () => {
  await t.close();
  await cw.stop();
});

test('a failed connection test stores nothing and says why; bad addresses are refused', async () => {
  const wrong = await partner('PUT', '/psa/connection', connectBody(cw, { privateKey: 'nope' }));
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.message, /^The connection test failed: ConnectWise answered 401/);
  assert.equal((await partner('GET', '/psa/connection')).status, 404);

  const plain = await partner(
    'PUT',
    '/psa/connection',
    connectBody(cw, { site: 'http://api-na.myconnectwise.net' }),
  );
  assert.equal(plain.status, 400);
  assert.equal(plain.body.message, 'site must use https (plain http is only allowed to a loopback address)');
  const internal = await partner('PUT', '/psa/connection', connectBody(cw, { site: 'https://10.1.2.3' }));
  assert.equal(internal.status, 400);
  assert.match(internal.body.message, /TALLY_PSA_ALLOW_PRIVATE_NETWORK=true/);
  const missing = await partner('PUT', '/psa/connection', { kind: 'connectwise', site: cw.baseUrl });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.message, 'companyId is required');
});

test('connecting answers the connection without its keys, which are stored sealed', async () => {
  const connected = await partner('PUT', '/psa/connection', connectBody(cw));
  assert.equal(connected.status, 200, JSON.stringify(connected.body));
  assert.deepEqual(connected.body, {
    kind: 'connectwise',
    site: cw.baseUrl,
    account: CW_CREDENTIALS.companyId,
    settings: { clientId: CW_CREDENTIALS.clientId, codebase: 'v2026_1/' },
    budget: null,
    status: 'connected',
    lastSync: null,
  });
  const stored = await t.store.getPsaConnection(f.partnerId);
  assert.ok(stored);
  assert.ok(!stored.secretBox.includes(CW_CREDENTIALS.privateKey));
  assert.ok(!stored.secretBox.includes(CW_CREDENTIALS.publicKey));
  assert.equal(stored.settings.codebase, 'v2026_1/');
  assert.ok(
    !JSON.stringify((await partner('GET', '/psa/connection')).body).includes(CW_CREDENTIALS.privateKey),
  );
});

test('a full sync brings companies, products, active agreements and their lines; they are read-only', async () => {
  const connection = await syncNow(t, f, true);
  assert.equal(connection.status, 'connected');
  assert.equal(connection.lastSync.state, 'succeeded', connection.lastSync.error);
  assert.equal(connection.lastSync.full, true);
  assert.deepEqual(connection.lastSync.counts, { companies: 4, products: 2, agreements: 5, lines: 3 });

  const companies = (await partner('GET', '/psa/companies')).body;
  const contosos = companies.filter((c: { name: string }) => c.name === 'Contoso');
  assert.equal(contosos.length, 2, 'two ConnectWise companies may share a name');
  assert.deepEqual(
    contosos.map((c: { source: string }) => c.source),
    ['connectwise', 'connectwise'],
  );
  const contoso = contosos.find((c: { externalId: string }) => c.externalId === String(s.contoso.id));
  assert.equal(contoso.externalCode, 'Contoso');

  const renamed = await partner('PATCH', `/psa/companies/${contoso.id}`, { name: 'Other' });
  assert.equal(renamed.status, 409);
  assert.equal(
    renamed.body.message,
    'Company "Contoso" comes from ConnectWise PSA; change it in ConnectWise PSA',
  );
  const lines = (await partner('GET', `/psa/agreement-lines?companyId=${contoso.id}`)).body;
  assert.equal(lines.length, 1, 'the cancelled addition is not synced');
  assert.equal(lines[0].quantity, 10);
  assert.equal(lines[0].externalId, String(s.contosoEdr.id));
  const edit = await partner('PATCH', `/psa/agreement-lines/${lines[0].id}`, { quantity: 1 });
  assert.equal(edit.status, 409);
  // A hand-made company may still take the name of a synced one: the unique-name rule is for hand-made rows.
  assert.equal((await partner('POST', '/psa/companies', { name: 'Contoso' })).status, 201);
});

test('approving a synced card writes the quantity to ConnectWise once; the card shows the write', async () => {
  const world = await mapOntoSynced(t, f, [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 14 }]);
  const id = world.cardOf(s.contoso.id, s.edr.id);
  const before = await cardOn(id);
  assert.deepEqual(before.psa, { kind: 'connectwise', externalId: String(s.contoso.id) });
  assert.equal(before.psaQuantity, 10);
  assert.equal(before.psaWrite, null);

  cw.inject('rate-limit', { method: 'PATCH', retryAfterSeconds: 2 });
  cw.inject('timeout', { method: 'PATCH', times: 2 });
  const approved = await approve([id]);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const [result] = approved.body.results;
  assert.equal(result.ok, true);
  assert.equal(typeof result.psaWriteId, 'string');
  await writesSettled(t, f);

  assert.equal(cw.additions.get(s.contosoEdr.id)?.quantity, 14);
  assert.equal(cw.patchesApplied.get(s.contosoEdr.id), 1);
  const after = await cardOn(id);
  assert.equal(after.psaQuantity, 14);
  assert.equal(after.state, 'no_change');
  assert.equal(after.psaWrite.state, 'written');
  assert.equal(after.psaWrite.id, result.psaWriteId);
  const audit = (await partner('GET', '/audit')).body.entries[0];
  assert.equal(audit.fromQuantity, 10);
  assert.equal(audit.toQuantity, 14);
});

test('undoing an approval of a synced card writes the previous quantity back to ConnectWise', async () => {
  const world = await mapOntoSynced(t, f, [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 17 }]);
  const id = world.cardOf(s.contoso.id, s.edr.id);
  const before = (await cardOn(id)).psaQuantity;
  assert.equal((await approve([id])).status, 200);
  await writesSettled(t, f);
  assert.equal(cw.additions.get(s.contosoEdr.id)?.quantity, 17);

  const undone = await partner('POST', '/billing/decisions/undo', { period: PERIOD, cardId: id });
  assert.equal(undone.status, 200, JSON.stringify(undone.body));
  assert.equal(undone.body.restoredQuantity, before);
  assert.equal(typeof undone.body.psaWriteId, 'string');
  await writesSettled(t, f);
  assert.equal(cw.additions.get(s.contosoEdr.id)?.quantity, before, 'ConnectWise has the old quantity again');
  const card = await cardOn(id);
  assert.equal(card.psaQuantity, before);
  assert.equal(card.action, null, 'the card is back on the board');
  assert.equal(card.psaWrite.id, undone.body.psaWriteId);
  assert.equal(card.psaWrite.state, 'written');
});

test('a reply lost after ConnectWise applied the write is not sent twice', async () => {
  const world = await mapOntoSynced(t, f, [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 20 }]);
  const id = world.cardOf(s.contoso.id, s.edr.id);
  const patchesBefore = cw.patchesApplied.get(s.contosoEdr.id) ?? 0;
  // Every attempt of this PATCH loses its reply; the client gives up, and the next attempt re-reads.
  cw.inject('drop-after-apply', { method: 'PATCH', times: 6 });
  assert.equal((await approve([id])).status, 200);
  await writesSettled(t, f);
  assert.equal(cw.additions.get(s.contosoEdr.id)?.quantity, 20);
  assert.equal(cw.patchesApplied.get(s.contosoEdr.id), patchesBefore + 1, 'the change to 20 applied once');
  assert.equal((await cardOn(id)).psaWrite.state, 'written');
});

test('ConnectWise refusing a write fails it with its own words; retry sends it', async () => {
  const world = await mapOntoSynced(t, f, [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 25 }]);
  const id = world.cardOf(s.contoso.id, s.edr.id);
  cw.inject('invalid-object', { method: 'PATCH' });
  await approve([id]);
  await writesSettled(t, f);
  const failed = (await cardOn(id)).psaWrite;
  assert.equal(failed.state, 'failed');
  assert.equal(
    failed.lastError,
    'ConnectWise answered 400: agreement object is invalid (billAmount: The field billAmount must be between 0 and 99999999.99.)',
  );
  assert.equal((await cardOn(id)).psaQuantity, 20, 'the ledger keeps what ConnectWise holds');
  const listed = (await partner('GET', '/psa/writes?state=failed')).body.writes;
  assert.deepEqual(
    listed.map((w: { id: string }) => w.id),
    [failed.id],
  );

  const retried = await partner('POST', `/psa/writes/${failed.id}/retry`);
  assert.equal(retried.status, 200);
  await writesSettled(t, f);
  assert.equal((await cardOn(id)).psaWrite.state, 'written');
  assert.equal(cw.additions.get(s.contosoEdr.id)?.quantity, 25);
  const again = await partner('POST', `/psa/writes/${failed.id}/retry`);
  assert.equal(again.status, 409);
});

test('several lines or agreements: 409 with the candidates, then the chosen one is written', async () => {
  const world = await mapOntoSynced(t, f, [
    { companyCwId: s.fabrikam.id, itemCwId: s.edr.id, unitCount: 9 },
    { companyCwId: s.litware.id, itemCwId: s.m365.id, unitCount: 3 },
  ]);
  const fab = world.cardOf(s.fabrikam.id, s.edr.id);
  const ambiguous = await approve([fab]);
  assert.equal(ambiguous.status, 409);
  assert.match(ambiguous.body.message, /has 2 active ConnectWise PSA lines of "Endpoint protection"/);
  assert.equal(ambiguous.body.candidates.length, 2);
  const chosen = ambiguous.body.candidates.find(
    (c: { externalId: string }) => c.externalId === String(s.fabEdrB.id),
  );
  assert.equal((await approve([fab], { agreementLineId: chosen.agreementLineId })).status, 200);
  await writesSettled(t, f);
  // 9 in total: the other line keeps its 3, the chosen one takes 6.
  assert.equal(cw.additions.get(s.fabEdrB.id)?.quantity, 6);
  assert.equal(cw.additions.get(s.fabEdrA.id)?.quantity, 3);
  assert.equal((await cardOn(fab)).psaQuantity, 9);

  const lit = world.cardOf(s.litware.id, s.m365.id);
  const noLine = await approve([lit]);
  assert.equal(noLine.status, 409);
  assert.deepEqual(
    noLine.body.candidates.map((c: { agreementName: string }) => c.agreementName),
    ['Extra', 'Main'],
  );
  const main = noLine.body.candidates.find((c: { agreementName: string }) => c.agreementName === 'Main');
  // The create is applied but its reply lost: the retry finds the new addition instead of adding twice.
  cw.inject('drop-after-apply', { method: 'POST' });
  assert.equal((await approve([lit], { agreementId: main.agreementId })).status, 200);
  await writesSettled(t, f);
  const created = [...cw.additions.values()].filter((a) => a.agreementId === s.lit1.id);
  assert.equal(created.length, 1);
  assert.equal(created[0]?.quantity, 3);
  assert.equal(created[0]?.billCustomer, 'Billable');
  const card = await cardOn(lit);
  assert.equal(card.psaQuantity, 3);
  assert.equal(card.psaWrite.state, 'written');
});

test('a delta sync brings changes made in ConnectWise; a full sync retires what was cancelled', async () => {
  const before = cw.requests.length;
  cw.touch(s.fabEdrA, { quantity: 5 });
  const delta = await syncNow(t, f);
  assert.equal(delta.lastSync.full, false);
  assert.equal(delta.lastSync.state, 'succeeded', delta.lastSync.error);
  assert.ok(delta.lastSync.counts.lines >= 1);
  const deltaRequests = cw.requests.slice(before);
  assert.ok(
    deltaRequests
      .filter((r) => r.path.includes('/company/companies'))
      .every((r) => r.path.includes('lastUpdated')),
    'the delta asks for changed companies only',
  );
  const fabLines = await t.store.localIdsOf(f.partnerId, 'connectwise', 'line', [String(s.fabEdrA.id)]);
  const line = await t.store.getAgreementLine(f.partnerId, fabLines.get(String(s.fabEdrA.id)) as string);
  assert.equal(line?.quantity, 5);

  cw.touch(s.fab2, { agreementStatus: 'Cancelled', cancelledFlag: true });
  cw.additions.delete(s.fabEdrA.id);
  const full = await syncNow(t, f, true);
  assert.equal(full.lastSync.state, 'succeeded');
  const fabrikamId = (
    await t.store.localIdsOf(f.partnerId, 'connectwise', 'company', [String(s.fabrikam.id)])
  ).get(String(s.fabrikam.id));
  const active = await t.store.listAgreementLines(f.partnerId, { companyId: fabrikamId, activeOnly: true });
  assert.deepEqual(active, [], 'the deleted addition and the cancelled agreement’s line bill nothing');
});

test('disconnecting keeps the synced rows read-only; approvals on them are refused', async () => {
  const world = await mapOntoSynced(t, f, [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 30 }]);
  assert.equal((await partner('DELETE', '/psa/connection')).status, 204);
  assert.equal((await partner('GET', '/psa/connection')).status, 404);
  const companies = (await partner('GET', '/psa/companies')).body;
  assert.ok(companies.some((c: { source: string }) => c.source === 'connectwise'));
  const refused = await approve([world.cardOf(s.contoso.id, s.edr.id)]);
  assert.equal(refused.status, 409);
  assert.equal(
    refused.body.message,
    '"Contoso" comes from ConnectWise PSA, which is not connected; connect it to write quantities',
  );
});
