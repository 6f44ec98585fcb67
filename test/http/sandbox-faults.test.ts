import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decideFaults } from '../../src/core/sandbox/faults.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ADMIN_TOKEN, SandboxClient } from '../support/sandbox.js';

let t: TestServer;
let real: Fixture;

before(async () => {
  t = await startServer({ config: { adminToken: ADMIN_TOKEN, buildQuietMs: 10_000, buildPollMs: 100 } });
  real = await seedIntegration(t.server, { vendor: 'Real Vendor', partner: 'Real MSP' });
});
after(() => t.close());

const setFaults = async (sandbox: SandboxClient, faults: unknown) => {
  const r = await sandbox.request('PUT', '/api/vendor-api/sandbox/faults', faults);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

/** The statuses of `n` Get Vendor calls in a row. */
async function statuses(sandbox: SandboxClient, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await sandbox.request('GET', '/api/vendor-api')).status);
  return seen;
}

test('every Nth request is answered 429 with Retry-After and the RateLimit headers', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Every Third');
  const set = await setFaults(sandbox, { rateLimit: { everyNth: 3, retryAfterSeconds: 2 } });
  assert.deepEqual(set.faults, { rateLimit: { everyNth: 3, retryAfterSeconds: 2 }, seed: 0 });
  assert.deepEqual(await statuses(sandbox, 2), [200, 200]);
  const limited = await sandbox.request('GET', '/api/vendor-api');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '2');
  assert.equal(limited.headers.get('ratelimit-remaining'), '0');
  assert.equal(limited.headers.get('ratelimit-reset'), '2');
  assert.equal(limited.headers.get('tally-sandbox-fault'), 'rate_limit');
  assert.deepEqual(limited.body, {
    statusCode: 429,
    message: 'Request limit reached (100 requests a second)',
    error: 'Too Many Requests',
  });
  assert.deepEqual(await statuses(sandbox, 3), [200, 200, 429]);
  assert.deepEqual((await sandbox.request('GET', '/api/vendor-api/sandbox/faults')).body, set);
});

test('random faults are the same for the same seed, and differ for another', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Seeded');
  const faults = { serverError: { probability: 0.3 }, rateLimit: { probability: 0.1 }, seed: 42 };
  await setFaults(sandbox, faults);
  const first = await statuses(sandbox, 40);
  await setFaults(sandbox, faults); // setting them again starts the sequence over
  const second = await statuses(sandbox, 40);
  assert.deepEqual(second, first);
  assert.ok(first.includes(500) && first.includes(429) && first.includes(200), first.join(','));
  // A pure function of the seed and the request's number: a client can predict it too.
  const expected = Array.from({ length: 40 }, (_, i) => {
    const reply = decideFaults({ ...faults }, i + 1).reply;
    return reply === null ? 200 : reply.kind === 'rate_limit' ? 429 : 500;
  });
  assert.deepEqual(first, expected);
  await setFaults(sandbox, { ...faults, seed: 7 });
  assert.notDeepEqual(await statuses(sandbox, 40), first);
});

test('a faulted request is answered before it is handled, so nothing is written', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Nothing Written');
  const service = await sandbox.service('Mail Security');
  await sandbox.accounts({ id: 'a1', name: 'Contoso' });
  await setFaults(sandbox, { serverError: { everyNth: 1 } });
  const failed = await sandbox.count(service, 'a1', 9);
  assert.equal(failed.status, 500);
  assert.deepEqual(failed.body, {
    statusCode: 500,
    message: 'Internal server error',
    error: 'Internal Server Error',
  });
  assert.equal(failed.headers.get('tally-sandbox-fault'), 'server_error');
  const cleared = await setFaults(sandbox, {});
  assert.equal(cleared.faults, null);
  const retried = await sandbox.count(service, 'a1', 9);
  assert.equal(retried.status, 201);
  assert.equal(retried.body.data.previousUnitCount, null, 'the faulted count never landed');
  assert.equal(retried.body.data.revision, 1);
});

test('slow replies: a delay on every request, or on every Nth', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Slow');
  await setFaults(sandbox, { latencyMs: 300 });
  let started = performance.now();
  assert.equal((await sandbox.request('GET', '/api/vendor-api')).status, 200);
  assert.ok(performance.now() - started >= 290);

  const set = await setFaults(sandbox, { latencyMs: { ms: 400, everyNth: 2 }, seed: 3 });
  assert.deepEqual(set.faults, { latencyMs: { ms: 400, everyNth: 2 }, seed: 3 });
  assert.deepEqual((await sandbox.request('GET', '/api/vendor-api/sandbox/faults')).body, set);
  await sandbox.request('GET', '/api/vendor-api');
  started = performance.now();
  assert.equal((await sandbox.request('GET', '/api/vendor-api')).status, 200);
  assert.ok(performance.now() - started >= 390);
  const log = (await sandbox.request('GET', '/api/vendor-api/sandbox/requests?limit=2')).body.requests;
  assert.deepEqual(
    log.map((r: { fault: string | null }) => r.fault),
    ['latency', null],
  );
  assert.ok(log[0].durationMs >= 390);
});

test('faults that make no sense are refused with a clear message', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Refused Faults');
  const cases: [unknown, RegExp][] = [
    [{ rateLimit: {} }, /rateLimit needs exactly one of everyNth or probability/],
    [{ serverError: { everyNth: 2, probability: 0.5 } }, /exactly one/],
    [{ rateLimit: { everyNth: 0 } }, /rateLimit\.everyNth/],
    [{ serverError: { probability: 2 } }, /serverError\.probability/],
    [{ latencyMs: 999_999 }, /latencyMs/],
    [{ seed: -1 }, /seed/],
    [{ chaos: true }, /unknown property: chaos/],
  ];
  for (const [body, message] of cases) {
    const r = await sandbox.request('PUT', '/api/vendor-api/sandbox/faults', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.body.message, message);
  }
});

test('the request log records each vendor API request before its reply, newest first', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Recorded');
  const service = await sandbox.service('Endpoint Backup');
  const clock = (await sandbox.request('GET', '/api/vendor-api/sandbox/clock')).body;
  const unknownAccount = await sandbox.count(service, 'nobody', 1);
  assert.equal(unknownAccount.status, 404);
  const log = await sandbox.request('GET', '/api/vendor-api/sandbox/requests');
  assert.equal(log.status, 200);
  const [count, created] = log.body.requests;
  assert.equal(log.body.requests.length, 2, 'the sandbox routes themselves are not recorded');
  assert.equal(count.method, 'POST');
  assert.equal(count.path, `/api/vendor-api/service/${service}/count`);
  assert.equal(count.route, '/api/vendor-api/service/:serviceId/count');
  assert.equal(count.statusCode, 404);
  assert.deepEqual(JSON.parse(count.requestBody), { accountId: 'nobody', unitCount: 1 });
  assert.match(count.responseBody, /No account map found with id: nobody/);
  assert.equal(count.fault, null);
  assert.ok(Date.parse(count.at) >= Date.parse(clock.now) - 1000);
  assert.equal(created.statusCode, 201);
  assert.equal(created.route, '/api/vendor-api/service');
  assert.ok(count.id > created.id);

  const later = await sandbox.request('GET', `/api/vendor-api/sandbox/requests?afterId=${count.id}`);
  assert.deepEqual(later.body.requests, []);
  await sandbox.request('GET', '/api/vendor-api/organization');
  const newer = await sandbox.request('GET', `/api/vendor-api/sandbox/requests?afterId=${count.id}`);
  assert.deepEqual(
    newer.body.requests.map((r: { path: string }) => r.path),
    ['/api/vendor-api/organization'],
  );
  assert.equal((await sandbox.request('GET', '/api/vendor-api/sandbox/requests?limit=0')).status, 400);
  // A real vendor's requests are recorded nowhere.
  assert.equal((await call(t.baseUrl, 'GET', '/api/vendor-api', { token: real.token })).status, 200);
  assert.equal(
    (await sandbox.request('GET', `/api/vendor-api/sandbox/requests?afterId=${count.id}`)).body.requests
      .length,
    1,
  );
});

test('reset empties the sandbox and keeps its keys', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Reset Me');
  const service = await sandbox.service('Archive');
  await sandbox.accounts({ id: '7', name: 'Litware' });
  assert.equal((await sandbox.count(service, '7', 3)).status, 201);
  await sandbox.request('POST', '/api/vendor-api/billing/flush');
  await sandbox.advance({ seconds: 3600 });
  await setFaults(sandbox, { latencyMs: 1 });

  const reset = await sandbox.request('POST', '/api/vendor-api/sandbox/reset');
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  assert.equal(reset.body.reset, true);
  assert.equal(reset.body.offsetMs, 0);

  const vendor = await sandbox.request('GET', '/api/vendor-api');
  assert.equal(vendor.status, 200, 'the same token still works');
  assert.deepEqual(vendor.body.data.skus, []);
  assert.deepEqual((await sandbox.request('GET', '/api/vendor-api/organization/accounts')).body, []);
  const organization = (await sandbox.request('GET', '/api/vendor-api/organization')).body;
  assert.equal(organization.status, 'inactive');
  assert.equal(organization.lastSyncedAt, '1900-01-01T00:00:00.000Z');
  assert.deepEqual(organization.billing, {
    state: 'idle',
    unbuiltChanges: 0,
    dueAt: null,
    lastBuiltAt: null,
    builtRevision: 0,
    builds: 0,
  });
  assert.deepEqual((await sandbox.request('GET', '/api/vendor-api/sandbox/billing')).body.cards, []);
  assert.equal((await sandbox.request('GET', '/api/vendor-api/sandbox/faults')).body.faults, null);
  const companies = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', {
    bearer: sandbox.keys.partnerToken,
  });
  assert.deepEqual(companies.body, []);
  const history = await call(
    t.baseUrl,
    'GET',
    `/api/partner/integrations/${sandbox.keys.integrationId}/history`,
    {
      bearer: sandbox.keys.partnerToken,
    },
  );
  assert.deepEqual(history.body.entries, []);
  // The request log starts over with the requests made since.
  const log = (await sandbox.request('GET', '/api/vendor-api/sandbox/requests')).body.requests;
  assert.deepEqual(
    log.map((r: { path: string }) => r.path),
    ['/api/vendor-api/organization', '/api/vendor-api/organization/accounts', '/api/vendor-api'],
  );
  // And it works like new.
  const again = await sandbox.service('Archive');
  await sandbox.accounts({ id: '7', name: 'Litware' });
  const counted = await sandbox.count(again, '7', 4);
  assert.equal(counted.status, 201);
  assert.equal(counted.body.data.revision, 1);
});

test('sandbox routes answer 404 to vendors that are not sandboxes, and 401 without a token', async () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/vendor-api/sandbox/clock'],
    ['POST', '/api/vendor-api/sandbox/clock/advance', { seconds: 60 }],
    ['GET', '/api/vendor-api/sandbox/faults'],
    ['PUT', '/api/vendor-api/sandbox/faults', { serverError: { everyNth: 1 } }],
    ['POST', '/api/vendor-api/sandbox/reset'],
    ['GET', '/api/vendor-api/sandbox/requests'],
    ['GET', '/api/vendor-api/sandbox/billing'],
  ];
  for (const [method, path, body] of routes) {
    for (const token of [real.token, real.vendorToken]) {
      const r = await call(t.baseUrl, method, path, { token, body });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.deepEqual(r.body, {
        statusCode: 404,
        message: `Route ${method}:${path} not found`,
        error: 'Not Found',
      });
    }
    assert.equal(
      (await call(t.baseUrl, method, path, { body })).status,
      401,
      `${method} ${path} without a token`,
    );
  }
  // The real vendor was not slowed or faulted by any of that.
  assert.equal((await call(t.baseUrl, 'GET', '/api/vendor-api', { token: real.token })).status, 200);
});

test('a sandbox vendor never reaches a real partner, and a real partner never sees it', async () => {
  const sandbox = await SandboxClient.create(t.baseUrl, 'Isolated');
  const service = await sandbox.service('Isolated Backup');
  await sandbox.accounts({ id: 'x1', name: 'Real MSP Customer' });
  assert.equal((await sandbox.count(service, 'x1', 50)).status, 201);
  await sandbox.request('POST', '/api/vendor-api/billing/flush');

  // The operator cannot connect it to a real partner, nor a real vendor to its sandbox partner.
  const byAdmin = await call(t.baseUrl, 'POST', '/api/admin/integrations', {
    bearer: ADMIN_TOKEN,
    body: { vendorId: sandbox.keys.vendorId, partnerId: real.partnerId },
  });
  assert.equal(byAdmin.status, 409);
  assert.match(byAdmin.body.message, /sandbox/);
  const intoSandbox = await call(t.baseUrl, 'POST', '/api/admin/integrations', {
    bearer: ADMIN_TOKEN,
    body: { vendorId: real.vendorId, partnerId: sandbox.keys.partnerId },
  });
  assert.equal(intoSandbox.status, 409);
  const listed = await call(t.baseUrl, 'GET', '/api/admin/vendors', { bearer: ADMIN_TOKEN });
  const flags = new Map(listed.body.map((v: { id: string; sandbox: boolean }) => [v.id, v.sandbox]));
  assert.equal(flags.get(sandbox.keys.vendorId), true);
  assert.equal(flags.get(real.vendorId), false);
  // The real partner is not offered the sandbox vendor and cannot connect it.
  const offered = await call(t.baseUrl, 'GET', '/api/partner/vendors', { bearer: real.partnerToken });
  assert.equal(offered.status, 200);
  assert.ok(!offered.body.some((v: { id: string }) => v.id === sandbox.keys.vendorId));
  assert.ok(offered.body.some((v: { id: string }) => v.id === real.vendorId));
  const byPartner = await call(t.baseUrl, 'POST', '/api/partner/integrations', {
    bearer: real.partnerToken,
    body: { vendorId: sandbox.keys.vendorId },
  });
  assert.equal(byPartner.status, 409);
  // The sandbox partner sees its own vendor only.
  const own = await call(t.baseUrl, 'GET', '/api/partner/vendors', { bearer: sandbox.keys.partnerToken });
  assert.deepEqual(
    own.body.filter((v: { connected: boolean }) => v.connected).map((v: { id: string }) => v.id),
    [sandbox.keys.vendorId],
  );
  // Nothing of the sandbox is in the real partner's billing or ledger, before or after a reset.
  const realBoard = async () =>
    (await call(t.baseUrl, 'GET', '/api/partner/billing', { bearer: real.partnerToken })).body;
  const boardBefore = await realBoard();
  assert.deepEqual(boardBefore.cards, []);
  const realCompanies = await call(t.baseUrl, 'GET', '/api/partner/psa/companies', {
    bearer: real.partnerToken,
  });
  assert.deepEqual(realCompanies.body, []);
  await sandbox.request('POST', '/api/vendor-api/sandbox/reset');
  assert.deepEqual(await realBoard(), boardBefore);
  // The sandbox's token does not work on a real integration's key and vice versa.
  const mixed = await call(t.baseUrl, 'GET', '/api/vendor-api/organization', {
    token: Buffer.from(`${sandbox.keys.vendorKey}:${real.partnerKey}`).toString('base64'),
  });
  assert.equal(mixed.status, 401);
});

test('the sandbox routes are in the OpenAPI document with operationIds and response schemas', async () => {
  const doc = (await call(t.baseUrl, 'GET', '/api-docs/json')).body;
  const expected: Record<string, [string, string]> = {
    sandboxGetClock: ['get', '/api/vendor-api/sandbox/clock'],
    sandboxAdvanceClock: ['post', '/api/vendor-api/sandbox/clock/advance'],
    sandboxGetFaults: ['get', '/api/vendor-api/sandbox/faults'],
    sandboxSetFaults: ['put', '/api/vendor-api/sandbox/faults'],
    sandboxReset: ['post', '/api/vendor-api/sandbox/reset'],
    sandboxListRequests: ['get', '/api/vendor-api/sandbox/requests'],
    sandboxGetBilling: ['get', '/api/vendor-api/sandbox/billing'],
  };
  for (const [operationId, [method, path]] of Object.entries(expected)) {
    const operation = doc.paths[path]?.[method];
    assert.ok(operation, `${method} ${path}`);
    assert.equal(operation.operationId, operationId);
    assert.deepEqual(operation.tags, ['Sandbox']);
    assert.match(operation.description, /Tally extension/);
    for (const status of ['200', '400', '401', '404', '429'])
      assert.ok(operation.responses[status], `${path} ${status}`);
  }
});
