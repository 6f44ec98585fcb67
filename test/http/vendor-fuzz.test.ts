/**
 * Property tests: random JSON, and near-valid bodies with random holes, thrown at every vendor route
 * that takes a body. Whatever arrives, the server never answers 5xx, every error has the documented
 * shape, and a refused request leaves the data it would have written exactly as it was.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import { after, before, test } from 'node:test';
import { RELAXED_GUARD } from '../support/auth-cases.js';
import {
  call,
  seedIntegration,
  startServer,
  type Fixture,
  type JsonResponse,
  type TestServer,
} from '../support/harness.js';
import { mappedWorld, type World } from '../support/world.js';

/** Runs per route: enough to find shape and atomicity bugs, few enough for a quick suite. */
const RUNS = 120;

let t: TestServer;
let f: Fixture;
let world: World;
before(async () => {
  // Builds and the alert worker are pushed far out so nothing changes state behind a snapshot.
  t = await startServer({ config: { ...RELAXED_GUARD, buildPollMs: 600_000, alertPollMs: 600_000 } });
  f = await seedIntegration(t.server);
  world = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
  const created = await call(t.baseUrl, 'POST', '/api/vendor-api/organization/services', {
    token: f.token,
    body: [
      { id: 's1', name: 'Seats' },
      { id: 2, name: 'Storage' },
    ],
  });
  assert.equal(created.status, 201);
});
after(() => t.close());

interface Request {
  method: string;
  path: string;
  /** undefined: no body at all. */
  body?: unknown;
  /** Sent as is instead of `body`, for text that is not JSON. */
  raw?: string;
}

/** Never a 5xx; an error is exactly `{ statusCode, message, error }` with matching code and phrase. */
function assertWellFormed(r: JsonResponse, request: Request): void {
  const where = `${request.method} ${request.path} ${request.raw ?? JSON.stringify(request.body)}`;
  assert.ok(r.status < 500, `${r.status} for ${where}: ${JSON.stringify(r.body)}`);
  if (r.status < 400) return;
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode'], where);
  assert.equal(r.body.statusCode, r.status, where);
  assert.equal(r.body.error, STATUS_CODES[r.status], where);
  assert.equal(typeof r.body.message, 'string', where);
  assert.ok(r.body.message.length > 0, where);
}

/**
 * Sends generated requests; after each refusal the snapshot must equal the one taken before it. The
 * generators must reach both outcomes, or the run proved nothing about one of them.
 */
async function fuzz(token: () => string, requests: fc.Arbitrary<Request>, snapshot: () => Promise<unknown>) {
  const seen = { accepted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const before = await snapshot();
      const r = await call(t.baseUrl, request.method, request.path, {
        token: token(),
        ...(request.raw !== undefined ? { raw: request.raw } : { body: request.body }),
      });
      assertWellFormed(r, request);
      if (r.status < 400) seen.accepted++;
      else {
        seen.refused++;
        assert.deepEqual(await snapshot(), before, 'a refused request wrote data');
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(seen.accepted > 0 && seen.refused > 0, `outcomes: ${JSON.stringify(seen)}`);
}

// Strings of any code points, NUL and lone surrogates included.
const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
/** Strings that have broken servers before: NUL, a lone surrogate, blanks, an encoded NUL, long text. */
const nasty = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '', ' ', '%00', 'x'.repeat(300));
/** A value that is usually valid, sometimes just wrong (`nearMiss`), sometimes anything at all. */
const mostly = <T>(valid: fc.Arbitrary<T>, nearMiss?: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 12, arbitrary: valid },
    { weight: nearMiss ? 1 : 0, arbitrary: nearMiss ?? nasty },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: nasty },
  );
/**
 * An object with some of the given fields, sometimes with an extra random one. The `required` ones are
 * usually present, so that enough bodies get past validation to reach the writes.
 */
const someOf = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.record(fields, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
      ),
      fc.dictionary(anyText, anyJson, { maxKeys: 1 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));
/** A body built from `shape`, one of them in an array, a random JSON value, or text that may not be JSON. */
const bodies = (shape: fc.Arbitrary<unknown>, asList: boolean): fc.Arbitrary<Pick<Request, 'body' | 'raw'>> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: (asList ? fc.oneof(fc.array(shape, { maxLength: 4 }), shape) : shape).map((body) => ({
        body,
      })),
    },
    { weight: 2, arbitrary: anyJson.map((body) => ({ body })) },
    { weight: 1, arbitrary: anyText.map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constant({ body: undefined }) },
  );

// Ids that collide with what exists (accounts 1000/1001, services s1/2) as often as they miss.
const itemIds = fc.constantFrom<unknown>(
  '1000',
  1001,
  's1',
  2,
  '2',
  'new-1',
  'new-2',
  3,
  '',
  'x'.repeat(256),
  'x'.repeat(257),
);
const itemFields = {
  name: mostly(fc.constantFrom('Name', 'Other'), fc.constant('')),
  description: mostly(fc.constantFrom('', 'text', null), fc.constant(false)),
  isActive: mostly(fc.boolean(), fc.constantFrom('true', 0)),
  isArrears: mostly(fc.boolean(), fc.constantFrom('true', 0)),
};
const newItem = someOf({ id: mostly(itemIds), ...itemFields }, ['id', 'name']);
const pathId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1000', '1001', 's1', '2', 'missing', 'x'.repeat(256)) },
  { weight: 1, arbitrary: anyText.filter((s) => s.length > 0).map((s) => encodeURIComponent(s)) },
);

const serviceFields = {
  name: mostly(fc.constant('Backup'), fc.constant('')),
  description: mostly(fc.constantFrom('', 'd')),
  category: mostly(fc.constantFrom('backup', 'security', 'other'), fc.constantFrom('Backup', 'nope')),
  subcategory: mostly(
    fc.constantFrom('cloud backup', 'email security', 'DNS filtering'),
    fc.constantFrom('Cloud Backup', 'nope'),
  ),
  supportArticle: mostly(fc.constantFrom('https://example.com/kb')),
  supportContact: mostly(fc.constantFrom('help@example.com')),
};

const integrationToken = () => f.token;
const vendorToken = () => f.vendorToken;

const vendorSnapshot = async () => ({
  vendor: await t.store.getVendor(f.vendorId),
  skus: await t.store.listSkus(f.vendorId),
});
const accountsSnapshot = () => t.store.listAccounts(f.integrationId);
const servicesSnapshot = () => t.store.listOrgServices(f.integrationId);
const countsSnapshot = async () => ({
  counts: await t.store.listCounts(f.integrationId),
  history: await t.store.listHistory(f.integrationId, { limit: 100_000 }),
});

test('PATCH /api/vendor-api', async () => {
  const shape = someOf({
    name: mostly(fc.constant('Acme'), fc.constant('')),
    description: mostly(fc.constant('d')),
    vendorSupportPageUrl: mostly(fc.constant('https://example.com')),
    integrationPortalUrl: mostly(fc.constant('https://example.com/portal')),
  });
  await fuzz(
    vendorToken,
    bodies(shape, false).map((b) => ({ method: 'PATCH', path: '/api/vendor-api', ...b })),
    vendorSnapshot,
  );
});

test('POST /api/vendor-api/service', async () => {
  await fuzz(
    vendorToken,
    bodies(someOf(serviceFields, ['name', 'description', 'category', 'subcategory']), false).map((b) => ({
      method: 'POST',
      path: '/api/vendor-api/service',
      ...b,
    })),
    vendorSnapshot,
  );
});

test('PATCH /api/vendor-api/service/{serviceId}', async () => {
  const ids = fc.oneof(
    fc.constant(() => world.skuIds[0] as string),
    pathId.map((id) => () => id),
  );
  await fuzz(
    vendorToken,
    fc
      .tuple(ids, bodies(someOf(serviceFields), false))
      .map(([id, b]) => ({ method: 'PATCH', path: `/api/vendor-api/service/${id()}`, ...b })),
    vendorSnapshot,
  );
});

test('POST /api/vendor-api/service/{serviceId}/count', async () => {
  const services = fc.oneof(
    fc.constant(() => world.skuIds[0] as string),
    fc.constantFrom('s1', '2', 'ffffffffffffffffffffffff', 'not-an-id').map((id) => () => id),
  );
  const accountRef = mostly(fc.constantFrom<unknown>('1000', 1001), fc.constantFrom('1002', 'nobody', ''));
  const shape = someOf(
    {
      accountId: accountRef,
      clientOId: accountRef,
      clientOid: accountRef,
      unitCount: mostly(
        fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e6, noNaN: true })),
        // Past every edge: huge, beyond the maximum quantity, finer than millionths.
        fc.constantFrom(-1, -0.5, '12', null, 1e303, 1e22, 1e12 + 1, 1e-7, 0.1234567),
      ),
    },
    ['accountId', 'unitCount'],
  );
  const query = fc.constantFrom('', '?no_build=true', '?no_build=false', '?no_build=yes');
  await fuzz(
    integrationToken,
    fc.tuple(services, query, bodies(shape, false)).map(([id, q, b]) => ({
      method: 'POST',
      path: `/api/vendor-api/service/${id()}/count${q}`,
      ...b,
    })),
    countsSnapshot,
  );
  // Whatever was accepted committed with its history: each current count is its newest entry.
  const { counts, history } = await countsSnapshot();
  for (const count of counts) {
    const entry = history.find(
      (h) =>
        h.accountId === count.accountId && h.serviceId === count.serviceId && h.revision === count.revision,
    );
    assert.ok(entry, `count ${count.accountId}/${count.serviceId} has no history entry`);
    assert.equal(entry.unitCount, count.unitCount);
    assert.ok(count.unitCount <= 1e12, `a count of ${count.unitCount} was stored`);
  }
});

test('GET routes with random params and queries', async () => {
  const paths = fc.oneof(
    fc.constant('/api/vendor-api'),
    pathId.map((id) => `/api/vendor-api/service/${id}`),
    pathId.map((id) => `/api/vendor-api/alerting/debug/${id}`),
    fc.constant('/api/vendor-api/organization'),
    fc
      .array(fc.tuple(fc.constantFrom('previousId', 'search', 'limit', 'x'), anyText), { maxLength: 3 })
      .map(
        (pairs) =>
          `/api/vendor-api/organization/clients?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      ),
    fc
      .array(fc.tuple(fc.constantFrom('limit', 'after', 'accountIds'), anyText), { maxLength: 3 })
      .map(
        (pairs) =>
          `/api/vendor-api/organization/accounts?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      ),
  );
  await fuzz(
    integrationToken,
    paths.map((path) => ({ method: 'GET', path })),
    accountsSnapshot,
  );
});

test('PATCH /api/vendor-api/organization/status/{status}', async () => {
  const statuses = fc.oneof(fc.constantFrom('active', 'pending', 'Active', 'deleted'), pathId);
  await fuzz(
    integrationToken,
    fc
      .tuple(statuses, bodies(anyJson, false))
      .map(([s, b]) => ({ method: 'PATCH', path: `/api/vendor-api/organization/status/${s}`, ...b })),
    async () => (await t.store.getIntegration(f.integrationId))?.status,
  );
});

for (const [collection, snapshot] of [
  ['accounts', accountsSnapshot],
  ['services', servicesSnapshot],
] as const) {
  const path = `/api/vendor-api/organization/${collection}`;

  test(`POST ${path}`, async () => {
    await fuzz(
      integrationToken,
      bodies(newItem, true).map((b) => ({ method: 'POST', path, ...b })),
      snapshot,
    );
  });

  test(`PATCH ${path}`, async () => {
    await fuzz(
      integrationToken,
      bodies(newItem, true).map((b) => ({ method: 'PATCH', path, ...b })),
      snapshot,
    );
  });

  test(`PATCH ${path}/{id}`, async () => {
    await fuzz(
      integrationToken,
      fc
        .tuple(pathId, bodies(someOf(itemFields), false))
        .map(([id, b]) => ({ method: 'PATCH', path: `${path}/${id}`, ...b })),
      snapshot,
    );
  });

  test(`GET ${path} with random filters`, async () => {
    const param = fc.constantFrom('accountIds', 'serviceIds', 'returnUnmapped', 'other');
    const query = fc
      .array(fc.tuple(param, anyText), { maxLength: 4 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
    await fuzz(
      integrationToken,
      query.map((q) => ({ method: 'GET', path: `${path}?${q}` })),
      snapshot,
    );
  });
}

test('POST /api/vendor-api/alerting/{accountId}', async () => {
  // The item properties above may have deactivated the mapped accounts; alerts need them active.
  const reactivated = await call(t.baseUrl, 'PATCH', '/api/vendor-api/organization/accounts', {
    token: f.token,
    body: world.accountIds.map((id) => ({ id, isActive: true })),
  });
  assert.equal(reactivated.status, 200);
  const shape = someOf(
    {
      title: mostly(fc.constant('Disk full'), fc.constant('')),
      description: mostly(fc.constant('details')),
      alertId: mostly(fc.constantFrom<unknown>('a-1', 7), fc.constantFrom(true, '')),
      priority: mostly(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 5, 1.5)),
      status: mostly(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, 7)),
      dueDateTime: mostly(fc.constant('2026-12-01T10:00:00.000Z'), fc.constant('tomorrow')),
      serviceId: mostly(fc.constantFrom<unknown>('s1', 2), fc.constant(false)),
    },
    ['title', 'description', 'alertId'],
  );
  await fuzz(
    integrationToken,
    fc
      .tuple(fc.oneof(fc.constantFrom('1000', '1001'), pathId), bodies(shape, false))
      .map(([id, b]) => ({ method: 'POST', path: `/api/vendor-api/alerting/${id}`, ...b })),
    () => t.store.listPendingAlerts(100_000),
  );
});
