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

test('skipInvalid imports the valid rows and hands back the skipped ones as a CSV to fix', async () => {
  const csv = 'name,unitPrice\nSeat,4\nBroken,abc\nServer,"1,040"\nMinus,-1\n';
  const refused = await csvImport('products?mode=commit', csv);
  assert.equal(refused.status, 400, 'without the option a bad row still refuses the file');
  const done = await csvImport('products?mode=commit&skipInvalid=true', csv);
  assert.equal(done.status, 201);
  assert.deepEqual(
    [done.body.imported, done.body.created, done.body.updated, done.body.skipped.rows],
    [2, 2, 0, 2],
  );
  assert.deepEqual(
    done.body.skipped.errors.map((e: { line: number }) => e.line),
    [3, 5],
  );
  assert.equal(
    done.body.skipped.csv,
    'name,unitPrice,line,reason\n' +
      'Broken,abc,3,unitPrice must be a decimal amount such as 12.50\n' +
      'Minus,-1,5,unitPrice must not be negative\n',
  );
  const names = (
    await call(t.baseUrl, 'GET', '/api/partner/psa/products', { bearer: f.partnerToken })
  ).body.map((p: { name: string }) => p.name);
  assert.ok(names.includes('Seat') && names.includes('Server') && !names.includes('Broken'));
});

test('a preview with changes=true says what each row would create, change from → to, or repeat', async () => {
  // The ledger has Seat at 4 and Server at 1040 from the test above.
  const csv = 'name,unitPrice\nSeat,4\nServer,999\nDesk,12\nseat,5\n';
  const preview = await csvImport('products?changes=true', csv);
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body.changes, {
    created: 1,
    changed: 1,
    unchanged: 1,
    duplicates: 1,
    examples: [
      {
        line: 3,
        change: 'changed',
        record: 'Server',
        from: { unitPrice: 1040, unitCost: 0 },
        to: { unitPrice: 999, unitCost: 0 },
      },
      { line: 5, change: 'duplicate', record: 'seat', sameAsLine: 2 },
    ],
  });
  const plain = await csvImport('products', csv);
  assert.equal(plain.body.changes, undefined, 'without the option the preview is as before');
});
