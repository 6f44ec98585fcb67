/**
 * The client against a real `tally serve` (SQLite in a temporary directory): the operator sets up a
 * vendor and a partner through the admin API, the partner maps through the partner API, and the
 * vendor works only through this client.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { TallyApiError, TallyVendorClient } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ADMIN_TOKEN = 'client-test-admin-token-0123456789';
/** Low, so a burst meets the limit and the client has to wait it out. */
const RATE_PER_SECOND = 5;

let server: ChildProcess;
let dir: string;
let baseUrl: string;
let keys: { vendorKey: string; partnerKey: string; partnerToken: string };

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

async function http(method: string, path: string, bearer: string, body?: unknown) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, string>;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tally-client-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['bin/tally.js', 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      TALLY_DB: join(dir, 'tally.db'),
      TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      TALLY_RATE_LIMIT_PER_SECOND: String(RATE_PER_SECOND),
      // Retrying clients are the point here, so the 429-abuse block must not cut in.
      TALLY_RATE_LIMIT_ABUSE_LIMIT: '1000',
      TALLY_BUILD_QUIET_MS: '50',
      TALLY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 400 || server.exitCode !== null) throw new Error('tally serve did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const vendor = await http('POST', '/api/admin/vendors', ADMIN_TOKEN, { name: 'Client Test Backup' });
  const partner = await http('POST', '/api/admin/partners', ADMIN_TOKEN, { name: 'Client Test MSP' });
  const link = await http('POST', '/api/admin/integrations', ADMIN_TOKEN, {
    vendorId: vendor.vendorId,
    partnerId: partner.partnerId,
  });
  keys = {
    vendorKey: vendor.vendorKey as string,
    partnerKey: link.partnerKey as string,
    partnerToken: partner.partnerToken as string,
  };
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A client whose calls are recorded as the statuses the server answered. */
function recordingClient(options: { loseReplyOfKey?: string } = {}) {
  const statuses: number[] = [];
  const waits: number[] = [];
  let lose = options.loseReplyOfKey;
  const client = new TallyVendorClient({
    baseUrl: `${baseUrl}/api`,
    vendorKey: keys.vendorKey,
    partnerKey: keys.partnerKey,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      // The server applied the request, but the reply never reaches the client.
      const key = new Headers(init?.headers).get('idempotency-key');
      if (lose !== undefined && key === lose && response.ok) {
        lose = undefined;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    },
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, ms));
    },
  });
  return { client, statuses, waits };
}

test('a vendor pushes its catalogue, accounts and counts with typed replies', async () => {
  const { client } = recordingClient();
  const created = await client.createService({
    name: 'Cloud Backup',
    description: 'Per seat',
    category: 'backup',
    subcategory: 'cloud backup',
  });
  const sku = created.skus.find((s) => s.name === 'Cloud Backup');
  assert.ok(sku, 'the reply lists the new SKU');
  assert.equal((await client.getVendor()).data.name, 'Client Test Backup');

  const accounts = await client.createAccounts([{ id: 101, name: 'Contoso' }]);
  assert.deepEqual(
    accounts.map((a) => [a.id, a.isMapped]),
    [['101', false]],
  );
  const refused = await client
    .setUnitCount(sku.id, { accountId: 101, unitCount: 3 })
    .catch((e: unknown) => e);
  assert.ok(refused instanceof TallyApiError);
  assert.equal(refused.status, 404);
  assert.equal(refused.message, 'No account map found with id: 101');

  // The partner maps the account and the service.
  const company = await http('POST', '/api/partner/psa/companies', keys.partnerToken, { name: 'Contoso' });
  const product = await http('POST', '/api/partner/psa/products', keys.partnerToken, { name: 'Backup seat' });
  const integration = await client.getIntegration();
  const base = `/api/partner/integrations/${integration.integrationId}`;
  await http('PUT', `${base}/accounts/101/mapping`, keys.partnerToken, { companyId: company.id });
  await http('PUT', `${base}/services/${sku.id}/mapping`, keys.partnerToken, { productId: product.id });

  const set = await client.setUnitCount(sku.id, { accountId: 101, unitCount: 12 });
  assert.equal(set.status, 201);
  assert.equal(set.data.unitCount, 12);
  assert.equal((await client.listAccounts({ returnUnmapped: false }))[0]?.mappingId, company.id);
  const flushed = await client.flushBilling();
  assert.equal(flushed.data.billing.state, 'idle');
  assert.equal((await client.getIntegration()).status, 'active');
});

test('a reply lost after the count was applied is retried with the same key and not applied twice', async () => {
  const { client, statuses } = recordingClient({ loseReplyOfKey: 'sync-1' });
  const sku = (await client.getVendor()).data.skus[0];
  assert.ok(sku);
  const before = await client.setUnitCount(sku.id, { accountId: 101, unitCount: 20 });
  const again = await client.setUnitCount(
    sku.id,
    { accountId: 101, unitCount: 21 },
    { idempotencyKey: 'sync-1' },
  );
  assert.deepEqual(statuses, [200, 201, 201, 201], 'the lost reply was sent again and replayed');
  assert.equal(again.data.revision, before.data.revision + 1, 'applied once');
  assert.equal(again.data.previousUnitCount, 20);
});

test('a burst over the rate limit succeeds: each 429 is waited out for its Retry-After', async () => {
  const { client, statuses, waits } = recordingClient();
  const sku = (await client.getVendor()).data.skus[0];
  assert.ok(sku);
  const replies = [];
  for (let n = 0; n < RATE_PER_SECOND * 2; n++) {
    replies.push(
      await client.setUnitCount(sku.id, { accountId: 101, unitCount: 100 + n }, { noBuild: true }),
    );
  }
  assert.ok(replies.every((r) => r.status === 201));
  assert.ok(statuses.includes(429), `the limit was met: ${statuses.join(',')}`);
  assert.ok(
    waits.length > 0 && waits.every((ms) => ms >= 1000),
    `waited Retry-After seconds: ${waits.join(',')}`,
  );
  assert.equal(replies.at(-1)?.data.unitCount, 100 + RATE_PER_SECOND * 2 - 1);
});
