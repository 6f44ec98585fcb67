/**
 * The store contract for vendor sandboxes: the sandbox row and its lookups, the fault sequence,
 * the request log's order, paging and size, due builds on each sandbox's clock, and the wipe.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxRecord } from '../../src/core/sandbox/store.js';
import { T0_MS, buildState, describeEachStore, seedBase } from './contract-support.js';

const sandboxRecord = (suffix: string, overrides: Partial<SandboxRecord> = {}): SandboxRecord => ({
  integrationId: `integration${suffix}`,
  vendorId: `vendor${suffix}`,
  partnerId: `partner${suffix}`,
  clockOffsetMs: 0,
  faults: null,
  faultSequence: 0,
  createdAtMs: T0_MS,
  ...overrides,
});

const request = (integrationId: string, n: number) => ({
  integrationId,
  atMs: T0_MS + n,
  method: 'POST',
  path: `/api/vendor-api/service/s/count?n=${n}`,
  route: '/api/vendor-api/service/:serviceId/count',
  statusCode: 201,
  durationMs: 1.5,
  fault: n % 2 === 0 ? 'latency' : null,
  requestId: `r${n}`,
  requestBody: `{"unitCount":${n}}`,
  responseBody: null,
});

describeEachStore('sandbox store', ({ store }) => {
  test('a sandbox is found by its integration, vendor and partner; real ones are not', async () => {
    await seedBase(store(), 'S');
    await seedBase(store(), 'R');
    const faults = { serverError: { everyNth: 2 }, latencyMs: { ms: 5, probability: 0.5 }, seed: 9 };
    await store().insertSandbox(sandboxRecord('S', { faults }));
    const found = await store().getSandbox('integrationS');
    assert.deepEqual(found, sandboxRecord('S', { faults }));
    assert.deepEqual(await store().findSandboxOfVendor('vendorS'), found);
    assert.deepEqual(await store().findSandboxOfPartner('partnerS'), found);
    assert.equal(await store().getSandbox('integrationR'), undefined);
    assert.equal(await store().findSandboxOfVendor('vendorR'), undefined);
    assert.deepEqual(await store().listSandboxVendorIds(), ['vendorS']);
    await store().setSandboxClockOffset('integrationS', 86_400_000_123);
    assert.equal((await store().getSandbox('integrationS'))?.clockOffsetMs, 86_400_000_123);
  });

  test('the fault sequence counts up from 1 and starts over when faults are set', async () => {
    await seedBase(store(), 'S');
    await store().insertSandbox(sandboxRecord('S'));
    assert.deepEqual(
      [await store().nextFaultSequence('integrationS'), await store().nextFaultSequence('integrationS')],
      [1, 2],
    );
    await store().setSandboxFaults('integrationS', { rateLimit: { everyNth: 3 }, seed: 1 });
    const set = await store().getSandbox('integrationS');
    assert.deepEqual(set?.faults, { rateLimit: { everyNth: 3 }, seed: 1 });
    assert.equal(set?.faultSequence, 0);
    assert.equal(await store().nextFaultSequence('integrationS'), 1);
    await store().setSandboxFaults('integrationS', null);
    assert.equal((await store().getSandbox('integrationS'))?.faults, null);
  });

  test('the request log is newest first, pages after an id and keeps the newest entries', async () => {
    await seedBase(store(), 'S');
    await seedBase(store(), 'T');
    await store().insertSandbox(sandboxRecord('S'));
    await store().insertSandbox(sandboxRecord('T'));
    for (let n = 1; n <= 7; n++) await store().insertSandboxRequest(request('integrationS', n), 5);
    await store().insertSandboxRequest(request('integrationT', 99), 5);
    const kept = await store().listSandboxRequests('integrationS', { limit: 100 });
    assert.deepEqual(
      kept.map((r) => r.requestId),
      ['r7', 'r6', 'r5', 'r4', 'r3'],
    );
    const { id: _id, ...newest } = kept[0] as (typeof kept)[number];
    assert.deepEqual(newest, request('integrationS', 7));
    const after = await store().listSandboxRequests('integrationS', {
      afterId: (kept[2] as { id: number }).id,
      limit: 1,
    });
    assert.deepEqual(
      after.map((r) => r.requestId),
      ['r7'],
    );
    assert.equal((await store().listSandboxRequests('integrationT', { limit: 10 })).length, 1);
  });

  test("due sandbox builds are found on each sandbox's own clock", async () => {
    await seedBase(store(), 'A');
    await seedBase(store(), 'B');
    await seedBase(store(), 'R');
    await store().insertSandbox(sandboxRecord('A', { clockOffsetMs: 3_600_000 }));
    await store().insertSandbox(sandboxRecord('B'));
    // Due an hour ahead of the server: on A's clock, which runs an hour ahead, that is now.
    await store().insertBuildState(buildState('integrationA', { dueAtMs: T0_MS + 3_600_000 }));
    await store().insertBuildState(buildState('integrationB', { dueAtMs: T0_MS + 3_600_000 }));
    // A real integration, due now, is the scheduler's, not the sandbox runner's.
    await store().insertBuildState(buildState('integrationR', { dueAtMs: T0_MS }));
    assert.deepEqual(await store().listDueSandboxBuilds(T0_MS, 10), ['integrationA']);
    await store().updateBuildState(buildState('integrationA', { buildingUntilMs: T0_MS + 3_600_001 }));
    assert.deepEqual(await store().listDueSandboxBuilds(T0_MS, 10), [], 'a live lease on its clock');
    assert.deepEqual(await store().listDueSandboxBuilds(T0_MS + 1, 10), ['integrationA'], 'a lapsed lease');
  });

  test('wiping a sandbox empties what it holds and nothing of anybody else', async () => {
    const s = await seedBase(store(), 'S');
    const r = await seedBase(store(), 'R');
    await store().insertSandbox(sandboxRecord('S'));
    for (const { integrationId, partnerId } of [s, r]) {
      await store().upsertAccount({
        integrationId,
        id: 'a1',
        name: 'A',
        description: '',
        isActive: true,
        isArrears: false,
        createdAtMs: T0_MS,
        updatedAtMs: T0_MS,
      });
      await store().insertCompany({ id: `c-${partnerId}`, partnerId, name: 'C', createdAtMs: T0_MS });
      await store().putMapping({
        integrationId,
        kind: 'account',
        itemId: 'a1',
        targetId: `c-${partnerId}`,
        excluded: false,
        updatedAtMs: T0_MS,
      });
    }
    await store().insertSandboxRequest(request(s.integrationId, 1), 10);
    await store().touchIntegrationSync(s.integrationId, T0_MS);
    await store().wipeSandbox(sandboxRecord('S'));
    assert.deepEqual(await store().listAccounts(s.integrationId), []);
    assert.deepEqual(await store().listMappings(s.integrationId, 'account'), []);
    assert.equal((await store().listCompanies(s.partnerId, {})).total, 0);
    assert.deepEqual(await store().listSandboxRequests(s.integrationId, { limit: 10 }), []);
    assert.equal((await store().getIntegration(s.integrationId))?.lastSyncedAtMs, null);
    assert.ok(await store().getSandbox(s.integrationId), 'the sandbox itself stays');
    assert.equal((await store().listAccounts(r.integrationId)).length, 1);
    assert.equal((await store().listMappings(r.integrationId, 'account')).length, 1);
    assert.equal((await store().listCompanies(r.partnerId, {})).total, 1);
  });
});
