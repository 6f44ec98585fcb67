/**
 * The store contract where concurrency matters: transactions, the due-build queue that every
 * process claims from, and billing views rewritten under readers. SQLite gets there by running one
 * transaction at a time; PostgreSQL by row locks and snapshots. The assertions are the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimBuild, isClaimable } from '../../src/core/builds/debounce.js';
import type { BillingRow } from '../../src/core/model.js';
import type { Store } from '../../src/core/ports.js';
import {
  T0_MS,
  billingRows,
  buildState,
  byKey,
  describeEachStore,
  partnerRecord,
  seedBase,
} from './contract-support.js';

/** A promise and the function that settles it, to hold a transaction open at a chosen point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** One claiming round as the scheduler runs it: due ids, lock, re-check, claim. */
const claimRound = (store: Store, nowMs: number, batch: number): Promise<string[]> =>
  store.transaction(async (tx) => {
    const claimed: string[] = [];
    for (const id of await tx.listDueBuilds(nowMs, batch)) {
      const state = await tx.lockBuildState(id);
      if (!state || !isClaimable(state, nowMs)) continue;
      await tx.updateBuildState(claimBuild(state, nowMs, 60_000));
      claimed.push(id);
    }
    return claimed;
  });

/** Every row seen by one read has one revision and the full count: an old or a new view, not a mix. */
function assertWholeView(rows: BillingRow[], size: number, context: string): number {
  assert.equal(rows.length, size, `${context}: a view of ${size} rows, got ${rows.length}`);
  const revisions = new Set(rows.map((r) => r.builtRevision));
  assert.equal(revisions.size, 1, `${context}: rows of revisions ${[...revisions].join(', ')} at once`);
  return [...revisions][0] as number;
}

describeEachStore('store contract: transactions', ({ store }) => {
  test('a transaction commits everything it wrote and returns its value', async () => {
    const value = await store().transaction(async (tx) => {
      await tx.insertPartner(partnerRecord('p1', 'One'), 't1');
      await tx.insertPartner(partnerRecord('p2', 'Two'), 't2');
      assert.equal((await tx.getPartner('p1'))?.name, 'One', 'a transaction reads its own writes');
      return 42;
    });
    assert.equal(value, 42);
    assert.equal((await store().listPartners()).length, 2);
  });

  test('a transaction that throws leaves nothing behind and rethrows the same error', async () => {
    await seedBase(store());
    const failure = new Error('the build crashed');
    await assert.rejects(
      store().transaction(async (tx) => {
        await tx.insertPartner(partnerRecord('p1', 'One'), 't1');
        await tx.setIntegrationStatus('integration', 'active');
        await tx.replaceBillingRows('integration', billingRows('integration', 3, 1));
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.equal(await store().getPartner('p1'), undefined);
    assert.equal((await store().getIntegration('integration'))?.status, 'inactive');
    assert.deepEqual(await store().listBillingRows(['integration']), []);
  });

  test('a failing statement inside a transaction rolls back the statements before it', async () => {
    await store().insertPartner(partnerRecord('p1', 'One'), 't1');
    await assert.rejects(
      store().transaction(async (tx) => {
        await tx.insertPartner(partnerRecord('p2', 'Two'), 't2');
        await tx.insertPartner(partnerRecord('p1', 'Again'), 't3'); // duplicate id
      }),
    );
    assert.deepEqual(
      (await store().listPartners()).map((p) => p.id),
      ['p1'],
    );
  });
});

describeEachStore('store contract: the due-build queue', ({ kind, store }) => {
  const nowMs = T0_MS;

  test('due builds and dead leases are listed, oldest due first; future and live-leased ones are not', async () => {
    await store().insertBuildState(buildState('due-late', { dueAtMs: nowMs - 10 }));
    await store().insertBuildState(buildState('due-early', { dueAtMs: nowMs - 500 }));
    await store().insertBuildState(buildState('due-now', { dueAtMs: nowMs }));
    await store().insertBuildState(buildState('future', { dueAtMs: nowMs + 1 }));
    await store().insertBuildState(buildState('idle'));
    await store().insertBuildState(
      buildState('leased-live', { dueAtMs: nowMs - 1000, buildingUntilMs: nowMs + 5000 }),
    );
    await store().insertBuildState(buildState('leased-dead', { buildingUntilMs: nowMs - 1 }));

    const due = await store().listDueBuilds(nowMs, 10);
    assert.deepEqual(
      due.filter((id) => id !== 'leased-dead'),
      ['due-early', 'due-late', 'due-now'],
    );
    assert.ok(due.includes('leased-dead'), 'a build whose lease ran out is due again');
    assert.equal(due.length, 4);
    assert.equal((await store().listDueBuilds(nowMs, 2)).length, 2, 'the limit holds');
    assert.equal(await store().earliestDueAtMs(), nowMs - 1000);

    assert.equal(await store().expireBuildLeases(nowMs), 1, 'only the live lease is ended');
    assert.ok((await store().listDueBuilds(nowMs, 10)).includes('leased-live'));
    assert.equal(
      (await store().getBuildState('leased-dead'))?.buildingUntilMs,
      nowMs - 1,
      'dead leases untouched',
    );
  });

  test('with nothing scheduled there is no earliest due time and nothing due', async () => {
    await store().insertBuildState(buildState('idle'));
    assert.equal(await store().earliestDueAtMs(), null);
    assert.deepEqual(await store().listDueBuilds(nowMs, 10), []);
  });

  test('claimers racing for the same queue claim each due build exactly once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `i${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries())
      await store().insertBuildState(buildState(id, { dueAtMs: nowMs - i }));

    const claimer = async (): Promise<string[]> => {
      const mine: string[] = [];
      for (let round = 0; round < ids.length; round++) {
        const claimed = await claimRound(store(), nowMs, 4);
        if (claimed.length === 0) break;
        mine.push(...claimed);
      }
      return mine;
    };
    const claims = (await Promise.all([claimer(), claimer(), claimer(), claimer()])).flat();
    assert.deepEqual([...claims].sort(), ids, 'every due build claimed, none twice');
    assert.deepEqual(await store().listDueBuilds(nowMs, 100), [], 'claimed builds hold live leases');
  });

  test(
    'a claimer skips builds another transaction has locked, without waiting for it',
    {
      skip:
        kind === 'sqlite' ? 'SQLite runs one transaction at a time: there are no row locks to skip' : false,
    },
    async () => {
      await store().insertBuildState(buildState('a', { dueAtMs: nowMs - 2 }));
      await store().insertBuildState(buildState('b', { dueAtMs: nowMs - 1 }));
      const locked = gate();
      const release = gate();
      const holder = store().transaction(async (tx) => {
        assert.ok(await tx.lockBuildState('a'));
        locked.open();
        await release.opened;
      });
      try {
        await locked.opened;
        const startedMs = Date.now();
        assert.deepEqual(await claimRound(store(), nowMs, 10), ['b']);
        assert.ok(Date.now() - startedMs < 2000, 'the claim did not wait for the lock holder');
      } finally {
        release.open();
        await holder;
      }
      assert.deepEqual(await claimRound(store(), nowMs, 10), ['a'], 'released, the build is claimable');
    },
  );
});

describeEachStore('store contract: billing views under readers', ({ kind, store }) => {
  const SIZE = 800;

  test('a reader during repeated rewrites sees a whole old or new view, never a mix', async () => {
    const { integrationId } = await seedBase(store());
    await store().replaceBillingRows(integrationId, billingRows(integrationId, SIZE, 0));
    let writing = true;
    const writer = (async () => {
      for (let revision = 1; revision <= 12; revision++) {
        await store().replaceBillingRows(integrationId, billingRows(integrationId, SIZE, revision));
      }
      writing = false;
    })();
    const seen = new Set<number>();
    let reads = 0;
    while (writing && reads < 10_000) {
      seen.add(assertWholeView(await store().listBillingRows([integrationId]), SIZE, `read ${reads}`));
      reads++;
    }
    await writer;
    assert.equal(assertWholeView(await store().listBillingRows([integrationId]), SIZE, 'final'), 12);
    assert.ok(reads > 0, 'the reader ran while the writer did');
    assert.ok([...seen].every((revision) => revision >= 0 && revision <= 12));
  });

  test('a view rewritten in an open transaction stays old to readers until it commits', async () => {
    const { integrationId } = await seedBase(store());
    const before = billingRows(integrationId, SIZE, 1);
    const after = billingRows(integrationId, SIZE, 2);
    await store().replaceBillingRows(integrationId, before);
    const rewritten = gate();
    const commit = gate();
    const writer = store().transaction(async (tx) => {
      await tx.replaceBillingRows(integrationId, after);
      rewritten.open();
      await commit.opened;
    });
    await rewritten.opened;
    const reading = store().listBillingRows([integrationId]);
    if (kind === 'postgres') {
      // PostgreSQL answers from the last committed snapshot while the rewrite is still open.
      assert.deepEqual(byKey(await reading), byKey(before));
      commit.open();
      await writer;
    } else {
      // SQLite's one connection makes the reader wait for the commit.
      commit.open();
      await writer;
      assert.deepEqual(byKey(await reading), byKey(after));
    }
    assert.deepEqual(byKey(await store().listBillingRows([integrationId])), byKey(after));
  });
});
