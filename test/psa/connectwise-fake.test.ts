/**
 * The fake ConnectWise answers like the real one, and the ConnectWise client copes with it: the
 * request variants public clients really send (psa-apis.md §6) are replayed against the fake, and
 * the client's paging, retries and error reporting are checked against its faults.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConnectWiseClient } from '../../src/connectors/connectwise/client.js';
import { connectWiseConnector } from '../../src/connectors/connectwise/connector.js';
import { PsaError } from '../../src/core/psa-connector/port.js';
import { CW_VALUE_ERROR } from '../fakes/cw-conditions.js';
import { memoryJournal } from '../support/psa-journal.js';
import { CW_CODEBASE, CW_CREDENTIALS, FakeConnectWise } from '../fakes/connectwise.js';

let cw: FakeConnectWise;
const auth = `Basic ${Buffer.from(`${CW_CREDENTIALS.companyId}+${CW_CREDENTIALS.publicKey}:${CW_CREDENTIALS.privateKey}`).toString('base64')}`;
const api = () => `${cw.baseUrl}/${CW_CODEBASE}apis/3.0`;
const headers = {
  authorization: auth,
  clientId: CW_CREDENTIALS.clientId,
  'content-type': 'application/json',
};
const noSleep = async () => {};
const clientOptions = () => ({ site: cw.baseUrl, ...CW_CREDENTIALS, sleep: noSleep });

before(async () => {
  cw = await new FakeConnectWise().start();
});
after(() => cw.stop());

test('companyinfo names the codebase; the API refuses a missing clientId or a wrong key', async () => {
  const info = await (await fetch(`${cw.baseUrl}/login/companyinfo/${CW_CREDENTIALS.companyId}`)).json();
  assert.equal(info.Codebase, CW_CODEBASE);
  const noClient = await fetch(`${api()}/company/companies`, { headers: { authorization: auth } });
  assert.equal(noClient.status, 401);
  assert.equal((await noClient.json()).code, 'Unauthorized');
  const badKey = await fetch(`${api()}/company/companies`, {
    headers: { ...headers, authorization: `Basic ${Buffer.from('bluemsp+pub:wrong').toString('base64')}` },
  });
  assert.equal(badKey.status, 401);
});

test('conditions as real scripts write them filter; a bare string value gets ConnectWise’s text', async () => {
  const company = cw.addCompany('Contoso');
  const active = cw.addAgreement(company, 'Managed');
  cw.addAgreement(company, 'Old', 'Cancelled');
  const q = encodeURIComponent(`agreementStatus='Active' AND type/id=18 AND company/id=${company.id}`);
  const found = await (await fetch(`${api()}/finance/agreements?conditions=${q}`, { headers })).json();
  assert.deepEqual(
    found.map((a: { id: number }) => a.id),
    [active.id],
  );
  const bad = await fetch(
    `${api()}/finance/agreements?conditions=${encodeURIComponent('agreementStatus=Active')}`,
    {
      headers,
    },
  );
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { code: 'InvalidObject', message: CW_VALUE_ERROR });
});

test('pageSize is 25 by default and at most 1000; Link names the next and last pages', async () => {
  for (let i = 0; i < 1030; i++) cw.addCatalogItem(`SKU-${i}`, `Item ${i}`);
  const first = await fetch(`${api()}/procurement/catalog`, { headers });
  assert.equal((await first.json()).length, 25);
  assert.match(first.headers.get('link') ?? '', /page=2&pageSize=25>; rel="next"/);
  const big = await fetch(`${api()}/procurement/catalog?pageSize=5000`, { headers });
  assert.equal((await big.json()).length, 1000);
  assert.match(big.headers.get('link') ?? '', /pageSize=1000&page=2>; rel="last"/);

  const client = new ConnectWiseClient(clientOptions());
  const sizes: number[] = [];
  for await (const page of client.pages('/procurement/catalog')) sizes.push(page.length);
  assert.deepEqual(sizes, [1000, 30]);
});

test('every PATCH variant public clients send sets the quantity', async () => {
  const company = cw.addCompany('Fabrikam');
  const item = cw.addCatalogItem('EDR', 'Endpoint protection');
  const agreement = cw.addAgreement(company, 'Security');
  const addition = cw.addAddition(agreement, item, 3);
  const url = `${api()}/finance/agreements/${agreement.id}/additions/${addition.id}`;
  const variants = [
    [{ op: 'replace', path: 'quantity', value: 5 }], // Update-CWMAgreementAddition, django-connectwise
    [{ op: 'replace', path: '/quantity', value: 6 }], // Mangano runbook
    [{ op: 'replace', path: 'quantity', value: '7' }], // Bryarly Set-AgreementAdditionQuantity
  ];
  for (const [i, body] of variants.entries()) {
    const response = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).quantity, 5 + i);
  }
  const wrong = await fetch(url, {
    method: 'PATCH',
    headers,
    body: JSON.stringify([{ op: 'replace', path: 'quantity', value: 'five' }]),
  });
  assert.equal(wrong.status, 400);
  assert.equal((await wrong.json()).errors[0].field, 'quantity');
});

test('the client waits out 429 and retries 500 timeouts; 4xx fail at once with ConnectWise’s words', async () => {
  const waits: number[] = [];
  const client = new ConnectWiseClient({ ...clientOptions(), sleep: async (ms) => void waits.push(ms) });
  cw.inject('rate-limit', { retryAfterSeconds: 3, pathIncludes: '/company/companies' });
  cw.inject('timeout', { times: 2, pathIncludes: '/company/companies' });
  const rows = await client.get<unknown[]>('/company/companies');
  assert.ok(rows.length > 0);
  assert.equal(waits[0], 3000, 'Retry-After is honoured');
  assert.equal(waits.length, 3);

  cw.inject('invalid-object', { method: 'PATCH' });
  const company = cw.addCompany('Tailspin');
  const agreement = cw.addAgreement(company, 'Cloud');
  const addition = cw.addAddition(agreement, cw.addCatalogItem('M365', 'Microsoft 365'), 10);
  const failure = await client
    .patch(`/finance/agreements/${agreement.id}/additions/${addition.id}`, [
      { op: 'replace', path: 'quantity', value: 11 },
    ])
    .catch((e: unknown) => e);
  assert.ok(failure instanceof PsaError);
  assert.equal(failure.permanent, true);
  assert.equal(
    failure.message,
    'ConnectWise answered 400: agreement object is invalid (billAmount: The field billAmount must be between 0 and 99999999.99.)',
  );
  assert.equal(cw.additions.get(addition.id)?.quantity, 10, 'the refused write changed nothing');
});

test('a PATCH whose reply is lost is sent again, and ConnectWise ends with the quantity once', async () => {
  const connector = connectWiseConnector(clientOptions());
  const company = cw.addCompany('Wingtip');
  const agreement = cw.addAgreement(company, 'Backup');
  const addition = cw.addAddition(agreement, cw.addCatalogItem('BKP', 'Backup seat'), 4);
  cw.inject('drop-after-apply', { method: 'PATCH' });
  const confirmed = await connector.setQuantity(
    { agreementExternalId: String(agreement.id), lineExternalId: String(addition.id) },
    9,
    memoryJournal(),
  );
  assert.equal(confirmed.quantity, 9);
  assert.equal(cw.patchesApplied.get(addition.id), 1);
});

test('at most 4 requests are in flight per connection', async () => {
  cw.latencyMs = 20;
  cw.maxInFlight = 0;
  const client = new ConnectWiseClient(clientOptions());
  await Promise.all(Array.from({ length: 12 }, () => client.get('/company/companies', { pageSize: '1' })));
  cw.latencyMs = 0;
  assert.equal(cw.maxInFlight, 4);
});
