import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { UNAUTHORIZED } from '../support/partner.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
const clock = new ManualClock();
const iso = (ms: number) => new Date(ms).toISOString();

const psa = (method: string, path: string, body?: unknown, bearer = f.partnerToken) =>
  call(t.baseUrl, method, `/api/partner/psa/${path}`, { bearer, body });
const created = async (path: string, body: unknown, bearer = f.partnerToken) => {
  const response = await psa('POST', path, body, bearer);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
};
const error = (statusCode: number, message: string) => ({
  statusCode,
  message,
  error: { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict' }[statusCode],
});

before(async () => {
  t = await startServer({ clock });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
});
after(() => t.close());

test('companies are renamed and deleted; names stay unique per partner, ignoring case', async () => {
  const company = await created('companies', { name: 'Contoso' });
  await created('companies', { name: 'Fabrikam' });
  await created('companies', { name: 'Contoso' }, other.partnerToken);

  const renamed = await psa('PATCH', `companies/${company.id}`, { name: ' Contoso Ltd ' });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body, { ...company, name: 'Contoso Ltd' });
  assert.deepEqual(
    (await psa('PATCH', `companies/${company.id}`, { name: 'FABRIKAM' })).body,
    error(409, 'A company named "Fabrikam" already exists'),
  );
  assert.deepEqual(
    (await psa('POST', 'companies', { name: 'contoso ltd' })).body,
    error(409, 'A company named "Contoso Ltd" already exists'),
  );
  assert.equal(
    (await psa('PATCH', `companies/${company.id}`, { name: 'contoso LTD' })).status,
    200,
    'its own name in another case',
  );

  const gone = await created('companies', { name: 'Short-lived' });
  const deleted = await psa('DELETE', `companies/${gone.id}`);
  assert.equal(deleted.status, 204);
  assert.equal(deleted.body, undefined);
  assert.deepEqual(
    (await psa('DELETE', `companies/${gone.id}`)).body,
    error(404, `No company found with id: ${gone.id}`),
  );
  const names = (await psa('GET', 'companies')).body.map((c: { name: string }) => c.name).sort();
  assert.deepEqual(names, ['Fabrikam', 'contoso LTD']);
});

test('products change any of their fields, exactly', async () => {
  const product = await created('products', { name: 'Backup seat', unitPrice: 5, unitCost: '3.10' });
  const cheaper = await psa('PATCH', `products/${product.id}`, { unitPrice: '4.999999' });
  assert.equal(cheaper.status, 200);
  assert.deepEqual(cheaper.body, { ...product, unitPrice: 4.999999 });
  const renamed = await psa('PATCH', `products/${product.id}`, { name: 'Backup (per seat)', unitCost: 0 });
  assert.deepEqual(renamed.body, { ...product, name: 'Backup (per seat)', unitPrice: 4.999999, unitCost: 0 });
  const stored = await t.store.getProduct(f.partnerId, product.id);
  assert.equal(stored?.unitPriceMicros, 4_999_999);
  assert.deepEqual(
    (await psa('PATCH', `products/${product.id}`, { unitPrice: -1 })).body,
    error(400, 'unitPrice must not be negative'),
  );
  assert.deepEqual(
    (await psa('PATCH', `products/${product.id}`, { price: 1 })).body,
    error(400, 'body has an unknown property: price'),
  );
  await created('products', { name: 'Archive' });
  assert.deepEqual(
    (await psa('PATCH', `products/${product.id}`, { name: 'archive' })).body,
    error(409, 'A product named "Archive" already exists'),
  );
});

test('agreements and lines: create, list, filter, change, delete', async () => {
  const company = await created('companies', { name: 'Litware' });
  const second = await created('companies', { name: 'Tailspin' });
  const product = await created('products', { name: 'EDR', unitPrice: 6 });
  const agreement = await created('agreements', { name: ' Managed services ', companyId: company.id });
  assert.deepEqual(agreement, {
    id: agreement.id,
    name: 'Managed services',
    companyId: company.id,
    createdAt: iso(clock.nowMs()),
    source: 'tally',
    externalId: null,
  });
  const elsewhere = await created('agreements', { name: 'Security', companyId: second.id });
  assert.deepEqual(
    (await psa('GET', `agreements?companyId=${company.id}`)).body.map((a: { id: string }) => a.id),
    [agreement.id],
  );

  clock.advance(1000);
  const line = await created('agreement-lines', {
    agreementId: agreement.id,
    productId: product.id,
    quantity: 12,
  });
  assert.deepEqual(line, {
    id: line.id,
    agreementId: agreement.id,
    companyId: company.id,
    productId: product.id,
    quantity: 12,
    active: true,
    updatedAt: iso(clock.nowMs()),
    source: 'tally',
    externalId: null,
  });
  // Lines list oldest first.
  clock.advance(1000);
  const inactive = await created('agreement-lines', {
    agreementId: elsewhere.id,
    productId: product.id,
    quantity: 2.5,
    active: false,
  });
  assert.equal(inactive.companyId, second.id);
  const byCompany = await psa('GET', `agreement-lines?companyId=${company.id}`);
  assert.deepEqual(byCompany.body, [line]);
  const byProduct = await psa('GET', `agreement-lines?productId=${product.id}`);
  assert.deepEqual(
    byProduct.body.map((l: { id: string }) => l.id),
    [line.id, inactive.id],
  );

  clock.advance(1000);
  const changed = await psa('PATCH', `agreement-lines/${line.id}`, { quantity: 15, active: false });
  assert.deepEqual(changed.body, { ...line, quantity: 15, active: false, updatedAt: iso(clock.nowMs()) });
  const renamed = await psa('PATCH', `agreements/${agreement.id}`, { name: 'MSA 2026' });
  assert.deepEqual(renamed.body, { ...agreement, name: 'MSA 2026' });

  assert.deepEqual(
    (await psa('DELETE', `agreements/${agreement.id}`)).body,
    error(409, 'Agreement "MSA 2026" has 1 line; delete them first'),
  );
  assert.deepEqual(
    (await psa('DELETE', `companies/${company.id}`)).body,
    error(409, 'Company "Litware" has 1 agreement with 1 line; delete them first'),
  );
  assert.deepEqual(
    (await psa('DELETE', `products/${product.id}`)).body,
    error(409, 'Product "EDR" is billed on 2 agreement lines; delete those lines first'),
  );
  assert.equal((await psa('DELETE', `agreement-lines/${line.id}`)).status, 204);
  assert.equal((await psa('DELETE', `agreements/${agreement.id}`)).status, 204);
  assert.equal((await psa('DELETE', `companies/${company.id}`)).status, 204);
  assert.deepEqual((await psa('GET', `agreement-lines?companyId=${company.id}`)).body, []);
});

test('bad agreement and line inputs are refused with exact messages', async () => {
  const company = await created('companies', { name: 'Adventure Works' });
  const product = await created('products', { name: 'M365 Backup' });
  const agreement = await created('agreements', { name: 'MSA', companyId: company.id });
  const cases: [string, string, string, unknown, ReturnType<typeof error>][] = [
    ['no company', 'POST', 'agreements', { name: 'x' }, error(400, 'companyId is required')],
    [
      'blank name',
      'POST',
      'agreements',
      { name: ' ', companyId: company.id },
      error(400, 'name must not be blank'),
    ],
    [
      'unknown company',
      'POST',
      'agreements',
      { name: 'x', companyId: 'nope' },
      error(404, 'No company found with id: nope'),
    ],
    [
      'negative',
      'POST',
      'agreement-lines',
      { agreementId: agreement.id, productId: product.id, quantity: -1 },
      error(400, 'quantity must be >= 0'),
    ],
    [
      'text quantity',
      'POST',
      'agreement-lines',
      { agreementId: agreement.id, productId: product.id, quantity: '3' },
      error(400, 'quantity must be a number'),
    ],
    [
      'unknown agreement',
      'POST',
      'agreement-lines',
      { agreementId: 'nope', productId: product.id, quantity: 1 },
      error(404, 'No agreement found with id: nope'),
    ],
    [
      'unknown product',
      'POST',
      'agreement-lines',
      { agreementId: agreement.id, productId: 'nope', quantity: 1 },
      error(404, 'No product found with id: nope'),
    ],
    [
      'line company field',
      'PATCH',
      'agreement-lines/nope',
      { companyId: company.id },
      error(400, 'body has an unknown property: companyId'),
    ],
    [
      'unknown line',
      'PATCH',
      'agreement-lines/nope',
      { quantity: 1 },
      error(404, 'No agreement line found with id: nope'),
    ],
    [
      'unknown agreement patch',
      'PATCH',
      'agreements/nope',
      { name: 'x' },
      error(404, 'No agreement found with id: nope'),
    ],
    [
      'unknown product patch',
      'PATCH',
      'products/nope',
      { name: 'x' },
      error(404, 'No product found with id: nope'),
    ],
  ];
  for (const [name, method, path, body, expected] of cases) {
    assert.deepEqual((await psa(method, path, body)).body, expected, name);
  }
  assert.deepEqual((await psa('GET', `agreement-lines?agreementId=${agreement.id}`)).body, []);
});

test("another partner's ledger ids answer 404, exactly like unknown ones", async () => {
  const theirCompany = await created('companies', { name: 'Hidden Co' }, other.partnerToken);
  const theirProduct = await created('products', { name: 'Hidden product' }, other.partnerToken);
  const theirAgreement = await created(
    'agreements',
    { name: 'Hidden', companyId: theirCompany.id },
    other.partnerToken,
  );
  const theirLine = await created(
    'agreement-lines',
    { agreementId: theirAgreement.id, productId: theirProduct.id, quantity: 1 },
    other.partnerToken,
  );
  const mine = await created('companies', { name: 'Visible Co' });
  const myAgreement = await created('agreements', { name: 'Mine', companyId: mine.id });
  const cases: [string, string, unknown, string][] = [
    ['PATCH', `companies/${theirCompany.id}`, { name: 'x' }, `No company found with id: ${theirCompany.id}`],
    ['DELETE', `companies/${theirCompany.id}`, undefined, `No company found with id: ${theirCompany.id}`],
    ['PATCH', `products/${theirProduct.id}`, { name: 'x' }, `No product found with id: ${theirProduct.id}`],
    ['DELETE', `products/${theirProduct.id}`, undefined, `No product found with id: ${theirProduct.id}`],
    [
      'PATCH',
      `agreements/${theirAgreement.id}`,
      { name: 'x' },
      `No agreement found with id: ${theirAgreement.id}`,
    ],
    [
      'DELETE',
      `agreements/${theirAgreement.id}`,
      undefined,
      `No agreement found with id: ${theirAgreement.id}`,
    ],
    [
      'PATCH',
      `agreement-lines/${theirLine.id}`,
      { quantity: 9 },
      `No agreement line found with id: ${theirLine.id}`,
    ],
    [
      'DELETE',
      `agreement-lines/${theirLine.id}`,
      undefined,
      `No agreement line found with id: ${theirLine.id}`,
    ],
    [
      'POST',
      'agreements',
      { name: 'x', companyId: theirCompany.id },
      `No company found with id: ${theirCompany.id}`,
    ],
    [
      'POST',
      'agreement-lines',
      { agreementId: theirAgreement.id, productId: theirProduct.id, quantity: 1 },
      `No agreement found with id: ${theirAgreement.id}`,
    ],
    [
      'POST',
      'agreement-lines',
      { agreementId: myAgreement.id, productId: theirProduct.id, quantity: 1 },
      `No product found with id: ${theirProduct.id}`,
    ],
  ];
  for (const [method, path, body, message] of cases) {
    assert.deepEqual((await psa(method, path, body)).body, error(404, message), `${method} ${path}`);
  }
  assert.ok(!(await psa('GET', 'agreements')).body.some((a: { id: string }) => a.id === theirAgreement.id));
  assert.deepEqual((await psa('GET', `agreement-lines?companyId=${theirCompany.id}`)).body, []);
  assert.equal((await t.store.getAgreementLine(other.partnerId, theirLine.id))?.quantity, 1);
});

test('every ledger route needs a partner credential', async () => {
  const routes: [string, string][] = [
    ['PATCH', 'companies/x'],
    ['DELETE', 'companies/x'],
    ['PATCH', 'products/x'],
    ['DELETE', 'products/x'],
    ['GET', 'agreements'],
    ['POST', 'agreements'],
    ['PATCH', 'agreements/x'],
    ['DELETE', 'agreements/x'],
    ['GET', 'agreement-lines'],
    ['POST', 'agreement-lines'],
    ['PATCH', 'agreement-lines/x'],
    ['DELETE', 'agreement-lines/x'],
  ];
  for (const [method, path] of routes) {
    for (const bearer of [undefined, 'tpt_wrong']) {
      const response = await call(t.baseUrl, method, `/api/partner/psa/${path}`, {
        bearer,
        ...(method === 'POST' || method === 'PATCH' ? { body: { name: 'x' } } : {}),
      });
      assert.deepEqual(response.body, UNAUTHORIZED, `${method} ${path}`);
    }
  }
});
