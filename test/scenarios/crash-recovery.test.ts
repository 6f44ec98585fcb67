import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { seedIntegration } from '../support/harness.js';
import { startServerProcess, stopProcess } from '../support/process.js';
import { billingOf, mappedWorld, sendCount } from '../support/world.js';

test('SIGKILL right after a burst of 201s: every acknowledged count survives and builds on restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-crash-'));
  const file = join(dir, 'tally.db');
  try {
    const seedStore = await openSqliteStore({ file });
    const ctx = { store: seedStore, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
    const f = await seedIntegration({ ctx });
    const world = await mappedWorld({ ctx }, f, { accounts: 10, services: 2 });
    await seedStore.close();

    // A long quiet window: the build cannot start before the kill.
    const args = ['--db', file, '--build-quiet-ms', '4000'];
    const first = await startServerProcess(args, { TALLY_RATE_LIMIT_PER_SECOND: '10000' });
    const acknowledged = new Map<string, number>();
    let accepted = 0;
    // Each (account, service) pair gets its values in order; pairs run side by side.
    await Promise.all(
      world.accountIds.flatMap((account) =>
        world.skuIds.map(async (sku) => {
          for (let value = 1; value <= 10; value++) {
            const r = await sendCount(first.baseUrl, f, sku, account, value * 3);
            assert.equal(r.status, 201);
            acknowledged.set(`${account}|${sku}`, value * 3);
            accepted++;
          }
        }),
      ),
    );
    assert.equal((await billingOf(first.baseUrl, f)).builds, 0, 'killed before any build');
    await stopProcess(first.child, 'SIGKILL');

    const second = await startServerProcess(args);
    try {
      let billing = await billingOf(second.baseUrl, f);
      for (let i = 0; i < 200 && billing.builds === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        billing = await billingOf(second.baseUrl, f);
      }
      assert.equal(billing.builds, 1, 'the restarted server built without any new call');
      assert.equal(billing.builtRevision, accepted);
      assert.equal(billing.unbuiltChanges, 0);

      const cards = await fetch(`${second.baseUrl}/api/partner/billing`, {
        headers: { authorization: `Bearer ${f.partnerToken}` },
      }).then(
        (r) =>
          r.json() as Promise<{ cards: { companyId: string; productId: string; vendorQuantity: number }[] }>,
      );
      assert.equal(cards.cards.length, world.accountIds.length * world.skuIds.length);
      for (const [a, account] of world.accountIds.entries()) {
        for (const [s, sku] of world.skuIds.entries()) {
          const card = cards.cards.find(
            (c) => c.companyId === world.companyIds[a] && c.productId === world.productIds[s],
          );
          assert.equal(card?.vendorQuantity, acknowledged.get(`${account}|${sku}`));
        }
      }
    } finally {
      await stopProcess(second.child);
    }
    const check = await openSqliteStore({ file });
    const history = await check.listHistory(f.integrationId, { limit: 10_000 });
    await check.close();
    assert.equal(history.length, accepted, 'every 201 left its history entry');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
