/**
 * Replays, against the whole vendor API, what the real clients listed at the top of vendor-api.md do:
 * how they spell the header, build URLs, shape bodies and read replies. Requests go out through
 * node:http so header names keep their casing on the wire and nothing adds a body or a content type.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { RELAXED_GUARD } from '../support/auth-cases.js';
import { seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
}

/** One request exactly as given: only Host (and Content-Length for a body) is added. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: text === '' ? undefined : JSON.parse(text),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A client as its authors wrote it: a base URL, a path style, a header spelling. */
interface Client {
  get(path: string): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  patch(path: string, body?: unknown): Promise<Reply>;
}

/** `base` + `prefix` + path, JSON bodies with a JSON content type, the token under `header`. */
const client = (base: string, prefix: string, header: string, token: string): Client => {
  const json = (method: string, path: string, body: unknown) =>
    send(
      `${base}${prefix}${path}`,
      method,
      { [header]: token, 'Content-Type': 'application/json' },
      JSON.stringify(body),
    );
  return {
    get: (path) => send(`${base}${prefix}${path}`, 'GET', { [header]: token }),
    post: (path, body) => json('POST', path, body),
    patch: (path, body) =>
      body === undefined
        ? send(`${base}${prefix}${path}`, 'PATCH', { [header]: token, 'Content-Length': '0' })
        : json('PATCH', path, body),
  };
};

let clock: ManualClock;
let t: TestServer;
before(async () => {
  clock = new ManualClock();
  t = await startServer({ clock, config: { ...RELAXED_GUARD, buildPollMs: 60_000 } });
});
after(() => t.close());

const SERVICE = {
  name: 'Cloud Backup',
  description: 'Per protected seat',
  category: 'backup',
  subcategory: 'cloud backup',
};

/** The partner maps an account to a new PSA company; returns the company id. */
async function mapAccount(f: Fixture, accountId: string): Promise<string> {
  const companyId = t.server.ctx.ids.objectId();
  const nowMs = clock.nowMs();
  await t.store.insertCompany({
    id: companyId,
    partnerId: f.partnerId,
    name: `Company ${accountId}`,
    createdAtMs: nowMs,
  });
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'account',
    itemId: accountId,
    targetId: companyId,
    excluded: false,
    updatedAtMs: nowMs,
  });
  return companyId;
}

/** The partner maps a service to a new PSA product. */
async function mapService(f: Fixture, serviceId: string): Promise<void> {
  const productId = t.server.ctx.ids.objectId();
  const nowMs = clock.nowMs();
  await t.store.insertProduct({
    id: productId,
    partnerId: f.partnerId,
    name: `Product ${serviceId}`,
    unitPriceMicros: 2_000_000,
    unitCostMicros: 1_000_000,
    createdAtMs: nowMs,
  });
  await t.store.putMapping({
    integrationId: f.integrationId,
    kind: 'service',
    itemId: serviceId,
    targetId: productId,
    excluded: false,
    updatedAtMs: nowMs,
  });
}

test('the token header is read in any casing on the wire', async () => {
  const f = await seedIntegration(t.server, { vendor: 'Casing Vendor', partner: 'Casing MSP' });
  for (const header of ['GRADIENT-TOKEN', 'Gradient-Token', 'gradient-token', 'gRaDiEnT-tOkEn']) {
    const c = client(t.baseUrl, '/api/vendor-api', header, f.token);
    assert.equal((await c.get('/organization/accounts')).status, 200, header);
    assert.equal((await c.get('')).status, 200, header);
  }
  const misspelt = client(t.baseUrl, '/api/vendor-api', 'Gradient-Tokens', f.token);
  assert.equal((await misspelt.get('/organization/accounts')).status, 401);
});

test('official PowerShell SDK: Gradient-Token, _id on SKUs, one-element account arrays, status PATCH without a body', async () => {
  const f = await seedIntegration(t.server, { vendor: 'SDK Vendor', partner: 'SDK MSP' });
  // The SDK is given the host only and every path begins /api/vendor-api.
  const vendorOnly = client(t.baseUrl, '/api/vendor-api', 'Gradient-Token', f.vendorToken);
  const sdk = client(t.baseUrl, '/api/vendor-api', 'Gradient-Token', f.token);

  const created = await vendorOnly.post('/service', SERVICE);
  assert.equal(created.status, 201);
  const sku = created.body.skus.find((s: { name: string }) => s.name === SERVICE.name);
  assert.match(sku._id, /^[0-9a-f]{24}$/);
  const fetched = await vendorOnly.get(`/service/${sku._id}`);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.body.data.skus[0]._id, sku._id);
  assert.equal(fetched.body.data.skus[0].id, sku._id);
  const vendor = await sdk.get('');
  assert.equal(vendor.body.data._id, vendor.body.data.id);
  assert.ok(vendor.body.data.skus.some((s: { _id: string }) => s._id === sku._id));

  for (const [id, name] of [
    ['sdk-1', 'First Customer'],
    ['sdk-2', 'Second Customer'],
  ]) {
    const r = await sdk.post('/organization/accounts', [{ id, name, description: '' }]);
    assert.equal(r.status, 201);
    assert.deepEqual(
      r.body.map((a: { id: string }) => a.id),
      [id],
    );
  }
  const listed = await sdk.get('/organization/accounts');
  assert.deepEqual(
    listed.body.map((a: { id: string }) => a.id),
    ['sdk-1', 'sdk-2'],
  );

  const status = await sdk.patch('/organization/status/active');
  assert.equal(status.status, 200);
  assert.equal(status.body.message, 'Success - Updated Integration Status');
  assert.equal(status.body.data.status, 'active');
});

test('M365 tool extension: hard-coded URLs, a bare object for one new account, .skus on Create Service, sets active itself', async () => {
  const f = await seedIntegration(t.server, { vendor: 'M365 Vendor', partner: 'M365 MSP' });
  const url = (path: string) => `${t.baseUrl}/api/vendor-api${path}`;
  const headers = (token: string) => ({ 'GRADIENT-TOKEN': token, 'content-type': 'application/json' });

  const created = await send(url('/service'), 'POST', headers(f.vendorToken), JSON.stringify(SERVICE));
  assert.equal(created.status, 201);
  assert.equal(created.body.data, undefined, 'Create Service is a bare vendor, not an envelope');
  assert.ok(Array.isArray(created.body.skus));
  assert.ok(created.body.skus.some((s: { name: string }) => s.name === SERVICE.name));

  const several = await send(
    url('/organization/accounts'),
    'POST',
    headers(f.token),
    JSON.stringify([
      { id: 'tenant-a', name: 'Tenant A' },
      { id: 'tenant-b', name: 'Tenant B' },
    ]),
  );
  assert.equal(several.status, 201);
  // Next sync: only one tenant is new, and PowerShell's ConvertTo-Json unwraps it to a bare object.
  const one = await send(
    url('/organization/accounts'),
    'POST',
    headers(f.token),
    JSON.stringify({ id: 'tenant-c', name: 'Tenant C' }),
  );
  assert.equal(one.status, 201);
  assert.deepEqual(
    one.body.map((a: { id: string }) => a.id),
    ['tenant-c'],
  );

  const active = await send(url('/organization/status/active'), 'PATCH', {
    'GRADIENT-TOKEN': f.token,
    'Content-Length': '0',
  });
  assert.equal(active.body.data.status, 'active');
  const org = await send(url('/organization'), 'GET', { 'GRADIENT-TOKEN': f.token });
  assert.equal(org.body.status, 'active');
  const accounts = await send(url('/organization/accounts'), 'GET', { 'GRADIENT-TOKEN': f.token });
  assert.deepEqual(
    accounts.body.map((a: { id: string }) => a.id),
    ['tenant-a', 'tenant-b', 'tenant-c'],
  );
});

test('Kaseya VSA sync: base URL ending /api, numeric ids, idempotent re-posts, status PATCH with {}, 404 counts as warnings', async () => {
  const f = await seedIntegration(t.server, { vendor: 'VSA Vendor', partner: 'VSA MSP' });
  // requests.Session with base "<host>/api" and paths "/vendor-api/...".
  const vsa = client(`${t.baseUrl}/api`, '/vendor-api', 'GRADIENT-TOKEN', f.token);
  const vendorOnly = client(`${t.baseUrl}/api`, '/vendor-api', 'GRADIENT-TOKEN', f.vendorToken);
  const sku = (await vendorOnly.post('/service', SERVICE)).body.skus[0]._id as string;

  const machines = [
    { id: 7001, name: 'Site 7001' },
    { id: 7002, name: 'Site 7002' },
  ];
  assert.equal((await vsa.post('/organization/accounts', machines)).status, 201);
  // The client compares its numeric ids with the string ids it lists, finds no match, and re-posts.
  const listed = (await vsa.get('/organization/accounts')).body as { id: string }[];
  const missing = machines.filter((m) => !listed.some((a) => (a.id as unknown) === m.id));
  assert.equal(missing.length, 2);
  const again = await vsa.post('/organization/accounts', missing);
  assert.equal(again.status, 201);
  assert.deepEqual(
    again.body.map((a: { id: string }) => a.id),
    ['7001', '7002'],
  );
  assert.equal((await vsa.get('/organization/accounts')).body.length, 2);

  const status = await vsa.patch('/organization/status/pending', {});
  assert.equal(status.status, 200);
  assert.equal(status.body.data.status, 'pending');

  await mapService(f, sku);
  await mapAccount(f, '7001');
  const accepted = await vsa.post(`/service/${sku}/count`, { accountId: 7001, unitCount: 12 });
  assert.equal(accepted.status, 201);
  assert.equal(accepted.body.data.accountId, '7001');
  const warning = await vsa.post(`/service/${sku}/count`, { accountId: 7002, unitCount: 3 });
  assert.deepEqual(warning.body, {
    statusCode: 404,
    message: 'No account map found with id: 7002',
    error: 'Not Found',
  });
  // The 404 did not stop the sync: the next count still goes through.
  assert.equal((await vsa.post(`/service/${sku}/count`, { accountId: 7001, unitCount: 13 })).status, 201);
});

test('status PATCH with no body, with {} and with {} but no content type all succeed', async () => {
  const f = await seedIntegration(t.server, { vendor: 'Status Vendor', partner: 'Status MSP' });
  const url = `${t.baseUrl}/api/vendor-api/organization/status`;
  const variants: [string, Record<string, string>, string | undefined][] = [
    ['no body', { 'Gradient-Token': f.token, 'Content-Length': '0' }, undefined],
    ['no body, chunked', { 'Gradient-Token': f.token }, undefined],
    ['{} as JSON', { 'Gradient-Token': f.token, 'Content-Type': 'application/json' }, '{}'],
    ['{} without a content type', { 'Gradient-Token': f.token }, '{}'],
  ];
  for (const [i, [name, headers, body]] of variants.entries()) {
    const target = i % 2 === 0 ? 'active' : 'pending';
    const r = await send(`${url}/${target}`, 'PATCH', headers, body);
    assert.equal(r.status, 200, name);
    assert.equal(r.body.data.status, target, name);
  }
});

test('Go CLI: base URL ending /api, no_build=true on all but the last count, wrapped or bare /organization', async () => {
  const f = await seedIntegration(t.server, { vendor: 'Go Vendor', partner: 'Go MSP' });
  const cli = client(`${t.baseUrl}/api`, '/vendor-api', 'GRADIENT-TOKEN', f.token);
  const sku = (
    await client(`${t.baseUrl}/api`, '/vendor-api', 'GRADIENT-TOKEN', f.vendorToken).post('/service', SERVICE)
  ).body.skus[0].id as string;
  await mapService(f, sku);
  const accounts = ['go-1', 'go-2', 'go-3'];
  await cli.post(
    '/organization/accounts',
    accounts.map((id) => ({ id, name: id })),
  );
  for (const id of accounts) await mapAccount(f, id);

  for (const [i, id] of accounts.entries()) {
    const last = i === accounts.length - 1;
    const r = await cli.post(`/service/${sku}/count${last ? '' : '?no_build=true'}`, {
      accountId: id,
      unitCount: i + 1,
    });
    assert.equal(r.status, 201);
    const billing = (await cli.get('/organization')).body.billing;
    assert.equal(billing.unbuiltChanges, i + 1);
    assert.equal(billing.state, last ? 'scheduled' : 'idle', `after count ${i + 1}`);
  }

  const typo = await cli.post(`/service/${sku}/count?no_build=yes`, { accountId: 'go-1', unitCount: 9 });
  assert.deepEqual(typo.body, {
    statusCode: 400,
    message: 'no_build must be one of: true, false',
    error: 'Bad Request',
  });

  // Bare: the integration's fields at the top level. Wrapped: the status PATCH's envelope.
  const bare = (await cli.get('/organization')).body;
  assert.equal(bare.integrationId, f.integrationId);
  assert.equal(bare.data, undefined);
  const wrapped = (await cli.patch('/organization/status/active', {})).body;
  assert.equal(wrapped.data.integrationId, f.integrationId);
});

test('counts name the account by clientOId or clientOid: a PSA company mapped to an account', async () => {
  const f = await seedIntegration(t.server, { vendor: 'Legacy Vendor', partner: 'Legacy MSP' });
  const c = client(t.baseUrl, '/api/vendor-api', 'GRADIENT-TOKEN', f.token);
  const sku = (
    await client(t.baseUrl, '/api/vendor-api', 'GRADIENT-TOKEN', f.vendorToken).post('/service', SERVICE)
  ).body.skus[0].id as string;
  await mapService(f, sku);
  await c.post('/organization/accounts', { id: 'legacy-1', name: 'Legacy One' });
  const companyId = await mapAccount(f, 'legacy-1');

  // Route 9 is where such a client learns the company ids.
  const clients = (await c.get('/organization/clients')).body.clients as { id: string }[];
  assert.ok(clients.some((x) => x.id === companyId));

  const upper = await c.post(`/service/${sku}/count`, { clientOId: companyId, unitCount: 5 });
  assert.equal(upper.status, 201);
  assert.equal(upper.body.data.accountId, 'legacy-1');
  const lower = await c.post(`/service/${sku}/count`, { clientOid: companyId, unitCount: 6 });
  assert.equal(lower.status, 201);
  assert.equal(lower.body.data.previousUnitCount, 5);

  const unknown = 'ffffffffffffffffffffffff';
  assert.deepEqual((await c.post(`/service/${sku}/count`, { clientOid: unknown, unitCount: 1 })).body, {
    statusCode: 404,
    message: `No account map found with id: ${unknown}`,
    error: 'Not Found',
  });
});

test('a client that backs off on 429 gets Retry-After and succeeds when it retries after it', async () => {
  const limitedClock = new ManualClock();
  const limited = await startServer({
    clock: limitedClock,
    config: { rateLimitPerSecond: 2, buildPollMs: 60_000 },
  });
  try {
    const f = await seedIntegration(limited.server, { vendor: 'Busy Vendor', partner: 'Busy MSP' });
    const c = client(limited.baseUrl, '/api/vendor-api', 'GRADIENT-TOKEN', f.token);
    assert.equal((await c.get('/organization/accounts')).status, 200);
    assert.equal((await c.get('/organization/accounts')).status, 200);
    const refused = await c.get('/organization/accounts');
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, {
      statusCode: 429,
      message: 'Request limit reached (2 requests a second)',
      error: 'Too Many Requests',
    });
    const retryAfterSeconds = Number(refused.headers['retry-after']);
    assert.ok(retryAfterSeconds >= 1, `Retry-After: ${refused.headers['retry-after']}`);
    limitedClock.advance(retryAfterSeconds * 1000);
    assert.equal((await c.get('/organization/accounts')).status, 200);
  } finally {
    await limited.close();
  }
});
