import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { UNAUTHORIZED } from '../support/partner.js';

let t: TestServer;
let f: Fixture;
let other: Fixture;
const MAX_BYTES = 4096;

const csvImport = (path: string, csv: string, bearer = f.partnerToken, contentType = 'text/csv') =>
  call(t.baseUrl, 'POST', `/api/partner/psa/import/${path}`, {
    bearer,
    raw: csv,
    headers: { 'content-type': contentType },
  });
const get = (path: string, bearer = f.partnerToken) =>
  call(t.baseUrl, 'GET', `/api/partner/psa/${path}`, { bearer });

before(async () => {
  t = await startServer({ config: { importMaxBytes: MAX_BYTES } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
});
after(() => t.close());

test('a preview reports every bad row with its line, a sample of the good ones, and writes nothing', async () => {
  const csv = [
    'Company Name,Notes',
    'Contoso,first',
    ',empty name',
    '"Fabrikam, Inc.",quoted comma',
    `${'x'.repeat(201)},too long`,
    '',
    'Litware,after a blank line',
  ].join('\r\n');
  const preview = await csvImport('companies?mode=preview&column.name=company%20name', csv);
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body, {
    rows: 5,
    valid: 3,
    errors: [
      { line: 3, reason: 'name is empty' },
      { line: 5, reason: 'name is longer than 200 characters' },
    ],
    sample: [{ name: 'Contoso' }, { name: 'Fabrikam, Inc.' }, { name: 'Litware' }],
  });
  assert.deepEqual((await get('companies')).body, []);
});

test('a commit with a bad row imports nothing and lists every error; a clean one imports all', async () => {
  const bad = 'name,unitPrice,unitCost\nBackup seat,5.00,3.10\nArchive,"12,50",1\nEDR,-1,\nMail,abc,1e3\n';
  const refused = await csvImport('products?mode=commit', bad);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, {
    statusCode: 400,
    message: '3 rows of 4 cannot be imported; nothing was imported',
    error: 'Bad Request',
    errors: [
      { line: 3, reason: 'unitPrice must be a decimal amount such as 12.50' },
      { line: 4, reason: 'unitPrice must not be negative' },
      {
        line: 5,
        reason:
          'unitPrice must be a decimal amount such as 12.50; unitCost must be a decimal amount such as 12.50',
      },
    ],
  });
  assert.deepEqual((await get('products')).body, []);

  const good = 'NAME,unitprice\nBackup seat,5.00\nArchive,0.000001\n';
  const imported = await csvImport('products?mode=commit', good);
  assert.equal(imported.status, 201);
  assert.deepEqual(imported.body, { imported: 2, created: 2, updated: 0 });
  const products = (await get('products')).body;
  assert.deepEqual(
    products.map((p: { name: string; unitPrice: number; unitCost: number }) => [
      p.name,
      p.unitPrice,
      p.unitCost,
    ]),
    [
      ['Archive', 0.000001, 0],
      ['Backup seat', 5, 0],
    ],
  );

  // Importing again updates prices by name; a later row about the same product wins.
  const again = await csvImport(
    'products?mode=commit',
    'name,unitPrice,unitCost\nbackup SEAT,6,4\nArchive,0.000001,\nBackup seat,7,4\n',
  );
  assert.deepEqual(again.body, { imported: 1, created: 0, updated: 1 });
  const backup = (await get('products')).body.find((p: { name: string }) => p.name === 'Backup seat');
  assert.equal(backup.unitPrice, 7);
  assert.equal(backup.unitCost, 4);
});

test('agreement lines name company and product; agreements are created per company', async () => {
  await csvImport('companies?mode=commit', 'name\nAlpha\nBeta\n');
  await csvImport('products?mode=commit', 'name,unitPrice\nSeat,4\nServer,40\n');
  const csv = [
    'Client,Item,Qty,Contract,Active',
    'Alpha,Seat,10,MSA,yes',
    'alpha,server,2,,',
    'Beta,Seat,3.5,MSA,no',
    'Gamma,Seat,1,,',
    'Beta,Phone,1,,',
    'Beta,Seat,-2,,maybe',
  ].join('\n');
  const columns = 'column.company=Client&column.product=Item&column.quantity=Qty&column.agreement=Contract';
  const preview = await csvImport(`agreement-lines?${columns}`, csv);
  assert.deepEqual(preview.body, {
    rows: 6,
    valid: 3,
    errors: [
      { line: 5, reason: 'no company named "Gamma" (import companies first)' },
      { line: 6, reason: 'no product named "Phone" (import products first)' },
      {
        line: 7,
        reason:
          'quantity must be a number of at least 0; got "-2"; active must be true or false; got "maybe"',
      },
    ],
    sample: [
      { company: 'Alpha', product: 'Seat', agreement: 'MSA', quantity: 10, active: true },
      { company: 'alpha', product: 'server', agreement: 'Tally', quantity: 2, active: true },
      { company: 'Beta', product: 'Seat', agreement: 'MSA', quantity: 3.5, active: false },
    ],
  });
  const refused = await csvImport(`agreement-lines?mode=commit&${columns}`, csv);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.errors.length, 3);
  assert.deepEqual((await get('agreements')).body, []);
  assert.deepEqual((await get('agreement-lines')).body, []);

  const clean = csv.split('\n').slice(0, 4).join('\n');
  const imported = await csvImport(`agreement-lines?mode=commit&${columns}`, clean);
  assert.deepEqual(imported.body, { imported: 3, created: 3, updated: 0 });
  const agreements = (await get('agreements')).body;
  assert.deepEqual(agreements.map((a: { name: string }) => a.name).sort(), ['MSA', 'MSA', 'Tally']);
  const lines = (await get('agreement-lines')).body;
  assert.deepEqual(
    lines
      .map((l: { quantity: number; active: boolean }) => [l.quantity, l.active])
      .sort((a: number[], b: number[]) => (a[0] as number) - (b[0] as number)),
    [
      [2, true],
      [3.5, false],
      [10, true],
    ],
  );

  // The same line again updates it in place.
  const update = await csvImport(
    `agreement-lines?mode=commit&${columns}`,
    'Client,Item,Qty,Contract\nAlpha,Seat,12,msa\n',
  );
  assert.deepEqual(update.body, { imported: 1, created: 0, updated: 1 });
  const seat = (await get('agreement-lines')).body.filter((l: { quantity: number }) => l.quantity === 12);
  assert.equal(seat.length, 1);
  assert.equal((await get('agreements')).body.length, 3);
});

test('stray quotes are read as text; an unclosed quote is reported by line', async () => {
  const csv = 'name\nGood One\n"Broken "quote" here\nAnother Good\n';
  const preview = await csvImport('companies', csv);
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body, {
    rows: 3,
    valid: 3,
    errors: [],
    sample: [{ name: 'Good One' }, { name: '"Broken "quote" here' }, { name: 'Another Good' }],
  });

  const unclosed = await csvImport('companies?mode=commit', 'name\nFine\n"never closed\n');
  assert.equal(unclosed.status, 400);
  assert.deepEqual(unclosed.body.errors, [
    { line: 3, reason: 'Quote Not Closed: the parsing is finished with an opening quote at line 3' },
  ]);
  assert.ok(!(await get('companies')).body.some((c: { name: string }) => c.name === 'Fine'));
});

test('whole-file problems are refused before any row is read', async () => {
  const cases: [string, string, string, number, string][] = [
    [
      'no column',
      'companies',
      'title\nx\n',
      400,
      'The file has no "name" column; name the column that holds it with column.name=<header>',
    ],
    [
      'mapped header missing',
      'companies?column.name=Client',
      'name\nx\n',
      400,
      'column.name names "Client", which is not a column of the file; its columns are: name',
    ],
    [
      'unknown field',
      'products?column.price=Price',
      'name,Price\nx,1\n',
      400,
      'column.price is not a field of products; the fields are: name, unitPrice, unitCost',
    ],
    [
      'empty file',
      'companies',
      '',
      400,
      'The CSV file is empty; it needs a header row and then one row per record',
    ],
    ['bad mode', 'companies?mode=apply', 'name\nx\n', 400, 'mode must be one of: preview, commit'],
    ['bad kind', 'vendors', 'name\nx\n', 400, 'kind must be one of: companies, products, agreement-lines'],
  ];
  for (const [name, path, csv, status, message] of cases) {
    const response = await csvImport(path, csv);
    assert.equal(response.status, status, name);
    assert.deepEqual(response.body, { statusCode: status, message, error: 'Bad Request' }, name);
  }
  const json = await csvImport('companies', '{"name":"x"}', f.partnerToken, 'application/json');
  assert.equal(json.status, 415);
  assert.deepEqual(json.body, {
    statusCode: 415,
    message: 'Send the CSV file as the body, with Content-Type: text/csv',
    error: 'Unsupported Media Type',
  });
  const tooLarge = await csvImport('companies', `name\n${'Company\n'.repeat(MAX_BYTES / 8 + 1)}`);
  assert.equal(tooLarge.status, 413);
  assert.deepEqual(tooLarge.body, {
    statusCode: 413,
    message: `The CSV file is larger than the limit of ${MAX_BYTES} bytes`,
    error: 'Payload Too Large',
  });
  assert.ok(
    !(await get('companies')).body.some((c: { name: string }) => c.name === 'x' || c.name === 'Company'),
  );
});

test("imports need a partner credential and only touch the caller's ledger", async () => {
  for (const bearer of [undefined, 'tpt_wrong']) {
    const response = await call(t.baseUrl, 'POST', '/api/partner/psa/import/companies?mode=commit', {
      bearer,
      raw: 'name\nIntruder\n',
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, UNAUTHORIZED);
  }
  const theirs = await csvImport('companies?mode=commit', 'name\nAlpha\nOnly theirs\n', other.partnerToken);
  assert.deepEqual(theirs.body, { imported: 2, created: 2, updated: 0 });
  const mine = (await get('companies')).body.map((c: { name: string }) => c.name);
  assert.ok(!mine.includes('Only theirs'));
  assert.deepEqual(
    (await get('companies', other.partnerToken)).body.map((c: { name: string }) => c.name).sort(),
    ['Alpha', 'Only theirs'],
  );
});
