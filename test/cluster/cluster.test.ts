/**
 * Three real `tally serve` processes on one PostgreSQL schema and one Redis, as an operator runs a
 * cluster behind a load balancer: debounced builds run once cluster-wide, the per-token rate limit
 * holds across processes, build events reach a partner's stream on any process, and losing a
 * process mid-burst loses nothing acknowledged.
 *
 * One file, so the two clusters it starts run one after the other instead of competing for the
 * cores with each other.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TEST_REDIS_URL, deleteKeys, redisSkipReason } from '../http/guard-support.js';
import { postgresSkipReason } from '../storage/postgres-support.js';
import { call, seedIntegration } from '../support/harness.js';
import { type ServerProcess, stopProcess } from '../support/process.js';
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

/** Counts accepted before the kill: builds may have run, and most of the burst is still to come. */
const KILL_AFTER_ACCEPTED = 60;

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
      const processes = cluster.processes;
      const target = (i: number) => processes[i % processes.length]!.baseUrl;
      // A busy machine can stretch the burst past a second, which blurs what is measured; such a
      // run is repeated, with a fresh token, up to twice.
      const attempts = 3;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const f = await seedIntegration(cluster, {
          vendor: `Eager Vendor ${attempt}`,
          partner: `MSP ${attempt}`,
        });
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
        if (elapsedMs >= 1000 && attempt < attempts) continue;
        const admitted = responses.filter((r) => r.status === 200).length;
        const refused = responses.filter((r) => r.status === 429);

        assert.equal(admitted + refused.length, 300, 'every answer is a 200 or a 429');
        // Up to 1.8 s one shared limit still passes at most 281 of the 300, three would pass them all.
        assert.ok(
          elapsedMs < 1800,
          `the burst took ${elapsedMs.toFixed(0)} ms: too spread out to tell one shared limit from three`,
        );
        // The bucket holds 100 and refills 100 a second: at most 100 plus the refill during the
        // burst pass, so about 200 of 300 sent at once are refused. Three separate limits would
        // pass all 300.
        const mostAdmitted = 100 + Math.ceil(elapsedMs / 10) + 1;
        assert.ok(
          admitted >= 100 && admitted <= mostAdmitted,
          `admitted ${admitted} (refused ${refused.length}), expected 100..${mostAdmitted} in ${elapsedMs.toFixed(0)} ms`,
        );
        assert.ok(Number(refused[0]?.headers.get('retry-after')) >= 1, 'a 429 says when to retry');
        return;
      }
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

/*
 * The victim's connections die with it, so PostgreSQL rolls back whatever it had open and frees its
 * row locks; a build lease it held runs out and a survivor claims the build. The vendor's client,
 * like a load balancer, retries a call that got no answer on another process.
 */
describe('a cluster losing a process to SIGKILL', { skip: skipPostgres }, () => {
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
