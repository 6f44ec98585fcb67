import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RELAXED_GUARD, UNAUTHORIZED, refusedTokens } from '../support/auth-cases.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, sendCount, type World } from '../support/world.js';

const SERVICES = '/api/vendor-api/organization/services';

let t: TestServer;
let f: Fixture;
let other: Fixture;
let world: World;
before(async () => {
  t = await startServer({ config: { ...RELAXED_GUARD, buildPollMs: 60_000 } });
  f = await seedIntegration(t.server);
  other = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  // Mapped accounts 1000 and 1001 to send counts for; the world's SKU is not an organization service.
  world = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
});
after(() => t.close());

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
  const r = await call(t.baseUrl, 'GET', `${SERVICES}${query}`, { token });
  assert.equal(r.status, 200);
  return r.body as { id: string }[];
};
const ids = async (query = '', token = f.token) => (await list(query, token)).map((s) => s.id);
const create = (body: unknown, token = f.token) => call(t.baseUrl, 'POST', SERVICES, { token, body });

/** Maps an organization service to a new PSA product, as the partner would. */
async function mapToProduct(serviceId: string): Promise<string> {
  const productId = t.server.ctx.ids.objectId();
  await t.store.insertProduct({
    id: productId,
    partnerId: f.partnerId,
    name: `Product for ${serviceId}`,
    unitPriceMicros: 1_000_000,
    unitCostMicros: 500_000,
    createdAtMs: Date.now(),
  });
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'service',
    itemId: serviceId,
    targetId: productId,
    excluded: false,
    updatedAtMs: Date.now(),
  });
  return productId;
}

test('GET starts empty: SKUs are not organization services', async () => {
  assert.deepEqual(await list(), []);
});

test('POST creates from an array or a bare object; numeric ids become strings; 201 with the rows', async () => {
  const many = await create([
    { id: 11, name: 'Seats' },
    { id: 'storage-gb', name: 'Storage', description: 'per GB', isArrears: true },
  ]);
  assert.equal(many.status, 201);
  assert.deepEqual(many.body, [
    row('11', 'Seats'),
    row('storage-gb', 'Storage', { description: 'per GB', isArrears: true }),
  ]);
  const one = await create({ id: 'solo', name: 'Solo', description: null });
  assert.equal(one.status, 201);
  assert.deepEqual(one.body, [row('solo', 'Solo')]);
  assert.deepEqual(await ids(), ['11', 'solo', 'storage-gb']);
});

test('POST with an existing id is 409 naming the ids, and nothing of that request is written', async () => {
  const r = await create([
    { id: 'fresh', name: 'Would be new' },
    { id: 11, name: 'Seats again' },
    { id: 'solo', name: 'Solo again' },
  ]);
  assert.deepEqual(r.body, {
    statusCode: 409,
    message: 'A resource with this Id already exists. Ids: 11, solo',
    error: 'Conflict',
  });
  assert.deepEqual(await ids('?serviceIds=fresh'), []);
  assert.deepEqual(await list('?serviceIds=11'), [row('11', 'Seats')]);
});

test('POST with a repeated id is 400 and writes nothing', async () => {
  const r = await create([
    { id: 'twice', name: 'A' },
    { id: 'other', name: 'B' },
    { id: 'twice', name: 'C' },
  ]);
  assert.deepEqual(r.body, {
    statusCode: 400,
    message: 'Duplicate ids in request body: twice',
    error: 'Bad Request',
  });
  assert.deepEqual(await ids('?serviceIds=twice,other'), []);
});

test('GET filters by serviceIds, repeated or comma-separated, and by accountIds as an alias', async () => {
  assert.deepEqual(await ids('?serviceIds=11&serviceIds=solo'), ['11', 'solo']);
  assert.deepEqual(await ids('?serviceIds=solo,11,missing'), ['11', 'solo']);
  assert.deepEqual(await ids('?accountIds=storage-gb'), ['storage-gb']);
  assert.deepEqual(await ids('?serviceIds=11&accountIds=solo'), ['11', 'solo']);
});

test('GET returnUnmapped=false lists mapped services only, with the product as mappingId', async () => {
  const productId = await mapToProduct('storage-gb');
  assert.deepEqual(await list('?returnUnmapped=false'), [
    row('storage-gb', 'Storage', {
      description: 'per GB',
      isArrears: true,
      isMapped: true,
      mappingId: productId,
    }),
  ]);
  assert.equal((await list('?returnUnmapped=FALSE')).length, 1);
  assert.equal((await list('?returnUnmapped=true')).length, 3);
});

test('a mapped organization service takes counts; deactivated it is a 404, reactivated it takes them again', async () => {
  const account = world.accountIds[0] as string;
  assert.equal((await sendCount(t.baseUrl, f, 'storage-gb', account, 40)).status, 201);
  const off = await call(t.baseUrl, 'PATCH', `${SERVICES}/storage-gb`, {
    token: f.token,
    body: { isActive: false },
  });
  assert.equal(off.status, 200);
  assert.equal(off.body.isActive, false);
  assert.deepEqual((await sendCount(t.baseUrl, f, 'storage-gb', account, 41)).body, {
    statusCode: 404,
    message: 'No service map found with id: storage-gb',
    error: 'Not Found',
  });
  await call(t.baseUrl, 'PATCH', `${SERVICES}/storage-gb`, { token: f.token, body: { isActive: true } });
  const back = await sendCount(t.baseUrl, f, 'storage-gb', account, 42);
  assert.equal(back.status, 201);
  assert.equal(back.body.data.previousUnitCount, 40);
});

test('PATCH one service changes only the fields sent', async () => {
  const r = await call(t.baseUrl, 'PATCH', `${SERVICES}/11`, {
    token: f.token,
    body: { description: 'per seat', isArrears: true },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, row('11', 'Seats', { description: 'per seat', isArrears: true }));
  assert.deepEqual(await list('?serviceIds=11'), [r.body]);
});

test('PATCH many: an array or a bare object, numeric ids, answered in request order', async () => {
  const r = await call(t.baseUrl, 'PATCH', SERVICES, {
    token: f.token,
    body: [
      { id: 'solo', name: 'Solo 2' },
      { id: 11, name: 'Seats 2' },
    ],
  });
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.body.map((s: { id: string; name: string }) => [s.id, s.name]),
    [
      ['solo', 'Solo 2'],
      ['11', 'Seats 2'],
    ],
  );
  const single = await call(t.baseUrl, 'PATCH', SERVICES, {
    token: f.token,
    body: { id: 'solo', isArrears: true },
  });
  assert.deepEqual(single.body, [row('solo', 'Solo 2', { isArrears: true })]);
});

test('PATCH many is all or nothing: an unknown id is a 404 naming it and nothing changes', async () => {
  const r = await call(t.baseUrl, 'PATCH', SERVICES, {
    token: f.token,
    body: [
      { id: 'solo', name: 'Changed' },
      { id: 'ghost', name: 'x' },
    ],
  });
  assert.deepEqual(r.body, {
    statusCode: 404,
    message: 'No organization service found with id: ghost',
    error: 'Not Found',
  });
  assert.equal(((await list('?serviceIds=solo'))[0] as unknown as { name: string }).name, 'Solo 2');
});

const bad = (message: string) => ({ statusCode: 400, message, error: 'Bad Request' });

const badCreates: [string, unknown, string][] = [
  ['an empty object', {}, 'id is required'],
  ['an item without name', [{ id: 'x' }], '[0].name is required'],
  ['an object id', [{ id: { v: 1 }, name: 'x' }], '[0].id must be a string or an integer'],
  ['a negative fraction id', [{ id: -0.5, name: 'x' }], '[0].id must be a string or an integer'],
  ['a too long id', [{ id: 'x'.repeat(257), name: 'x' }], '[0].id must NOT have more than 256 characters'],
  ['a number name', [{ id: 'x', name: 9 }], '[0].name must be a string'],
  ['a null isArrears', [{ id: 'x', name: 'x', isArrears: null }], '[0].isArrears must be a boolean'],
  ['a boolean body', true, 'body must be an array or an object'],
];
for (const [name, body, message] of badCreates) {
  test(`POST 400 for ${name}`, async () => {
    const r = await create(body);
    assert.deepEqual(r.body, bad(message));
  });
}

test('POST 400 for malformed JSON', async () => {
  const r = await call(t.baseUrl, 'POST', SERVICES, { token: f.token, raw: '{"id":' });
  assert.deepEqual(r.body, bad('Malformed JSON in request body'));
});

const badPatchOne: [string, unknown, string][] = [
  ['an empty object', {}, 'Provide at least one of name, description, isActive, isArrears for id: 11'],
  ['a text isArrears', { isArrears: 'true' }, 'isArrears must be a boolean'],
  ['a number body', 3, 'body must be an object'],
];
for (const [name, body, message] of badPatchOne) {
  test(`PATCH one 400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'PATCH', `${SERVICES}/11`, { token: f.token, body });
    assert.deepEqual(r.body, bad(message));
  });
}

test('PATCH one 404 names the unknown id', async () => {
  const r = await call(t.baseUrl, 'PATCH', `${SERVICES}/nothing`, { token: f.token, body: { name: 'x' } });
  assert.deepEqual(r.body, {
    statusCode: 404,
    message: 'No organization service found with id: nothing',
    error: 'Not Found',
  });
});

const badPatchMany: [string, unknown, string][] = [
  ['an item without id', [{ isActive: false }], '[0].id is required'],
  [
    'a repeated id',
    [
      { id: 11, name: 'a' },
      { id: '11', name: 'b' },
    ],
    'Duplicate ids in request body: 11',
  ],
  ['a text body', 'all', 'body must be an array or an object'],
];
for (const [name, body, message] of badPatchMany) {
  test(`PATCH many 400 for ${name}`, async () => {
    const r = await call(t.baseUrl, 'PATCH', SERVICES, { token: f.token, body });
    assert.deepEqual(r.body, bad(message));
  });
}

test('GET 400 for a returnUnmapped that is not a boolean', async () => {
  const r = await call(t.baseUrl, 'GET', `${SERVICES}?returnUnmapped=1`, { token: f.token });
  assert.deepEqual(r.body, bad('returnUnmapped must be true or false'));
});

const routes: [string, string, unknown][] = [
  ['GET', SERVICES, undefined],
  ['POST', SERVICES, [{ id: 'auth', name: 'x' }]],
  ['PATCH', `${SERVICES}/11`, { name: 'x' }],
  ['PATCH', SERVICES, [{ id: 11, name: 'x' }]],
];
for (const [method, path, body] of routes) {
  test(`${method} ${path.replace('/api/vendor-api', '')} refuses every bad credential with 401`, async () => {
    for (const [name, token] of refusedTokens(f, other)) {
      const r = await call(t.baseUrl, method, path, { token, body });
      assert.deepEqual(r.body, UNAUTHORIZED, name);
    }
    assert.deepEqual(await ids('?serviceIds=auth'), []);
    assert.notEqual(((await list('?serviceIds=11'))[0] as unknown as { name: string }).name, 'x');
  });
}

test("tenant isolation: another integration's services are invisible, and its ids never conflict", async () => {
  assert.deepEqual(await list('', other.token), []);
  const patch = await call(t.baseUrl, 'PATCH', `${SERVICES}/11`, {
    token: other.token,
    body: { name: 'Theirs' },
  });
  assert.equal(patch.status, 404);
  // Ids are unique per integration only: the same id is free in another one.
  const created = await create([{ id: 11, name: 'Their seats' }], other.token);
  assert.equal(created.status, 201);
  assert.deepEqual(await ids('', other.token), ['11']);
  assert.equal(((await list('?serviceIds=11'))[0] as unknown as { name: string }).name, 'Seats 2');
  // A count through the other integration cannot reach this integration's service.
  const count = await sendCount(t.baseUrl, other, 'storage-gb', world.accountIds[0] as string, 1);
  assert.equal(count.status, 400);
});
