import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CountWriter } from '../../src/core/counts/count-writer.js';
import type { TallyError } from '../../src/core/errors.js';
import type { Store } from '../../src/core/ports.js';
import { seedIntegration, startServer } from '../support/harness.js';
import { mappedWorld } from '../support/world.js';

const WINDOW = { quietMs: 2000, maxWaitMs: 30000 };

async function setup() {
  const t = await startServer({ config: { buildPollMs: 60_000 } });
  const f = await seedIntegration(t.server);
  const world = await mappedWorld(t.server, f, { accounts: 3, services: 1 });
  const integration = await t.server.ctx.store.getIntegration(f.integrationId);
  assert.ok(integration);
  const input = (accountId: string, unitCount: number, serviceId = world.skuIds[0] as string) => ({
    integration,
    serviceId,
    account: { accountId },
    unitCount,
    noBuild: false,
    requestId: `r-${unitCount}`,
    idempotency: null,
  });
  return { t, f, world, input };
}

/** The same store, counting transactions and optionally failing each one after its work. */
const instrumented = (store: Store, options: { failCommit?: boolean } = {}) => {
  const stats = { transactions: 0 };
  const wrapped: Store = {
    ...store,
    transaction: (fn) =>
      store.transaction(async (tx) => {
        stats.transactions++;
        const result = await fn(tx);
        if (options.failCommit) throw new Error('disk full');
        return result;
      }),
    // The batch path: its plan runs inside the transaction, after the reads and before the writes.
    writeCountBatch: (keys, plan) =>
      store.writeCountBatch(keys, (snapshot) => {
        stats.transactions++;
        const planned = plan(snapshot);
        if (options.failCommit) throw new Error('disk full');
        return planned;
      }),
  };
  return { wrapped, stats };
};

test('concurrent counts commit together, and one refusal does not spoil its batch', async () => {
  const { t, f, world, input } = await setup();
  try {
    const { wrapped, stats } = instrumented(t.server.ctx.store);
    const writer = new CountWriter({ ...t.server.ctx, store: wrapped }, WINDOW);
    const submissions = [
      ...world.accountIds.map((a, i) => writer.submit(input(a, i + 1))),
      writer.submit(input('nobody', 9)),
      writer.submit(input(world.accountIds[0] as string, 5, 'not-an-id')),
      ...world.accountIds.map((a, i) => writer.submit(input(a, i + 10))),
    ];
    const settled = await Promise.allSettled(submissions);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const refusals = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as TallyError] : []));
    assert.deepEqual(
      refusals.map((e) => e.code),
      ['not_found', 'invalid_id'],
    );
    assert.ok(
      stats.transactions < submissions.length,
      `expected batching, got ${stats.transactions} transactions`,
    );
    for (const [i, a] of world.accountIds.entries()) {
      assert.equal(
        (await t.server.ctx.store.getCount(f.integrationId, a, world.skuIds[0] as string))?.unitCount,
        i + 10,
      );
    }
    assert.equal((await t.server.ctx.store.getBuildState(f.integrationId))?.revision, 6);
  } finally {
    await t.close();
  }
});

test('a failed commit fails every count of its batch and leaves nothing behind', async () => {
  const { t, f, world, input } = await setup();
  try {
    const { wrapped } = instrumented(t.server.ctx.store, { failCommit: true });
    const writer = new CountWriter({ ...t.server.ctx, store: wrapped }, WINDOW);
    const settled = await Promise.allSettled(world.accountIds.map((a) => writer.submit(input(a, 4))));
    assert.ok(settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'disk full'));
    assert.deepEqual(await t.server.ctx.store.listCounts(f.integrationId), []);
    assert.equal((await t.server.ctx.store.getBuildState(f.integrationId))?.revision, 0);
    assert.deepEqual(await t.server.ctx.store.listHistory(f.integrationId, { limit: 10 }), []);
  } finally {
    await t.close();
  }
});

test('with several lanes each integration keeps its order and every count commits', async () => {
  const { t, f, world, input } = await setup();
  try {
    const g = await seedIntegration(t.server, { vendor: 'Second Vendor', partner: 'Second MSP' });
    const other = await mappedWorld(t.server, g, { accounts: 1, services: 1 });
    const otherIntegration = await t.server.ctx.store.getIntegration(g.integrationId);
    assert.ok(otherIntegration);
    const writer = new CountWriter(t.server.ctx, WINDOW, { lanes: 4, maxBatch: 7 });
    const submissions = [];
    for (let value = 1; value <= 40; value++) {
      submissions.push(writer.submit(input(world.accountIds[0] as string, value)));
      submissions.push(
        writer.submit({
          ...input(other.accountIds[0] as string, value, other.skuIds[0]),
          integration: otherIntegration,
        }),
      );
    }
    const results = await Promise.all(submissions);
    const revisionsOf = (integrationId: string) =>
      results
        .filter((_, i) => (i % 2 === 0 ? f.integrationId : g.integrationId) === integrationId)
        .map((r) => r.revision);
    // Submission order is commit order within an integration: revisions rise with the values sent.
    assert.deepEqual(
      revisionsOf(f.integrationId),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      revisionsOf(g.integrationId),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.equal(
      (
        await t.server.ctx.store.getCount(
          f.integrationId,
          world.accountIds[0] as string,
          world.skuIds[0] as string,
        )
      )?.unitCount,
      40,
    );
    assert.equal(
      (
        await t.server.ctx.store.getCount(
          g.integrationId,
          other.accountIds[0] as string,
          other.skuIds[0] as string,
        )
      )?.unitCount,
      40,
    );
  } finally {
    await t.close();
  }
});

test('two writers on one integration (two processes): every count commits once and history chains', async () => {
  const { t, f, world, input } = await setup();
  try {
    // Two writers with lanes of their own, as two processes of a cluster would have; on PostgreSQL
    // their batches race for the same integration, so optimistic writes fail and are taken again.
    const writers = [
      new CountWriter(t.server.ctx, WINDOW, { lanes: 2, maxBatch: 5 }),
      new CountWriter(t.server.ctx, WINDOW, { lanes: 2, maxBatch: 5 }),
    ];
    const account = world.accountIds[0] as string;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (writers[i % 2] as CountWriter).submit(input(account, i + 1))),
    );
    assert.deepEqual(
      results.map((r) => r.revision).sort((a, b) => a - b),
      Array.from({ length: 60 }, (_, i) => i + 1),
      'each count has a revision of its own',
    );
    const history = (await t.server.ctx.store.listHistory(f.integrationId, { limit: 100 })).reverse();
    assert.equal(history.length, 60);
    history.forEach((entry, i) => {
      assert.equal(entry.revision, i + 1);
      assert.equal(entry.previousUnitCount, i === 0 ? null : (history[i - 1]?.unitCount ?? NaN));
    });
    const last = history[59];
    assert.equal(
      (await t.server.ctx.store.getCount(f.integrationId, account, world.skuIds[0] as string))?.unitCount,
      last?.unitCount,
    );
  } finally {
    await t.close();
  }
});
