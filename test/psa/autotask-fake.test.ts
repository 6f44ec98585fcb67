/**
 * The fake Autotask answers like the real one, and the Autotask connector copes with it: the request
 * shapes public clients really send (psa-apis.md §6/§7) are replayed against the fake, and the
 * connector's paging, current-period units, relative writes (never twice) and error reporting are
 * checked against its faults.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AutotaskBudget } from '../../src/connectors/autotask/budget.js';
import { AutotaskClient } from '../../src/connectors/autotask/client.js';
import { autotaskConnector } from '../../src/connectors/autotask/connector.js';
import { PsaError, type SyncBatch } from '../../src/core/psa-connector/port.js';
import { AT_CREDENTIALS, AT_OWNER_COMPANY, FakeAutotask } from '../fakes/autotask.js';
import { memoryJournal } from '../support/psa-journal.js';

let at: FakeAutotask;
const noSleep = async () => {};
const headers = () => ({
  ApiIntegrationCode: AT_CREDENTIALS.integrationCode,
  UserName: AT_CREDENTIALS.username,
  Secret: AT_CREDENTIALS.secret,
  'content-type': 'application/json',
});
const api = () => `${at.zoneUrl}V1.0`;
const today = () => new Date().toISOString().slice(0, 10);
const budget = () =>
  new AutotaskBudget({ requestsPerHour: 10_000, maxInFlight: 3, sleep: noSleep, probeEveryMs: 3_600_000 });
const options = () => ({ site: at.baseUrl, ...AT_CREDENTIALS, budget: budget(), sleep: noSleep });
const connector = () => autotaskConnector(options());
const query = (entity: string, body: unknown) =>
  fetch(`${api()}/${entity}/query`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
const ids = async (response: Response) =>
  ((await response.json()) as { items: { id: number }[] }).items.map((i) => i.id);
const collect = async (batches: AsyncIterable<SyncBatch>) => {
  const out: Record<string, unknown[]> = { companies: [], products: [], agreements: [], lines: [] };
  for await (const batch of batches) out[batch.kind]?.push(...batch.rows);
  return out as {
    companies: { externalId: string }[];
    products: { externalId: string; unitPriceMicros: number }[];
    agreements: { externalId: string; active: boolean }[];
    lines: { externalId: string; quantity: number }[];
  };
};

before(async () => {
  at = await new FakeAutotask().start();
});
after(() => at.stop());

test('zoneInformation needs no credentials; the API refuses a request missing any of the three headers', async () => {
  const zone = await fetch(
    `${at.baseUrl}/atservicesrest/v1.0/zoneInformation?user=${encodeURIComponent(AT_CREDENTIALS.username)}`,
  );
  assert.equal(zone.status, 200);
  assert.equal((await zone.json()).url, `${at.baseUrl}/atservicesrest/`);
  const unknown = await fetch(`${at.baseUrl}/atservicesrest/v1.0/zoneInformation?user=nobody`);
  assert.equal(unknown.status, 500, 'the real lookup answers 500 to an unknown user');

  for (const missing of ['ApiIntegrationCode', 'UserName', 'Secret']) {
    const partial: Record<string, string> = headers();
    delete partial[missing];
    const refused = await fetch(`${api()}/Companies/0`, { headers: partial });
    assert.equal(refused.status, 401, `without ${missing}`);
    assert.doesNotMatch(refused.headers.get('content-type') ?? '', /json/, 'the body is not JSON');
    assert.match(await refused.text(), /Unauthorized/);
  }
  const owner = await fetch(`${api()}/Companies/0`, { headers: headers() });
  assert.equal((await owner.json()).item.companyName, AT_OWNER_COMPANY);
});

test('the query grammar: every operator, nested and/or groups, case-insensitive field names', async () => {
  const a = at.addCompany('Northwind Traders');
  const b = at.addCompany('Northwind Health', { isActive: false });
  const c = at.addCompany('Southridge Video');
  const mine = { op: 'in', field: 'id', value: [a.id, b.id, c.id] };
  const cases: [unknown[], number[]][] = [
    [[mine, { op: 'eq', field: 'CompanyName', value: 'northwind traders' }], [a.id]],
    [[mine, { op: 'noteq', field: 'isActive', value: true }], [b.id]],
    [
      [mine, { op: 'beginsWith', field: 'companyname', value: 'North' }],
      [a.id, b.id],
    ],
    [[mine, { op: 'endsWith', field: 'companyName', value: 'video' }], [c.id]],
    [
      [mine, { op: 'contains', field: 'companyName', value: 'WIND' }],
      [a.id, b.id],
    ],
    [
      [mine, { op: 'gt', field: 'id', value: a.id }],
      [b.id, c.id],
    ],
    [
      [mine, { op: 'gte', field: 'id', value: b.id }],
      [b.id, c.id],
    ],
    [[mine, { op: 'lt', field: 'id', value: b.id }], [a.id]],
    [
      [mine, { op: 'lte', field: 'id', value: b.id }],
      [a.id, b.id],
    ],
    [
      [mine, { op: 'notIn', field: 'id', value: [a.id] }],
      [b.id, c.id],
    ],
    [
      [mine, { op: 'exist', field: 'companyName' }],
      [a.id, b.id, c.id],
    ],
    [[mine, { op: 'notExist', field: 'companyName' }], []],
    [
      [
        mine,
        {
          op: 'or',
          items: [
            { op: 'eq', field: 'id', value: c.id },
            {
              op: 'and',
              items: [
                { op: 'beginsWith', field: 'companyName', value: 'north' },
                { op: 'eq', field: 'isActive', value: true },
              ],
            },
          ],
        },
      ],
      [a.id, c.id],
    ],
  ];
  for (const [filter, expected] of cases) {
    const response = await query('Companies', { filter });
    assert.equal(response.status, 200, JSON.stringify(filter));
    assert.deepEqual(await ids(response), expected, JSON.stringify(filter));
  }
  // django-autotask's GET form of the same query.
  const search = encodeURIComponent(
    JSON.stringify({ filter: [mine, { op: 'eq', field: 'id', value: c.id }] }),
  );
  assert.deepEqual(
    await ids(await fetch(`${api()}/Companies/query?search=${search}`, { headers: headers() })),
    [c.id],
  );

  const noFilter = await query('Companies', { filter: [] });
  assert.equal(noFilter.status, 400);
  assert.deepEqual((await noFilter.json()).errors, ['A query needs a filter with at least one condition.']);
  const tooMany = await query('Companies', { filter: [mine], MaxRecords: 501 });
  assert.equal(tooMany.status, 400);
  const badField = await query('Companies', { filter: [{ op: 'eq', field: 'nickname', value: 'x' }] });
  assert.deepEqual((await badField.json()).errors, ['Unable to find nickname in the Companies entity.']);
  const longIn = await query('Companies', {
    filter: [{ op: 'in', field: 'id', value: Array.from({ length: 501 }, (_, i) => i) }],
  });
  assert.equal(longIn.status, 400, 'at most 500 OR conditions');
});

test('the client follows nextPageUrl past 500 rows: pages of 500, 500 and 203', async () => {
  const first = at.addService('Paging 0');
  for (let i = 1; i < 1203; i++) at.addService(`Paging ${i}`);
  const client = new AutotaskClient(options());
  const before = at.countRequests('GET', '/Services/query/next');
  const sizes: number[] = [];
  for await (const page of client.query<{ id: number }>('Services', [
    { op: 'gte', field: 'id', value: first.id },
    { op: 'beginsWith', field: 'name', value: 'Paging' },
  ])) {
    sizes.push(page.length);
  }
  assert.deepEqual(sizes, [500, 500, 203]);
  assert.equal(at.countRequests('GET', '/Services/query/next') - before, 2);
  const posted = at.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Services/query')).at(-1);
  assert.equal(JSON.parse(posted?.body ?? '{}').MaxRecords, 500);
});

test('the adjustment a public sync script posts (ema-autotask-sync) changes this period’s units and counts twice when sent twice', async () => {
  const company = at.addCompany('Replay Co');
  const service = at.addService('Backup seat', 8, 3);
  const contract = at.addContract(company, 'Recurring');
  const cs = at.addContractService(contract, service, 4);
  const body = {
    id: 0,
    serviceId: service.id,
    ContractID: contract.id,
    unitChange: 3,
    effectiveDate: new Date().toISOString(),
  };
  const post = () =>
    fetch(`${api()}/ContractServiceAdjustments`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(body),
    });
  const created = await post();
  assert.equal(created.status, 200);
  assert.equal(typeof (await created.json()).itemId, 'number');
  assert.equal(at.currentUnits(cs.id), 7);
  await post();
  assert.equal(at.currentUnits(cs.id), 10, 'a repeated adjustment really counts twice');
  const unreadable = await fetch(`${api()}/ContractServiceAdjustments/1`, { headers: headers() });
  assert.equal(unreadable.status, 405, 'adjustments cannot be read back');
});

test('a full sync reads recurring active contracts and each line’s units of the current period only', async () => {
  const fresh = await new FakeAutotask().start();
  try {
    const company = fresh.addCompany('Contoso');
    const edr = fresh.addService('Endpoint protection', 6.5, 2.25);
    const m365 = fresh.addService('Microsoft 365', 12, 9);
    const msa = fresh.addContract(company, 'Managed services');
    const edrLine = fresh.addContractService(msa, edr, 10, { previousUnits: 99, nextUnits: 77 });
    const m365Line = fresh.addContractService(msa, m365, 5);
    const inactive = fresh.addContract(company, 'Ended', { status: 0 });
    fresh.addContractService(inactive, edr, 3);
    const block = fresh.addContract(company, 'Block hours', { contractType: 6 });
    fresh.addContractService(block, edr, 2);
    // Many lines: their units are read in `in` batches, not one request per line.
    const big = fresh.addContract(company, 'Big');
    for (let i = 0; i < 620; i++) fresh.addContractService(big, fresh.addService(`Seat ${i}`), i % 9);

    const synced = await collect(
      autotaskConnector({ ...options(), site: fresh.baseUrl }).read({ sinceMs: null }),
    );
    assert.deepEqual(
      synced.agreements.map((a) => a.externalId),
      [String(msa.id), String(big.id)],
    );
    assert.equal(synced.companies.length, 2, 'the owner company and Contoso');
    assert.equal(synced.products.find((p) => p.externalId === String(edr.id))?.unitPriceMicros, 6_500_000);
    const quantity = (id: number) => synced.lines.find((l) => l.externalId === String(id))?.quantity;
    assert.equal(quantity(edrLine.id), 10, 'this month’s units, not last or next month’s');
    assert.equal(quantity(m365Line.id), 5);
    assert.equal(synced.lines.length, 622);
    const unitQueries = fresh.requests.filter((r) => r.path.includes('ContractServiceUnits'));
    assert.ok(unitQueries.length <= 3, `${unitQueries.length} unit queries for 622 lines`);
    assert.ok(unitQueries.every((r) => JSON.parse(r.body).filter[0].value.length <= 500));
  } finally {
    await fresh.stop();
  }
});

test('a delta asks for contracts changed since, and reads the lines of known agreements again', async () => {
  const company = at.addCompany('Delta Co');
  const service = at.addService('Delta seat');
  const old = at.addContract(company, 'Old');
  const oldLine = at.addContractService(old, service, 2);
  const sinceMs = Date.now() - 60_000;
  at.setCurrentUnits(oldLine.id, 6);
  const changed = at.addContract(company, 'Changed');
  at.addContractService(changed, service, 1);
  at.touchContract(old, {});
  const before = at.requests.length;
  const synced = await collect(connector().read({ sinceMs, knownAgreementIds: [String(old.id)] }));
  const contractQuery = at.requests.slice(before).find((r) => r.path.endsWith('/Contracts/query'));
  assert.match(contractQuery?.body ?? '', /"field":"lastModifiedDateTime","value":"\d{4}-\d{2}-\d{2}T/);
  assert.ok(synced.agreements.some((a) => a.externalId === String(changed.id)));
  assert.equal(synced.lines.find((l) => l.externalId === String(oldLine.id))?.quantity, 6);
});

test('setQuantity posts target − current once, saving the itemId before anything else', async () => {
  const company = at.addCompany('Write Co');
  const service = at.addService('Write seat');
  const contract = at.addContract(company, 'Recurring');
  const cs = at.addContractService(contract, service, 10);
  const address = { agreementExternalId: String(contract.id), lineExternalId: String(cs.id) };
  const requestsAtRecord: number[] = [];
  const journal = memoryJournal({ effectiveDate: today() });
  const recordSent = journal.recordSent.bind(journal);
  journal.recordSent = async (ref) => {
    requestsAtRecord.push(at.requests.length);
    await recordSent(ref);
  };
  const confirmed = await connector().setQuantity(address, 14, journal);
  assert.equal(confirmed.quantity, 14);
  assert.equal(at.currentUnits(cs.id), 14);
  const last = at.adjustments.at(-1);
  assert.deepEqual(
    { unitChange: last?.unitChange, effectiveDate: last?.effectiveDate },
    { unitChange: 4, effectiveDate: `${today()}T00:00:00Z` },
  );
  assert.deepEqual(journal.recorded, [String(last?.itemId)]);
  const postAt = at.requests.findLastIndex((r) => r.path.endsWith('/ContractServiceAdjustments'));
  assert.deepEqual(requestsAtRecord, [postAt + 1], 'nothing was sent between the POST and recordSent');
  assert.ok(at.requests.length > postAt + 1, 'then confirmed by reading');

  const posted = at.adjustmentsPosted.get(cs.id);
  const same = await connector().setQuantity(address, 14, memoryJournal({ effectiveDate: today() }));
  assert.equal(same.quantity, 14);
  assert.equal(at.adjustmentsPosted.get(cs.id), posted, 'a change of zero is not posted');

  const sent = memoryJournal({ sentRef: '123', effectiveDate: today() });
  const confirmedOnly = await connector().setQuantity(address, 20, sent);
  assert.equal(confirmedOnly.quantity, 14, 'a write already sent is only read');
  assert.equal(at.adjustmentsPosted.get(cs.id), posted);
  assert.deepEqual(sent.recorded, []);

  await assert.rejects(connector().setQuantity(address, 2.5, memoryJournal()), /whole units/);
});

test('a lost reply fails the attempt without posting again; a read then finds the target', async () => {
  const company = at.addCompany('Lost Co');
  const service = at.addService('Lost seat');
  const contract = at.addContract(company, 'Recurring');
  const cs = at.addContractService(contract, service, 4);
  const address = { agreementExternalId: String(contract.id), lineExternalId: String(cs.id) };
  at.inject('drop-after-apply', { method: 'POST', pathIncludes: 'ContractServiceAdjustments' });
  const journal = memoryJournal({ effectiveDate: today() });
  const failure = await connector()
    .setQuantity(address, 9, journal)
    .catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.permanent, false, 'the worker tries again');
  assert.equal(at.adjustmentsPosted.get(cs.id), 1, 'the POST was not repeated');
  assert.deepEqual(journal.recorded, []);
  // The worker's next attempt reads first and finds the target held.
  assert.equal((await connector().readLine(address))?.quantity, 9);
});

test('a POST is repeated after a 429 only; a 500 fails it at once; errors carry Autotask’s words', async () => {
  const company = at.addCompany('Retry Co');
  const service = at.addService('Retry seat');
  const contract = at.addContract(company, 'Recurring');
  const cs = at.addContractService(contract, service, 1);
  const address = { agreementExternalId: String(contract.id), lineExternalId: String(cs.id) };
  const waits: number[] = [];
  const c = autotaskConnector({ ...options(), sleep: async (ms) => void waits.push(ms) });
  at.inject('rate-limit', { method: 'POST', pathIncludes: 'Adjustments', retryAfterSeconds: 2 });
  assert.equal((await c.setQuantity(address, 3, memoryJournal({ effectiveDate: today() }))).quantity, 3);
  assert.deepEqual(waits, [2000]);
  assert.equal(at.adjustmentsPosted.get(cs.id), 1);

  at.inject('server-error', { method: 'POST', pathIncludes: 'Adjustments' });
  const failed = await c.setQuantity(address, 5, memoryJournal({ effectiveDate: today() })).catch((e) => e);
  assert.ok(failed instanceof PsaError);
  assert.equal(failed.message, 'Autotask answered 500: An unexpected error occurred. Please try again.');
  assert.equal(failed.permanent, false);
  assert.equal(at.adjustmentsPosted.get(cs.id), 1, 'the 500 was not followed by a second POST');

  at.inject('server-error', { method: 'POST', pathIncludes: 'ContractServiceUnits', times: 2 });
  assert.equal((await c.readLine(address))?.quantity, 3, 'reads are retried after a 500');

  const wrong = await c
    .setQuantity({ ...address, lineExternalId: '999999' }, 5, memoryJournal())
    .catch((e: unknown) => e);
  assert.ok(wrong instanceof PsaError);
  assert.equal(wrong.permanent, true);
  assert.equal(await c.readLine({ ...address, lineExternalId: '999999' }), null);

  const refused = await autotaskConnector({ ...options(), secret: 'wrong' })
    .test()
    .catch((e: unknown) => e);
  assert.ok(refused instanceof PsaError);
  assert.equal(refused.message, 'Autotask answered 401: the credentials were refused');
  assert.equal(refused.permanent, true);
});

test('addLine creates the contract service with an adjustment, saves it, and answers the new line', async () => {
  const company = at.addCompany('Add Co');
  const service = at.addService('New seat');
  const contract = at.addContract(company, 'Recurring');
  const place = { agreementExternalId: String(contract.id), productExternalId: String(service.id) };
  const journal = memoryJournal({ effectiveDate: today() });
  const created = await connector().addLine(place, 6, journal);
  assert.equal(created.quantity, 6);
  assert.equal(at.contractServicesCreated.at(-1), Number(created.externalId));
  assert.deepEqual(journal.recorded, [String(at.adjustments.at(-1)?.itemId)]);
  assert.deepEqual(
    (await connector().findLines(place)).map((l) => l.quantity),
    [6],
  );
  // Adding again finds the line and sets it (no second service, no double count).
  const again = await connector().addLine(place, 8, memoryJournal({ effectiveDate: today() }));
  assert.equal(again.externalId, created.externalId);
  assert.equal(at.currentUnits(Number(created.externalId)), 8);
});

test('writes sent side by side share their unit reads', async () => {
  const company = at.addCompany('Batch Co');
  const contract = at.addContract(company, 'Recurring');
  const lines = Array.from({ length: 20 }, (_, i) =>
    at.addContractService(contract, at.addService(`B${i}`), i),
  );
  const c = connector();
  const before = at.countRequests('POST', 'ContractServiceUnits');
  await Promise.all(
    lines.map((cs) =>
      c.setQuantity(
        { agreementExternalId: String(contract.id), lineExternalId: String(cs.id) },
        30,
        memoryJournal({ effectiveDate: today() }),
      ),
    ),
  );
  assert.ok(lines.every((cs) => at.currentUnits(cs.id) === 30));
  const reads = at.countRequests('POST', 'ContractServiceUnits') - before;
  assert.ok(reads <= 10, `${reads} unit reads for 20 writes (40 without batching)`);
});

test('a database that moved zone is looked up again when the remembered zone refuses the credentials', async () => {
  const zones: string[] = [];
  const staleZone = at.zoneUrl;
  at.zonePath = '/zone2/atservicesrest/';
  try {
    const c = autotaskConnector({ ...options(), zoneUrl: staleZone, onZone: (url) => void zones.push(url) });
    const company = at.addCompany('Moved Co');
    const contract = at.addContract(company, 'Recurring');
    const cs = at.addContractService(contract, at.addService('Moved seat'), 3);
    const line = await c.readLine({
      agreementExternalId: String(contract.id),
      lineExternalId: String(cs.id),
    });
    assert.equal(line?.quantity, 3);
    assert.deepEqual(zones, [`${at.baseUrl}/zone2/atservicesrest/`]);
    assert.equal(c.client.zoneUrl, zones[0]);
  } finally {
    at.zonePath = '/atservicesrest/';
  }
});
