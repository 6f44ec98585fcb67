/**
 * Connecting Datto Autotask end to end over HTTP, against the fake Autotask with its faults: connect
 * (and refusals), the zone kept with the connection, full and delta sync into the ledger, approvals
 * written back as relative adjustments exactly once — also when a reply is lost after Autotask
 * applied one — new revenue, and the request budget on the connection.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AT_CREDENTIALS, FakeAutotask } from '../fakes/autotask.js';
import { type Fixture, type TestServer } from '../support/harness.js';
import { mapOntoSynced, partnerBoard, startPsaServer, syncNow, writesSettled } from '../support/psa.js';

let t: TestServer;
let f: Fixture;
let at: FakeAutotask;
const PERIOD = new Date().toISOString().slice(0, 7);
/** The first day of the month after the period (YYYY-MM-DD): where a decision takes effect by default. */
const nextMonthStart = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

const { partner, cardOn, approve } = partnerBoard(() => ({ t, f }), PERIOD);
const connectBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'autotask',
  site: at.baseUrl,
  ...AT_CREDENTIALS,
  ...overrides,
});

// The Autotask side: companies with recurring service contracts and their services.
const seed = () => {
  const edr = at.addService('Endpoint protection', 6, 2);
  const m365 = at.addService('Microsoft 365', 12, 9);
  const contoso = at.addCompany('Contoso');
  const litware = at.addCompany('Litware');
  const msa = at.addContract(contoso, 'Managed services');
  // Last and next month hold other units: only this month's count.
  const contosoEdr = at.addContractService(msa, edr, 10, { previousUnits: 8, nextUnits: 10 });
  const contosoM365 = at.addContractService(msa, m365, 5);
  at.addContract(contoso, 'Ended', { status: 0 });
  at.addContract(contoso, 'Block hours', { contractType: 6 });
  const lit = at.addContract(litware, 'Main');
  at.addContract(litware, 'Extra');
  return { edr, m365, contoso, litware, msa, contosoEdr, contosoM365, lit };
};
let s: ReturnType<typeof seed>;

before(async () => {
  at = await new FakeAutotask().start();
  s = seed();
  ({ t, f } = await startPsaServer());
});
after(async () => {
  await t.close();
  await at.stop();
});

test('a failed connection test stores nothing and gives Autotask’s reason', async () => {
  const wrong = await partner('PUT', '/psa/connection', connectBody({ secret: 'nope' }));
  assert.equal(wrong.status, 400);
  assert.equal(
    wrong.body.message,
    'The connection test failed: Autotask answered 401: the credentials were refused',
  );
  const unknown = await partner('PUT', '/psa/connection', connectBody({ username: 'nobody@example.com' }));
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.message, /zone lookup failed for "nobody@example.com"/);
  assert.equal((await partner('GET', '/psa/connection')).status, 404);
  const tooMany = await partner('PUT', '/psa/connection', connectBody({ maxInFlight: 4 }));
  assert.equal(tooMany.status, 400);
});

test('connecting keeps the zone with the connection and the secrets sealed; the budget is shown', async () => {
  const connected = await partner('PUT', '/psa/connection', connectBody());
  assert.equal(connected.status, 200, JSON.stringify(connected.body));
  assert.deepEqual(
    { ...connected.body, budget: undefined },
    {
      kind: 'autotask',
      site: at.baseUrl,
      account: AT_CREDENTIALS.username,
      settings: { requestsPerHour: '2000', maxInFlight: '2', zoneUrl: at.zoneUrl },
      budget: undefined,
      status: 'connected',
      lastSync: null,
    },
  );
  assert.equal(connected.body.budget.hourlyShare, 2000);
  assert.equal(connected.body.budget.maxInFlight, 2);
  const stored = await t.store.getPsaConnection(f.partnerId);
  assert.ok(stored);
  assert.ok(!stored.secretBox.includes(AT_CREDENTIALS.secret));
  assert.ok(!stored.secretBox.includes(AT_CREDENTIALS.integrationCode));
  assert.ok(!JSON.stringify((await partner('GET', '/psa/connection')).body).includes(AT_CREDENTIALS.secret));
});

test('a full sync brings companies, services, active recurring contracts and this period’s units', async () => {
  const zoneLookups = at.countRequests('GET', 'zoneInformation');
  const connection = await syncNow(t, f, true);
  assert.equal(connection.lastSync.state, 'succeeded', connection.lastSync.error);
  // The owner company (id 0), Contoso and Litware; two services; the three active recurring contracts.
  assert.deepEqual(connection.lastSync.counts, { companies: 3, products: 2, agreements: 3, lines: 2 });
  assert.equal(at.countRequests('GET', 'zoneInformation'), zoneLookups, 'the stored zone is used');
  const companies = (await partner('GET', '/psa/companies')).body;
  const contoso = companies.find((c: { externalId: string }) => c.externalId === String(s.contoso.id));
  assert.equal(contoso.source, 'autotask');
  const lines = (await partner('GET', `/psa/agreement-lines?companyId=${contoso.id}`)).body;
  const edr = lines.find((l: { externalId: string }) => l.externalId === String(s.contosoEdr.id));
  assert.equal(edr.quantity, 10);
  assert.equal((await partner('PATCH', `/psa/agreement-lines/${edr.id}`, { quantity: 1 })).status, 409);
});

test('approving a synced card posts one adjustment of the difference; the card shows the write', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 14 }],
    'autotask',
  );
  const id = world.cardOf(s.contoso.id, s.edr.id);
  const before = await cardOn(id);
  assert.deepEqual(before.psa, { kind: 'autotask', externalId: String(s.contoso.id) });
  assert.equal(before.psaQuantity, 10);

  at.inject('rate-limit', {
    method: 'POST',
    pathIncludes: 'ContractServiceAdjustments',
    retryAfterSeconds: 2,
  });
  const approved = await approve([id]);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  await writesSettled(t, f);

  const after = await cardOn(id);
  assert.equal(after.psaWrite.state, 'written');
  const write = await t.store.getPsaWrite(f.partnerId, after.psaWrite.id);
  const effective = write?.effectiveDate as string;
  assert.equal(effective, nextMonthStart(), 'the decision takes effect the month after the period');

  assert.equal(at.adjustmentsPosted.get(s.contosoEdr.id), 1);
  const adjustment = at.adjustments.at(-1);
  assert.deepEqual(
    { unitChange: adjustment?.unitChange, effectiveDate: adjustment?.effectiveDate },
    { unitChange: 4, effectiveDate: `${effective}T00:00:00Z` },
  );
  assert.equal(write?.remoteRef, String(adjustment?.itemId), 'the adjustment’s itemId is on the write');
  // An adjustment counts from its effective date on: this month keeps 10.
  assert.equal(at.unitsOn(s.contosoEdr.id, effective), 14);
  assert.equal(at.currentUnits(s.contosoEdr.id), 10);
  assert.equal(after.psaQuantity, 14, 'the ledger takes what Autotask confirms for the effective date');
  assert.equal(after.state, 'no_change');
});

test('a reply lost after Autotask applied the adjustment is not posted again', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.edr.id, unitCount: 20 }],
    'autotask',
  );
  const id = world.cardOf(s.contoso.id, s.edr.id);
  const posted = at.adjustmentsPosted.get(s.contosoEdr.id) ?? 0;
  at.inject('drop-after-apply', { method: 'POST', pathIncludes: 'ContractServiceAdjustments' });
  assert.equal((await approve([id])).status, 200);
  await writesSettled(t, f);
  assert.equal(at.unitsOn(s.contosoEdr.id, nextMonthStart()), 20);
  assert.equal(at.adjustmentsPosted.get(s.contosoEdr.id), posted + 1, 'exactly one adjustment');
  assert.equal(at.adjustments.at(-1)?.unitChange, 6);
  const card = await cardOn(id);
  assert.equal(card.psaWrite.state, 'written');
  assert.equal(card.psaQuantity, 20);
  const write = await t.store.getPsaWrite(f.partnerId, card.psaWrite.id);
  assert.ok((write?.attempts ?? 0) >= 2, 'the first attempt failed, the next one read and found 20');
});

test('new revenue: an adjustment creates the contract service once, even when its reply is lost', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.litware.id, itemCwId: s.m365.id, unitCount: 3 }],
    'autotask',
  );
  const lit = world.cardOf(s.litware.id, s.m365.id);
  const noLine = await approve([lit]);
  assert.equal(noLine.status, 409, JSON.stringify(noLine.body));
  const main = noLine.body.candidates.find((c: { agreementName: string }) => c.agreementName === 'Main');
  at.inject('drop-after-apply', { method: 'POST', pathIncludes: 'ContractServiceAdjustments' });
  assert.equal((await approve([lit], { agreementId: main.agreementId })).status, 200);
  await writesSettled(t, f);
  const created = [...at.contractServices.values()].filter((cs) => cs.contractID === s.lit.id);
  assert.equal(created.length, 1);
  assert.equal(at.adjustmentsPosted.get(created[0]?.id as number), 1);
  assert.equal(at.unitsOn(created[0]?.id as number, nextMonthStart()), 3);
  const card = await cardOn(lit);
  assert.equal(card.psaQuantity, 3);
  assert.equal(card.psaWrite.state, 'written');
});

test('a delta sync brings units changed in Autotask; the connection shows its request budget', async () => {
  at.setCurrentUnits(s.contosoM365.id, 7);
  const before = at.requests.length;
  const delta = await syncNow(t, f);
  assert.equal(delta.lastSync.full, false);
  assert.equal(delta.lastSync.state, 'succeeded', delta.lastSync.error);
  const contractQuery = at.requests.slice(before).find((r) => r.path.endsWith('/Contracts/query'));
  assert.match(contractQuery?.body ?? '', /lastModifiedDateTime/);
  const ids = await t.store.localIdsOf(f.partnerId, 'autotask', 'line', [String(s.contosoM365.id)]);
  const line = await t.store.getAgreementLine(f.partnerId, ids.get(String(s.contosoM365.id)) as string);
  assert.equal(line?.quantity, 7);

  const { budget } = delta;
  assert.equal(budget.hourlyShare, 2000);
  assert.equal(budget.maxInFlight, 2);
  assert.equal(budget.state, 'ok');
  assert.equal(budget.resumesAt, null);
  assert.ok(budget.usedLastHour >= 10, `${budget.usedLastHour} requests counted`);
  assert.ok(budget.usedLastHour <= at.requestsServed);
  assert.equal(budget.psaWide.limit, 10_000);
});

test('a database that moved to another zone is found again; the sync goes on there', async () => {
  const lookups = at.countRequests('GET', 'zoneInformation');
  at.zonePath = '/zone2/atservicesrest/';
  try {
    const synced = await syncNow(t, f);
    assert.equal(synced.lastSync.state, 'succeeded', synced.lastSync.error);
    assert.equal(at.countRequests('GET', 'zoneInformation'), lookups + 1, 'looked up once');
    assert.ok(at.requests.at(-1)?.path.startsWith('/zone2/atservicesrest/'));
  } finally {
    at.zonePath = '/atservicesrest/';
  }
});

// Last: it spends the process's Autotask budget for the rest of the hour.
test('a write meets a spent budget: it waits for the budget to come back instead of failing', async () => {
  const world = await mapOntoSynced(
    t,
    f,
    [{ companyCwId: s.contoso.id, itemCwId: s.m365.id, unitCount: 9 }],
    'autotask',
  );
  const id = world.cardOf(s.contoso.id, s.m365.id);
  // Other integrations used Autotask's whole hour.
  at.otherIntegrationsRequests = at.hourlyLimit;
  assert.equal((await approve([id])).status, 200);
  const queued = (await cardOn(id)).psaWrite;
  // The same place once more, as a write that already used far more than the worker's attempts.
  const worn = await t.store.getPsaWrite(f.partnerId, queued.id);
  assert.ok(worn);
  await t.store.insertPsaWrite({
    ...worn,
    id: `${worn.id}-worn`,
    cardId: `${worn.cardId}-worn`,
    attempts: 100,
  });

  const deadline = Date.now() + 10_000;
  let tried: Awaited<ReturnType<typeof t.store.getPsaWrite>>[] = [];
  while (Date.now() < deadline) {
    t.server.psa.writes.kick();
    tried = await Promise.all([queued.id, `${worn.id}-worn`].map((w) => t.store.getPsaWrite(f.partnerId, w)));
    if (tried.every((w) => w?.lastError)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const connection = (await partner('GET', '/psa/connection')).body;
  assert.equal(connection.budget.state, 'spent');
  const resumesAtMs = Date.parse(connection.budget.resumesAt);
  assert.ok(resumesAtMs > Date.now() + 30 * 60_000, connection.budget.resumesAt);
  for (const write of tried) {
    assert.equal(write?.state, 'pending', write?.lastError ?? 'not tried');
    assert.match(write?.lastError ?? '', /resume/);
    assert.ok(Math.abs((write?.nextAttemptAtMs ?? 0) - resumesAtMs) < 5_000, 'tried again when it resumes');
  }
  assert.equal(at.adjustmentsPosted.get(s.contosoM365.id) ?? 0, 0, 'nothing was posted');
});
