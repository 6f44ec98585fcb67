import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { headerNames } from '../../src/core/psa/import/fields.js';
import { withoutThousands } from '../../src/core/psa/import/rows.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

let t: TestServer;
let f: Fixture;
const csvImport = (path: string, csv: string) =>
  call(t.baseUrl, 'POST', `/api/partner/psa/import/${path}`, {
    bearer: f.partnerToken,
    raw: csv,
    headers: { 'content-type': 'text/csv' },
  });

before(async () => {
  t = await startServer();
  f = await seedIntegration(t.server);
});
after(() => t.close());

test('thousands separators are read; a decimal comma is still refused', () => {
  assert.equal(withoutThousands('1,250'), '1250');
  assert.equal(withoutThousands('12,345,678.5'), '12345678.5');
  assert.equal(withoutThousands('1 250'), '1250');
  assert.equal(withoutThousands('12,50'), '12,50');
  assert.equal(withoutThousands('1,25,000'), '1,25,000');
});

test('headers are matched by common synonyms, ignoring case and punctuation', () => {
  for (const header of ['Qty', 'Qty.', 'QTY', 'Units', 'quantity', 'Seats']) {
    assert.ok(headerNames(header, 'quantity'), header);
  }
  assert.ok(headerNames('Unit Price', 'unitPrice'));
  assert.ok(!headerNames('Quantity sold last year', 'quantity'));
});

test('a file with Qty. and Price headers and grouped numbers imports without naming columns', async () => {
  const products = await csvImport('products?mode=commit', 'Name,Price\n"Server backup","1,234.50"\n');
  assert.equal(products.status, 201);
  await csvImport('companies?mode=commit', 'name\nAlpha\n');
  const preview = await csvImport('agreement-lines', 'Customer,Item,Qty.\nAlpha,Server backup,"1,250"\n');
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body.errors, []);
  assert.equal(preview.body.sample[0].quantity, 1250);
  const listed = await call(t.baseUrl, 'GET', '/api/partner/psa/products', { bearer: f.partnerToken });
  assert.equal(listed.body[0].unitPrice, 1234.5);
});
