/**
 * Three real `tally serve` processes on one PostgreSQL schema and one Redis, as an operator runs a
 * cluster behind a load balancer: debounced builds run once cluster-wide, the per-token rate limit
 * holds across processes, and build events reach a partner's stream on any process.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TEST_REDIS_URL, deleteKeys, redisSkipReason } from '../http/guard-support.js';
import { postgresSkipReason } from '../storage/postgres-skip.js';
import { call, seedIntegration } from '../support/harness.js';
import { mappedWorld, sendCount } from '../support/world.js';
import {
  QUIET_MS,
  type Cluster,
  billingVia,
  buildsRunBy,
  cardsVia,
  openEventStream,
  startCluster,
  waitUntilBuilt,
} from './cluster-support.js';

const skipPostgres = await postgresSkipReason('multi-process cluster tests');
const skipRedis = skipPostgres ? false : await redisSkipReason();
const redisKeyPrefix = `tally-test:${randomBytes(6).toString('hex')}:`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a cluster of three processes on one database', { skip: skipPostgres }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({
      size: 3,
      env: skipRedis ? {} : { REDIS_URL: TEST_REDIS_URL, TALLY_REDIS_KEY_PREFIX: redisKeyPrefix },
    });
  });
  after(async () => {
    await cluster?.close();
    if (!skipRedis) await deleteKeys(redisKeyPrefix);
  });

  test('counts sent round-robin through all three: one build per debounced burst, views equal the last values', async () => {
    const f = await seedIntegration(cluster, { vendor: 'Round Robin Backup', partner: 'Spread MSP' });
    const world = await mappedWorld(cluster, f, { accounts: 4, services: 2 });
    const pairs = world.accountIds.flatMap((account, a) =>
      world.skuIds.map((sku, s) => ({ account, sku, card: `${world.companyIds[a]}|${world.productIds[s]}` })),
    );
    const lastValues = new Map<string, number>();
    const processes = cluster.processes;
    let sent = 0;
    for (let burst = 1; burst <= 3; burst++) {
      // Each pair gets three values in a row, pairs side by side; call n goes to process n mod 3.
      await Promise.all(
        pairs.map(async (pair, p) => {
          for (let step = 1; step <= 3; step++) {
            const value = burst * 100 + step * 10 + p;
            const via = processes[sent++ % processes.length]!;
            const response = await sendCount(via.baseUrl, f, pair.sku, pair.account, value);
            assert.equal(response.status, 201);
            lastValues.set(pair.card, value);
          }
        }),
      );
      const billing = await waitUntilBuilt(processes[burst % processes.length]!, f, sent);
      assert.equal(billing.builds, burst, `burst ${burst}: exactly one build cluster-wide`);
      assert.equal(billing.builtRevision, sent);
    }

    // Longer than a quiet window: no process finds anything left to build.
    await sleep(QUIET_MS * 2);
    for (const server of processes) {
      assert.deepEqual(await billingVia(server, f), {
        ...(await billingVia(server, f)),
        state: 'idle',
        unbuiltChanges: 0,
        builtRevision: pairs.length * 9,
        builds: 3,
      });
      assert.deepEqual(await cardsVia(server, f), lastValues, `${server.baseUrl} shows the last values`);
    }
    const runBy = await Promise.all(processes.map(buildsRunBy));
    assert.equal(
      runBy.reduce((sum, n) => sum + n, 0),
      3,
      `the processes ran ${runBy.join(' + ')} builds: three in all`,
    );
  });

  test(
    'one token sending 300 requests within a second through all three: the shared limit refuses about 200',
    { skip: skipRedis },
    async () => {
      const f = await seedIntegration(cluster, { vendor: 'Eager Vendor', partner: 'Limits MSP' });
      const processes = cluster.processes;
      const target = (i: number) => processes[i % processes.length]!.baseUrl;
      // Open the connections first, so the timed burst is requests only, not connection set-up.
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => fetch(`${target(i)}/healthz`).then((r) => r.text())),
      );

      const startedMs = performance.now();
      const responses = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          call(target(i), 'GET', '/api/vendor-api/organization', { token: f.token }),
        ),
      );
      const elapsedMs = performance.now() - startedMs;
      const admitted = responses.filter((r) => r.status === 200).length;
      const refused = responses.filter((r) => r.status === 429);

      assert.equal(admitted + refused.length, 300, 'every answer is a 200 or a 429');
      assert.ok(
        elapsedMs < 1500,
        `the burst took ${elapsedMs.toFixed(0)} ms: too spread out to tell one shared limit from three`,
      );
      // The bucket holds 100 and refills 100 a second: at most 100 plus the refill during the burst
      // pass, so about 200 of 300 sent at once are refused. Three separate limits would pass all 300.
      const mostAdmitted = 100 + Math.ceil(elapsedMs / 10) + 1;
      assert.ok(
        admitted >= 100 && admitted <= mostAdmitted,
        `admitted ${admitted} (refused ${refused.length}), expected 100..${mostAdmitted} for a burst of ${elapsedMs.toFixed(0)} ms`,
      );
      assert.ok(Number(refused[0]?.headers.get('retry-after')) >= 1, 'a 429 says when to retry');
    },
  );

  test("a partner's event stream on one process receives a build that another process ran", async () => {
    const f = await seedIntegration(cluster, { vendor: 'Stream Vendor', partner: 'Watching MSP' });
    const world = await mappedWorld(cluster, f, { accounts: 1, services: 1 });
    const [a, b] = cluster.processes as [(typeof cluster.processes)[0], (typeof cluster.processes)[0]];
    const stream = await openEventStream(b, f.partnerToken);
    try {
      // The flush makes the build due on A and A claims it at once; another process could still
      // win that claim by chance, so the run is repeated until B demonstrably did not build.
      for (let revision = 1; revision <= 3; revision++) {
        const buildsOnB = await buildsRunBy(b);
        const count = await sendCount(a.baseUrl, f, world.skuIds[0]!, world.accountIds[0]!, revision * 7, {
          noBuild: true,
        });
        assert.equal(count.status, 201);
        const flushed = await call(a.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
        assert.equal(flushed.status, 200);
        assert.equal(flushed.body.data.billing.builtRevision, revision);

        const heard = await stream.waitFor((e) => e.builtRevision === revision, 5000);
        assert.equal(heard.integrationId, f.integrationId);
        assert.match(heard.builtAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        if ((await buildsRunBy(b)) === buildsOnB) return;
      }
      assert.fail('process B ran every build itself, so no event crossed processes');
    } finally {
      stream.close();
    }
  });
});
