/**
 * A cluster that loses a process mid-burst. Its connections die with it, so PostgreSQL rolls back
 * whatever it had open and frees its row locks; a build lease it held runs out and a survivor
 * claims the build. The vendor's client, like a load balancer, retries a call that got no answer
 * on another process.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { postgresSkipReason } from '../storage/postgres-skip.js';
import { seedIntegration } from '../support/harness.js';
import type { ServerProcess } from '../support/process.js';
import { stopProcess } from '../support/process.js';
import { mappedWorld, sendCount } from '../support/world.js';
import { billingVia, buildsRunBy, cardsVia, startCluster, waitUntilBuilt } from './cluster-support.js';

const skip = await postgresSkipReason('multi-process SIGKILL test');

/** Counts accepted before the kill: enough that builds have run, with most of the burst still to come. */
const KILL_AFTER_ACCEPTED = 60;

describe('a cluster losing a process to SIGKILL', { skip }, () => {
  test('mid-burst: every acknowledged count is kept and a survivor builds the integration', async () => {
    const cluster = await startCluster({
      size: 3,
      // A short lease and poll, so a build the dead process held is retried within about a second;
      // a short maximum wait, so builds run during the burst and the victim may be holding one.
      env: { TALLY_RATE_LIMIT_PER_SECOND: '10000', TALLY_BUILD_LEASE_MS: '1000', TALLY_BUILD_POLL_MS: '100' },
      args: ['--build-max-wait-ms', '400'],
    });
    try {
      const f = await seedIntegration(cluster, { vendor: 'Fragile Backup', partner: 'Survivor MSP' });
      const world = await mappedWorld(cluster, f, { accounts: 8, services: 2 });
      const [first, second, victim] = cluster.processes as [ServerProcess, ServerProcess, ServerProcess];
      let targets = [first, second, victim];
      let calls = 0;
      let acceptedBeforeKill = 0;
      let killing: Promise<void> | null = null;
      const acknowledged: { account: string; sku: string; value: number }[] = [];
      const lastValues = new Map<string, number>();

      /** Sends one count through the next process in turn, retrying elsewhere if its process died. */
      const send = async (account: string, sku: string, value: number) => {
        for (let attempt = 0; attempt < 4; attempt++) {
          const via = targets[calls++ % targets.length] as ServerProcess;
          let status: number;
          try {
            status = (await sendCount(via.baseUrl, f, sku, account, value)).status;
          } catch (error) {
            if (via === victim && killing) continue; // no answer: the process is gone
            throw error;
          }
          assert.equal(status, 201);
          acknowledged.push({ account, sku, value });
          if (acknowledged.length === KILL_AFTER_ACCEPTED) {
            acceptedBeforeKill = acknowledged.length;
            targets = [first, second];
            killing = stopProcess(victim.child, 'SIGKILL');
          }
          return;
        }
        throw new Error(`no process accepted ${account}/${sku} = ${value}`);
      };

      // Sixteen pairs side by side, twelve values each, in order within a pair.
      await Promise.all(
        world.accountIds.flatMap((account, a) =>
          world.skuIds.map(async (sku, s) => {
            for (let step = 1; step <= 12; step++) {
              const value = step * 100 + a * 10 + s;
              await send(account, sku, value);
              lastValues.set(`${world.companyIds[a]}|${world.productIds[s]}`, value);
            }
          }),
        ),
      );
      await killing;
      assert.equal(victim.child.signalCode, 'SIGKILL');
      assert.equal(acknowledged.length, 16 * 12);
      assert.ok(acknowledged.length - acceptedBeforeKill > 50, 'most of the burst came after the kill');

      const history = await cluster.ctx.store.listHistory(f.integrationId, { limit: 10_000 });
      for (const ack of acknowledged) {
        assert.ok(
          history.some(
            (e) => e.accountId === ack.account && e.serviceId === ack.sku && e.unitCount === ack.value,
          ),
          `acknowledged ${ack.account}/${ack.sku} = ${ack.value} is in the history`,
        );
      }
      // A call cut off by the kill may have committed before it could answer; its retry adds one more.
      assert.ok(history.length >= acknowledged.length && history.length <= acknowledged.length + 20);

      const billing = await waitUntilBuilt(first, f, history.length);
      assert.equal(billing.builtRevision, history.length, 'the last build covers every commit');
      assert.equal(billing.unbuiltChanges, 0);
      assert.deepEqual(await billingVia(second, f), billing, 'both survivors report the same state');
      const survivorBuilds = (await buildsRunBy(first)) + (await buildsRunBy(second));
      assert.ok(survivorBuilds >= 1, 'a survivor ran the build that covers the counts after the kill');

      for (const survivor of [first, second]) {
        assert.deepEqual(
          await cardsVia(survivor, f),
          lastValues,
          'billing cards show the last acknowledged values',
        );
      }
      const counts = await cluster.ctx.store.listCounts(f.integrationId);
      assert.equal(counts.length, 16);
      for (const count of counts) {
        const a = world.accountIds.indexOf(count.accountId);
        const s = world.skuIds.indexOf(count.serviceId);
        assert.equal(
          count.unitCount,
          1200 + a * 10 + s,
          `current count of ${count.accountId}/${count.serviceId}`,
        );
      }
    } finally {
      await cluster.close();
    }
  });
});
