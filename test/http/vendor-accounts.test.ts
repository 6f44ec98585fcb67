import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gradientToken } from '../../src/core/auth/keys.js';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createPartner } from '../../src/core/partners/create-partner.js';
import { RELAXED_GUARD, UNAUTHORIZED, refusedTokens } from '../support/auth-cases.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

const ACCOUNTS = '/api/vendor-api/organization/accounts';

let t: TestServer;
let f: Fixture;
let other: Fixture;
let world: World;
before(async () => {
  t = await startServer({ config: { ...RELAXED_GUARD, buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  // Accounts 1000 and 1001, each mapped to a PSA company; one SKU mapped to a product.
  world = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
});
after(() => t.close());

/** A row as the API shows an unmapped, active account. */
const row = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  description: '',
  isActive: true,
  isArrears: false,
  isMapped: false,
  ...extra,
});

const list = async (query = '', token = f.token) => {
  const r = await call(t.baseUrl, 'GET', `${ACCOUNTS}${query}`, { token });
  assert.equal(r.status, 200);
  return r.body as { id: string }[];
};
const ids = async (query = '', token = f.token) => (await list(query, token)).map((a) => a.id);

test('GET lists every account with its mapping, ordered by id', async () => {
  const rows = await list();
  assert.deepEqual(
    rows.filter((r) => world.accountIds.includes(r.id)),
    world.accountIds.map((id, i) =>
      row(id, `Customer ${i}`, { isMapped: true, mappingId: world.companyIds[i] }),
    ),
  );
});

test('POST creates from an array, keeps numeric ids as strings and answers 201 with the rows', async () => {
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 201, name: 'Numeric Ltd' },
      { id: 'c-202', name: 'Text Inc', description: 'HQ in Leeds', isArrears: true },
    ],
  });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, [
    row('201', 'Numeric Ltd'),
    row('c-202', 'Text Inc', { description: 'HQ in Leeds', isArrears: true }),
  ]);
  assert.deepEqual(await ids('?accountIds=201,c-202'), ['201', 'c-202']);
});

test('POST accepts one account as a bare object and a null description as none', async () => {
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: { id: 'solo', name: 'Solo Co', description: null },
  });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, [row('solo', 'Solo Co')]);
});

test('POST is idempotent: an existing id is updated, sent fields only, and never reactivated', async () => {
  await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [{ id: 'idem', name: 'First', description: 'kept', isArrears: true }],
  });
  await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/idem`, { token: f.token, body: { isActive: false } });
  const before = (await list()).length;
  const again = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [{ id: 'idem', name: 'Renamed' }],
  });
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, [
    row('idem', 'Renamed', { description: 'kept', isArrears: true, isActive: false }),
  ]);
  assert.equal((await list()).length, before);
});

test('POST re-posting a mapped account by its numeric id keeps the mapping', async () => {
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [{ id: Number(world.accountIds[0]), name: 'Customer 0' }],
  });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, [
    row(world.accountIds[0] as string, 'Customer 0', { isMapped: true, mappingId: world.companyIds[0] }),
  ]);
});

test('POST is all or nothing: one bad item leaves every other unwritten', async () => {
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 'atomic-1', name: 'Fine' },
      { id: 'atomic-2', name: 5 },
    ],
  });
  assert.equal(r.status, 400);
  assert.deepEqual(await ids('?accountIds=atomic-1,atomic-2'), []);
  const dup = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 'atomic-3', name: 'A' },
      { id: 7, name: 'B' },
      { id: '7', name: 'C' },
    ],
  });
  assert.deepEqual(dup.body, {
    statusCode: 400,
    message: 'Duplicate ids in request body: 7',
    error: 'Bad Request',
  });
  assert.deepEqual(await ids('?accountIds=atomic-3,7'), []);
});

test('POST with an empty array writes nothing and answers 201 []', async () => {
  const before = await ids();
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token, body: [] });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, []);
  assert.deepEqual(await ids(), before);
});

test('GET filters by repeated and comma-separated accountIds, ignoring blanks and unknown ids', async () => {
  const [a, b] = world.accountIds as [string, string];
  assert.deepEqual(await ids(`?accountIds=${a}&accountIds=${b}`), [a, b]);
  assert.deepEqual(await ids(`?accountIds=${b},%20${a},,nobody`), [a, b]);
  assert.deepEqual(await ids(`?accountIds=nobody`), []);
  assert.deepEqual(await ids(`?accountIds=`), await ids());
});

test('GET returnUnmapped=false lists mapped accounts only; an exclusion is not a mapping', async () => {
  await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token, body: { id: 'excluded', name: 'Nope' } });
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'account',
    itemId: 'excluded',
    targetId: null,
    excluded: true,
    updatedAtMs: Date.now(),
  });
  assert.deepEqual(await ids('?returnUnmapped=false'), world.accountIds);
  // PowerShell writes $false as "False".
  assert.deepEqual(await ids('?returnUnmapped=False'), world.accountIds);
  const all = await list('?returnUnmapped=true');
  assert.deepEqual(
    all.find((r) => r.id === 'excluded'),
    row('excluded', 'Nope'),
  );
  assert.ok(all.length > world.accountIds.length);
});

test('PATCH one account changes only the fields sent', async () => {
  await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: { id: 301, name: 'Before', description: 'd' },
  });
  const r = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/301`, {
    token: f.token,
    body: { name: 'After', isArrears: true },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, row('301', 'After', { description: 'd', isArrears: true }));
  assert.deepEqual(await list('?accountIds=301'), [r.body]);
  const cleared = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/301`, {
    token: f.token,
    body: { description: null },
  });
  assert.equal(cleared.body.description, '');
});

test('PATCH isActive false makes counts 404 for the account; true restores them', async () => {
  const account = world.accountIds[1] as string;
  const sku = world.skuIds[0] as string;
  assert.equal((await sendCount(t.baseUrl, f, sku, account, 3)).status, 201);
  const off = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/${account}`, {
    token: f.token,
    body: { isActive: false },
  });
  assert.equal(off.body.isActive, false);
  const refused = await sendCount(t.baseUrl, f, sku, account, 4);
  assert.deepEqual(refused.body, {
    statusCode: 404,
    message: `No account map found with id: ${account}`,
    error: 'Not Found',
  });
  await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/${account}`, { token: f.token, body: { isActive: true } });
  const restored = await sendCount(t.baseUrl, f, sku, account, 5);
  assert.equal(restored.status, 201);
  assert.equal(restored.body.data.previousUnitCount, 3);
});

test('PATCH many: an array or a bare object, numeric ids, answered in request order', async () => {
  await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 401, name: 'A' },
      { id: 402, name: 'B' },
    ],
  });
  const r = await call(t.baseUrl, 'PATCH', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 402, name: 'B2' },
      { id: '401', isArrears: true },
    ],
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, [row('402', 'B2'), row('401', 'A', { isArrears: true })]);
  const single = await call(t.baseUrl, 'PATCH', ACCOUNTS, {
    token: f.token,
    body: { id: 401, description: 'one' },
  });
  assert.deepEqual(single.body, [row('401', 'A', { isArrears: true, description: 'one' })]);
});

test('PATCH many is all or nothing: an unknown id is a 404 naming it and nothing changes', async () => {
  await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token, body: { id: 501, name: 'Unchanged' } });
  const r = await call(t.baseUrl, 'PATCH', ACCOUNTS, {
    token: f.token,
    body: [
      { id: 501, name: 'Changed' },
      { id: 'ghost', name: 'x' },
    ],
  });
  assert.deepEqual(r.body, {
    statusCode: 404,
    message: 'No account found with id: ghost',
    error: 'Not Found',
  });
  assert.deepEqual(await list('?accountIds=501'), [row('501', 'Unchanged')]);
});

const bad = (message: string) => ({ statusCode: 400, message, error: 'Bad Request' });

const badCreates: [string, unknown, string][] = [
  ['an empty object', {}, 'id is required'],
  ['an item without id', [{ name: 'x' }], '[0].id is required'],
  ['an item without name', [{ id: 'x' }], '[0].name is required'],
  ['a boolean id', [{ id: true, name: 'x' }], '[0].id must be a string or an integer'],
  ['a fractional id', [{ id: 1.5, name: 'x' }], '[0].id must be a string or an integer'],
  ['an id past 2^53', [{ id: 2 ** 53, name: 'x' }], '[0].id must be <= 9007199254740991'],
  ['an empty id', [{ id: '', name: 'x' }], '[0].id must NOT have fewer than 1 characters'],
  ['an empty name', [{ id: 'x', name: '' }], '[0].name must NOT have fewer than 1 characters'],
  ['a null name', { id: 'x', name: null }, 'name must be a string'],
  [
    'a number description',
    [{ id: 'x', name: 'x', description: 5 }],
    '[0].description must be a string or null',
  ],
  ['a text isArrears', [{ id: 'x', name: 'x', isArrears: 'yes' }], '[0].isArrears must be a boolean'],
  ['a second bad item', [{ id: 'x', name: 'x' }, { id: 'y' }], '[1].name is required'],
  ['a number body', 5, 'body must be an array or an object'],
  ['a string body', 'accounts', 'body must be an array or an object'],
  ['a null body', null, 'body must be an array or an object'],
  [
    'a NUL in a name',
    [{ id: 'x', name: 'a\u0000b' }],
    'Strings in the request body may not contain a NUL (\\u0000) character',
  ],
];
for (const [name, body, message] of badCreates) {
  test(`POST 400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token, body });
    assert.deepEqual(r.body, bad(message));
  });
}

test('POST 400 for no body and for malformed JSON', async () => {
  const none = await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token });
  assert.deepEqual(none.body, bad('body must be an array or an object'));
  const broken = await call(t.baseUrl, 'POST', ACCOUNTS, { token: f.token, raw: '[{"id": 1,' });
  assert.deepEqual(broken.body, bad('Malformed JSON in request body'));
});

const badPatchOne: [string, unknown, string][] = [
  ['an empty object', {}, 'Provide at least one of name, description, isActive, isArrears for id: 1000'],
  ['a text isActive', { isActive: 'false' }, 'isActive must be a boolean'],
  ['an empty name', { name: '' }, 'name must NOT have fewer than 1 characters'],
  ['an array', [{ name: 'x' }], 'body must be an object'],
];
for (const [name, body, message] of badPatchOne) {
  test(`PATCH one 400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/1000`, { token: f.token, body });
    assert.deepEqual(r.body, bad(message));
  });
}

test('PATCH one 404 names the unknown id', async () => {
  const r = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/nobody`, { token: f.token, body: { name: 'x' } });
  assert.deepEqual(r.body, {
    statusCode: 404,
    message: 'No account found with id: nobody',
    error: 'Not Found',
  });
});

const badPatchMany: [string, unknown, string][] = [
  ['an object without id', { isActive: true }, 'id is required'],
  ['an item without id', [{ name: 'x' }], '[0].id is required'],
  [
    'an item with nothing to change',
    [{ id: 1000 }],
    'Provide at least one of name, description, isActive, isArrears for id: 1000',
  ],
  ['a number isActive', [{ id: 1000, isActive: 1 }], '[0].isActive must be a boolean'],
  [
    'a repeated id',
    [
      { id: 1000, name: 'a' },
      { id: '1000', name: 'b' },
    ],
    'Duplicate ids in request body: 1000',
  ],
  ['a number body', 7, 'body must be an array or an object'],
];
for (const [name, body, message] of badPatchMany) {
  test(`PATCH many 400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'PATCH', ACCOUNTS, { token: f.token, body });
    assert.deepEqual(r.body, bad(message));
  });
}

test('GET 400 for a returnUnmapped that is not a boolean', async () => {
  const r = await call(t.baseUrl, 'GET', `${ACCOUNTS}?returnUnmapped=maybe`, { token: f.token });
  assert.deepEqual(r.body, bad('returnUnmapped must be true or false'));
});

const routes: [string, string, unknown][] = [
  ['GET', ACCOUNTS, undefined],
  ['POST', ACCOUNTS, [{ id: 'auth', name: 'x' }]],
  ['PATCH', `${ACCOUNTS}/1000`, { name: 'x' }],
  ['PATCH', ACCOUNTS, [{ id: 1000, name: 'x' }]],
];
for (const [method, path, body] of routes) {
  test(`${method} ${path.replace('/api/vendor-api', '')} refuses every bad credential with 401`, async () => {
    for (const [name, token] of refusedTokens(f, other)) {
      const r = await call(t.baseUrl, method, path, { token, body });
      assert.deepEqual(r.body, UNAUTHORIZED, name);
    }
    // Authentication comes before validation: a bad body says nothing to a caller without a token.
    if (body !== undefined) {
      const r = await call(t.baseUrl, method, path, { raw: '{not json' });
      assert.deepEqual(r.body, UNAUTHORIZED);
    }
    assert.deepEqual(await ids('?accountIds=auth'), []);
  });
}

test("tenant isolation: another integration's accounts are invisible and untouchable", async () => {
  const mine = world.accountIds[0] as string;
  assert.deepEqual(await ids(`?accountIds=${mine}`, other.token), []);
  assert.ok(!(await ids('', other.token)).includes(mine));
  const patch = await call(t.baseUrl, 'PATCH', `${ACCOUNTS}/${mine}`, {
    token: other.token,
    body: { name: 'Hijacked' },
  });
  assert.equal(patch.status, 404);
  const bulk = await call(t.baseUrl, 'PATCH', ACCOUNTS, {
    token: other.token,
    body: [{ id: mine, isActive: false }],
  });
  assert.equal(bulk.status, 404);
  // The same vendor id in another integration is a different account.
  const created = await call(t.baseUrl, 'POST', ACCOUNTS, {
    token: other.token,
    body: [{ id: mine, name: 'Theirs' }],
  });
  assert.deepEqual(created.body, [row(mine, 'Theirs')]);
  assert.deepEqual(await list(`?accountIds=${mine}`), [
    row(mine, 'Customer 0', { isMapped: true, mappingId: world.companyIds[0] }),
  ]);
});

test('same vendor, another partner: each integration sees only its own accounts', async () => {
  const { partner } = await createPartner(t.server.ctx, { name: 'Second MSP' });
  const { partnerKey } = await connectIntegration(t.server.ctx, {
    vendorId: f.vendorId,
    partnerId: partner.id,
  });
  const token = gradientToken(f.vendorKey, partnerKey);
  const r = await call(t.baseUrl, 'POST', ACCOUNTS, { token, body: { id: 'x-1', name: 'X' } });
  assert.equal(r.status, 201);
  assert.deepEqual(await ids('', token), ['x-1']);
  assert.deepEqual(await ids('?accountIds=x-1'), []);
});

test('the OpenAPI document describes all eight routes with their tags and both body forms', async () => {
  const doc = (await call(t.baseUrl, 'GET', '/api-docs/json')).body;
  for (const [collection, tag] of [
    ['accounts', 'Accounts'],
    ['services', 'Organization services'],
  ] as const) {
    const base = `/api/vendor-api/organization/${collection}`;
    const one = `${base}/{${collection === 'accounts' ? 'accountId' : 'serviceId'}}`;
    for (const [path, method] of [
      [base, 'get'],
      [base, 'post'],
      [base, 'patch'],
      [one, 'patch'],
    ] as const) {
      assert.deepEqual(doc.paths[path]?.[method]?.tags, [tag], `${method} ${path}`);
    }
    const create = doc.paths[base].post.requestBody.content['application/json'].schema;
    assert.deepEqual(
      create.anyOf.map((s: { type: string }) => s.type),
      ['array', 'object'],
    );
    assert.ok(doc.paths[base].post.responses['201']);
  }
});
