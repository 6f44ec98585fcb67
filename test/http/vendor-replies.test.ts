/**
 * The vendor API's replies are a contract (docs/vendor-api.md): every route's status, the headers
 * clients read and the body must stay what they were when this fixture was recorded, whatever
 * changes in how the routes are declared (response schemas drop properties they do not list).
 * Key order is not part of the contract, so bodies are compared with their keys sorted.
 *
 * Re-record only when the contract itself changes: TALLY_RECORD_VENDOR_REPLIES=1 node scripts/test.mjs vendor-replies
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { countingIds } from '../support/counting-ids.js';
import { ManualClock } from '../support/manual-clock.js';

const FIXTURE = new URL('./fixtures/vendor-replies.json', import.meta.url);
/** The headers vendor clients act on. */
const HEADERS = [
  'content-type',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'idempotent-replayed',
];

interface Exchange {
  step: string;
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** JSON with every object's keys sorted, so key order does not count as a difference. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

class Recorder {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly t: TestServer) {}

  async send(
    step: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) {
    const r = await call(this.t.baseUrl, method, path, options);
    const headers: Record<string, string> = {};
    for (const name of HEADERS) {
      const value = r.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    this.exchanges.push({ step, method, path, status: r.status, headers, body: canonical(r.body) });
    return r;
  }
}

/** Every vendor route, its successes and its refusals, in one deterministic story. */
async function scenario(t: TestServer, f: Fixture, rec: Recorder): Promise<void> {
  const v = f.vendorToken;
  const i = f.token;
  const send = rec.send.bind(rec);

  await send('vendor: get', 'GET', '/api/vendor-api', { token: v });
  await send('vendor: no token', 'GET', '/api/vendor-api');
  await send('vendor: bad token', 'GET', '/api/vendor-api', { token: 'bm9wZTpub3Bl' });
  await send('vendor: patch', 'PATCH', '/api/vendor-api', {
    token: v,
    body: { name: 'Acme Backup Cloud', vendorSupportPageUrl: 'https://acme.example/support' },
  });
  await send('vendor: patch mistyped', 'PATCH', '/api/vendor-api', { token: v, body: { name: 5 } });

  const created = await send('service: create', 'POST', '/api/vendor-api/service', {
    token: v,
    body: { name: 'Cloud Backup', description: 'Per seat', category: 'backup', subcategory: 'cloud backup' },
  });
  const skuId = created.body.skus[0].id as string;
  await send('service: create second', 'POST', '/api/vendor-api/service', {
    token: i,
    body: {
      name: 'Mail Filter',
      description: '',
      category: 'security',
      subcategory: 'email security',
      supportArticle: 'https://acme.example/kb/1',
      supportContact: 'help@acme.example',
    },
  });
  await send('service: create bad category', 'POST', '/api/vendor-api/service', {
    token: v,
    body: { name: 'X', description: '', category: 'Backup', subcategory: 'cloud backup' },
  });
  await send('service: get', 'GET', `/api/vendor-api/service/${skuId}`, { token: v });
  await send('service: get unknown', 'GET', '/api/vendor-api/service/ffffffffffffffffffffffff', { token: v });
  await send('service: patch', 'PATCH', `/api/vendor-api/service/${skuId}`, {
    token: v,
    body: { description: 'Per protected seat' },
  });
  await send('service: patch bad subcategory', 'PATCH', `/api/vendor-api/service/${skuId}`, {
    token: v,
    body: { subcategory: 'nope' },
  });

  await send('organization: get', 'GET', '/api/vendor-api/organization', { token: i });
  await send('organization: vendor half only', 'GET', '/api/vendor-api/organization', { token: v });
  await send('organization: status', 'PATCH', '/api/vendor-api/organization/status/pending', { token: i });
  await send('organization: status with body', 'PATCH', '/api/vendor-api/organization/status/active', {
    token: i,
    body: {},
  });
  await send('organization: bad status', 'PATCH', '/api/vendor-api/organization/status/Active', { token: i });

  const nowMs = t.server.ctx.clock.nowMs();
  const companyIds: string[] = [];
  for (const name of ['Contoso', 'Fabrikam', 'Northwind']) {
    const id = t.server.ctx.ids.objectId();
    await t.store.insertCompany({ id, partnerId: f.partnerId, name, createdAtMs: nowMs });
    companyIds.push(id);
  }
  await send('clients: list', 'GET', '/api/vendor-api/organization/clients', { token: i });
  await send('clients: search', 'GET', '/api/vendor-api/organization/clients?search=FAB', { token: i });
  await send('clients: after', 'GET', `/api/vendor-api/organization/clients?previousId=${companyIds[0]}`, {
    token: i,
  });

  await send('accounts: create list', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    body: [
      { id: 101, name: 'Contoso' },
      { id: '102', name: 'Fabrikam', description: null, isArrears: true },
    ],
  });
  await send('accounts: create one object', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    body: { id: 'nw-1', name: 'Northwind', description: 'Northwind Traders' },
  });
  await send('accounts: create again is an update', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    body: [{ id: 101, name: 'Contoso Ltd' }],
  });
  await send('accounts: duplicate ids', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    body: [
      { id: 7, name: 'A' },
      { id: '7', name: 'B' },
    ],
  });
  await send('accounts: missing name', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    body: [{ id: 8 }],
  });
  await send('accounts: patch one', 'PATCH', '/api/vendor-api/organization/accounts/102', {
    token: i,
    body: { description: 'Fabrikam Inc', isArrears: false },
  });
  await send('accounts: patch unknown', 'PATCH', '/api/vendor-api/organization/accounts/999', {
    token: i,
    body: { name: 'Ghost' },
  });
  await send('accounts: patch many', 'PATCH', '/api/vendor-api/organization/accounts', {
    token: i,
    body: [
      { id: 101, name: 'Contoso Group' },
      { id: 'nw-1', isActive: false },
    ],
  });

  await send('org services: create', 'POST', '/api/vendor-api/organization/services', {
    token: i,
    body: [{ id: 'os-1', name: 'Backup add-on', isArrears: true }],
  });
  await send('org services: create existing', 'POST', '/api/vendor-api/organization/services', {
    token: i,
    body: { id: 'os-1', name: 'Backup add-on' },
  });
  await send('org services: patch one', 'PATCH', '/api/vendor-api/organization/services/os-1', {
    token: i,
    body: { description: 'Extra retention' },
  });
  await send('org services: patch many', 'PATCH', '/api/vendor-api/organization/services', {
    token: i,
    body: { id: 'os-1', isArrears: false },
  });
  await send('org services: list', 'GET', '/api/vendor-api/organization/services', { token: i });

  // The partner maps account 101 and the first SKU; everything else stays unmapped.
  const productId = t.server.ctx.ids.objectId();
  await t.store.insertProduct({
    id: productId,
    partnerId: f.partnerId,
    name: 'Backup seat',
    unitPriceMicros: 5_000_000,
    unitCostMicros: 3_000_000,
    createdAtMs: nowMs,
  });
  const map = (kind: 'account' | 'service', itemId: string, targetId: string) =>
    t.store.putMapping({
      integrationId: f.integrationId,
      kind,
      itemId,
      targetId,
      excluded: false,
      updatedAtMs: nowMs,
    });
  await map('account', '101', companyIds[0] as string);
  await map('service', skuId, productId);

  await send('accounts: list', 'GET', '/api/vendor-api/organization/accounts', { token: i });
  await send(
    'accounts: list mapped by id',
    'GET',
    '/api/vendor-api/organization/accounts?accountIds=101,102&returnUnmapped=false',
    { token: i },
  );
  await send('accounts: bad flag', 'GET', '/api/vendor-api/organization/accounts?returnUnmapped=maybe', {
    token: i,
  });

  const count = `/api/vendor-api/service/${skuId}/count`;
  await send('count: set', 'POST', count, { token: i, body: { accountId: 101, unitCount: 12 } });
  await send('count: set again, no build', 'POST', `${count}?no_build=true`, {
    token: i,
    body: { accountId: '101', unitCount: 12.5 },
  });
  await send('count: unmapped account', 'POST', count, { token: i, body: { accountId: 102, unitCount: 1 } });
  await send('count: unmapped service', 'POST', '/api/vendor-api/service/os-1/count', {
    token: i,
    body: { accountId: 101, unitCount: 1 },
  });
  await send('count: bad service id', 'POST', '/api/vendor-api/service/abc/count', {
    token: i,
    body: { accountId: 101, unitCount: 1 },
  });
  await send('count: string count', 'POST', count, { token: i, body: { accountId: 101, unitCount: '3' } });
  await send('count: negative', 'POST', count, { token: i, body: { accountId: 101, unitCount: -1 } });
  await send('count: no account', 'POST', count, { token: i, body: { unitCount: 1 } });
  await send('count: malformed json', 'POST', count, { token: i, raw: '{"accountId":' });
  await send('count: vendor half only', 'POST', count, { token: v, body: { accountId: 101, unitCount: 1 } });
  const keyed = { 'Idempotency-Key': 'sync-2026-11-02' };
  await send('count: keyed', 'POST', count, {
    token: i,
    body: { accountId: 101, unitCount: 14 },
    headers: keyed,
  });
  await send('count: keyed replay', 'POST', count, {
    token: i,
    body: { accountId: 101, unitCount: 14 },
    headers: keyed,
  });
  await send('count: keyed other body', 'POST', count, {
    token: i,
    body: { accountId: 101, unitCount: 15 },
    headers: keyed,
  });
  await send('count: client id', 'POST', count, {
    token: i,
    body: { clientOId: companyIds[0], unitCount: 16 },
  });
  await send('flush', 'POST', '/api/vendor-api/billing/flush', { token: i });
  await send('organization: after flush', 'GET', '/api/vendor-api/organization', { token: i });

  const alert = await send('alert: create', 'POST', '/api/vendor-api/alerting/101', {
    token: i,
    body: { title: 'Backup failed', description: 'Two nights in a row', alertId: 55, priority: 3 },
  });
  await send('alert: unmapped account', 'POST', '/api/vendor-api/alerting/102', {
    token: i,
    body: { title: 'Backup failed', description: '', alertId: 'a-2' },
  });
  await send('alert: bad priority', 'POST', '/api/vendor-api/alerting/101', {
    token: i,
    body: { title: 'Backup failed', description: '', alertId: 'a-3', priority: 9 },
  });
  await send('alert: debug', 'GET', `/api/vendor-api/alerting/debug/${alert.body.messageId}`, { token: i });
  await send('alert: debug unknown', 'GET', '/api/vendor-api/alerting/debug/nope', { token: i });

  await send('too large', 'POST', '/api/vendor-api/organization/accounts', {
    token: i,
    raw: JSON.stringify([{ id: 1, name: 'x'.repeat(5000) }]),
  });
  await send('unknown route', 'GET', '/api/vendor-api/nope', { token: i });
  // The limit is 100 a second and the clock stands still, so a burst finds the limit.
  for (let n = 0; n < 100; n++) {
    const r = await call(t.baseUrl, 'GET', '/api/vendor-api/organization/services', { token: i });
    if (r.status === 429) break;
  }
  await send('rate limited', 'GET', '/api/vendor-api/organization/services', { token: i });
}

test('every vendor route replies as recorded in the fixture (status, headers clients read, body)', async () => {
  const t = await startServer({
    clock: new ManualClock(),
    ids: countingIds(),
    config: { bodyLimitBytes: 4096, buildPollMs: 3_600_000, alertPollMs: 3_600_000 },
  });
  try {
    const f = await seedIntegration(t.server);
    const rec = new Recorder(t);
    await scenario(t, f, rec);
    if (process.env.TALLY_RECORD_VENDOR_REPLIES === '1') {
      writeFileSync(FIXTURE, JSON.stringify(rec.exchanges, null, 2) + '\n');
    }
    assert.ok(existsSync(FIXTURE), 'the fixture exists (record it once, see the top of this file)');
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Exchange[];
    assert.equal(rec.exchanges.length, recorded.length, 'the scenario makes as many calls as recorded');
    for (const [n, now] of rec.exchanges.entries()) {
      assert.deepEqual(now, recorded[n], `step "${now.step}" replies as recorded`);
    }
  } finally {
    await t.close();
  }
});
