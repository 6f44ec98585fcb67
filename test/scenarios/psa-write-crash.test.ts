import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAccounts } from '../../src/core/accounts/create-items.js';
import { systemClock } from '../../src/core/clock.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { createService } from '../../src/core/vendors/services.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { FakeConnectWise } from '../fakes/connectwise.js';
import { call, seedIntegration } from '../support/harness.js';
import { startServerProcess, stopProcess } from '../support/process.js';
import { connectBody, testSecretKey } from '../support/psa.js';
import { sendCount } from '../support/world.js';

const COMPANIES = 40;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(50);
  }
}

test('SIGKILL during a bulk write-back, then restart: every approved quantity is written exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-psa-crash-'));
  const file = join(dir, 'tally.db');
  const cw = await new FakeConnectWise().start();
  try {
    const item = cw.addCatalogItem('EDR', 'Endpoint protection');
    const additions = Array.from({ length: COMPANIES }, (_, i) => {
      const company = cw.addCompany(`Customer ${i}`);
      return { company, addition: cw.addAddition(cw.addAgreement(company, 'MSA'), item, 1) };
    });

    // The vendor side, made through the core before the server starts.
    const seedStore = await openSqliteStore({ file });
    const ctx = { store: seedStore, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
    const f = await seedIntegration({ ctx });
    const vendor = await seedStore.getVendor(f.vendorId);
    const integration = await seedStore.getIntegration(f.integrationId);
    assert.ok(vendor && integration);
    const sku = await createService(ctx, vendor, {
      name: 'EDR seat',
      description: '',
      category: 'security',
      subcategory: 'edr',
    });
    await createAccounts(
      ctx,
      integration,
      additions.map((_, i) => ({
        id: `acct-${i}`,
        name: `Customer ${i}`,
        description: '',
        isArrears: false,
      })),
    );
    await seedStore.close();

    const env = { TALLY_SECRET_KEY: testSecretKey(), TALLY_RATE_LIMIT_PER_SECOND: '10000' };
    const args = ['--db', file, '--build-quiet-ms', '0'];
    const first = await startServerProcess(args, env);
    const partner = (base: string, method: string, path: string, body?: unknown) =>
      call(base, method, `/api/partner${path}`, { bearer: f.partnerToken, body });

    assert.equal((await partner(first.baseUrl, 'PUT', '/psa/connection', connectBody(cw))).status, 200);
    assert.equal((await partner(first.baseUrl, 'POST', '/psa/connection/sync', { full: true })).status, 202);
    await until('the sync', async () => {
      const state = (await partner(first.baseUrl, 'GET', '/psa/connection')).body.lastSync?.state;
      return state === 'succeeded' ? true : undefined;
    });
    const companies = (await partner(first.baseUrl, 'GET', '/psa/companies')).body as {
      id: string;
      externalId: string;
    }[];
    const products = (await partner(first.baseUrl, 'GET', '/psa/products')).body as { id: string }[];
    const base = `/integrations/${f.integrationId}`;
    const productId = products[0]?.id as string;
    assert.equal(
      (await partner(first.baseUrl, 'PUT', `${base}/services/${sku.id}/mapping`, { productId })).status,
      200,
    );
    const target = new Map<number, number>();
    for (const [i, { company, addition }] of additions.entries()) {
      const companyId = companies.find((c) => c.externalId === String(company.id))?.id;
      const mapped = await partner(first.baseUrl, 'PUT', `${base}/accounts/acct-${i}/mapping`, { companyId });
      assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
      assert.equal((await sendCount(first.baseUrl, f, sku.id, `acct-${i}`, 10 + i)).status, 201);
      target.set(addition.id, 10 + i);
    }
    const cardIds = await until('the cards', async () => {
      const cards = (await partner(first.baseUrl, 'GET', '/billing')).body.cards as {
        id: string;
        vendorQuantity: number;
      }[];
      return cards.length === COMPANIES && cards.every((c) => c.vendorQuantity >= 10)
        ? cards.map((c) => c.id)
        : undefined;
    });

    // Slow writes, so the kill lands in the middle of the bulk write-back.
    cw.latencyMs = 40;
    const approved = await partner(first.baseUrl, 'POST', '/billing/actions', { cardIds, action: 'approve' });
    assert.equal(approved.status, 200);
    assert.ok(approved.body.results.every((r: { ok: boolean; psaWriteId?: string }) => r.ok && r.psaWriteId));
    await until('some writes to land', async () => (cw.patchesApplied.size >= 5 ? true : undefined));
    await stopProcess(first.child, 'SIGKILL');
    const landedBeforeKill = cw.patchesApplied.size;
    assert.ok(landedBeforeKill < COMPANIES, `killed mid-way (${landedBeforeKill} landed)`);

    const second = await startServerProcess(args, env);
    try {
      await until('every write to settle', async () => {
        const listed = await partner(second.baseUrl, 'GET', '/psa/writes?state=pending');
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        const pending = listed.body.writes;
        return pending.length === 0 ? true : undefined;
      });
      const writes = (await partner(second.baseUrl, 'GET', '/psa/writes?limit=1000')).body.writes as {
        state: string;
      }[];
      assert.equal(writes.length, COMPANIES);
      assert.deepEqual(
        writes.filter((w) => w.state !== 'written'),
        [],
      );
      for (const [additionId, quantity] of target) {
        assert.equal(cw.additions.get(additionId)?.quantity, quantity);
        const patches = cw.requests.filter(
          (r) => r.method === 'PATCH' && r.path.endsWith(`/additions/${additionId}`),
        ).length;
        assert.equal(patches, 1, `addition ${additionId} was patched once`);
      }
      const cards = (await partner(second.baseUrl, 'GET', '/billing?includeActioned=true')).body.cards as {
        state: string;
        psaWrite: { state: string };
      }[];
      assert.ok(cards.every((c) => c.state === 'no_change' && c.psaWrite.state === 'written'));
    } finally {
      await stopProcess(second.child);
    }
  } finally {
    await cw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
