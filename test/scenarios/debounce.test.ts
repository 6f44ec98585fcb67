import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { billingOf, mappedWorld, sendCount, type World } from '../support/world.js';

const QUIET_MS = 2000;
const MAX_WAIT_MS = 30000;

let open: TestServer[] = [];
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

async function setup(
  options: { beforeBuild?: (id: string) => Promise<void>; accounts?: number; services?: number } = {},
) {
  const clock = new ManualClock();
  const t = await startServer({
    clock,
    // Bursts here are far above the vendor rate limit on purpose; the limit is not under test.
    config: {
      buildQuietMs: QUIET_MS,
      buildMaxWaitMs: MAX_WAIT_MS,
      buildPollMs: 60_000,
      rateLimitPerSecond: 10_000,
    },
    beforeBuild: options.beforeBuild,
  });
  open.push(t);
  const f = await seedIntegration(t.server);
  const world = await mappedWorld(t.server, f, {
    accounts: options.accounts ?? 3,
    services: options.services ?? 2,
  });
  /** Steps the virtual clock and waits for whatever builds that made due. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await t.server.scheduler.idle();
  };
  return { clock, t, f, world, advance };
}

async function cardsOf(t: TestServer, f: Fixture) {
  const response = await call(t.baseUrl, 'GET', '/api/partner/billing', { bearer: f.partnerToken });
  assert.equal(response.status, 200);
  return response.body.cards as {
    companyId: string;
    productId: string;
    vendorQuantity: number;
    state: string;
  }[];
}

const quantityOf = (
  cards: Awaited<ReturnType<typeof cardsOf>>,
  world: World,
  account: number,
  service: number,
) =>
  cards.find((c) => c.companyId === world.companyIds[account] && c.productId === world.productIds[service])
    ?.vendorQuantity;

test('a burst of 500 counts inside the quiet window makes one build with the last values', async () => {
  const { t, f, world, advance } = await setup();
  const [sku0, sku1] = world.skuIds as [string, string];
  // Six pairs (3 accounts × 2 services); each batch sends every pair once, concurrently, so the order
  // of writes per pair is the batch order and the last value of pair p is the largest n with n % 6 = p.
  const pairOf = (n: number) => ({ account: n % 3, service: Math.floor(n / 3) % 2 });
  for (let i = 0; i < 500; i += 6) {
    const batch = [];
    for (let n = i; n < Math.min(i + 6, 500); n++) {
      const { account, service } = pairOf(n);
      batch.push(
        sendCount(t.baseUrl, f, service === 0 ? sku0 : sku1, world.accountIds[account] as string, n),
      );
    }
    for (const r of await Promise.all(batch)) assert.equal(r.status, 201);
  }
  let billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.state, 'scheduled');
  assert.equal(billing.unbuiltChanges, 500);
  assert.equal(billing.builds, 0);
  assert.deepEqual(await cardsOf(t, f), []);

  await advance(QUIET_MS - 1);
  assert.equal((await billingOf(t.baseUrl, f)).builds, 0, 'no build before the quiet window has passed');
  await advance(1);
  billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.state, 'idle');
  assert.equal(billing.builds, 1);
  assert.equal(billing.unbuiltChanges, 0);
  assert.equal(billing.builtRevision, 500);

  // The last value sent for each (account, service) pair wins.
  const lastValue = (account: number, service: number) => {
    let last: number | undefined;
    for (let n = 0; n < 500; n++)
      if (pairOf(n).account === account && pairOf(n).service === service) last = n;
    return last;
  };
  const cards = await cardsOf(t, f);
  assert.equal(cards.length, 6);
  for (let a = 0; a < 3; a++)
    for (let s = 0; s < 2; s++) assert.equal(quantityOf(cards, world, a, s), lastValue(a, s));
});

test('a vendor that never pauses still sees a build every maximum wait', async () => {
  const { t, f, world, advance } = await setup();
  const buildTimes: number[] = [];
  let previousBuilds = 0;
  const startMs = t.server.ctx.clock.nowMs();
  for (let second = 0; second < 95; second++) {
    const r = await sendCount(t.baseUrl, f, world.skuIds[0] as string, world.accountIds[0] as string, second);
    assert.equal(r.status, 201);
    await advance(1000);
    const { builds } = await billingOf(t.baseUrl, f);
    if (builds > previousBuilds) buildTimes.push(t.server.ctx.clock.nowMs() - startMs);
    previousBuilds = builds;
  }
  // Counts every second never leave a 2 s quiet window, so only the 30 s cap builds. The count sent at
  // the instant of a build waits for the next one: builds at 30, 60 and 90 s.
  assert.deepEqual(buildTimes, [30_000, 60_000, 90_000]);
});

/**
 * Holds builds at the scheduler's beforeBuild seam. `entered()` resolves once a build waits there;
 * `release()` lets it go and holds the next one; `open()` lets every build through from then on.
 */
function buildGate() {
  let isOpen = false;
  let release = () => {};
  let held = Promise.resolve();
  let signal = () => {};
  let entered = Promise.resolve();
  const arm = () => {
    held = new Promise<void>((resolve) => (release = resolve));
    entered = new Promise<void>((resolve) => (signal = resolve));
  };
  arm();
  return {
    hook: async () => {
      if (isOpen) return;
      signal();
      await held;
    },
    entered: () => entered,
    release() {
      const go = release;
      arm();
      go();
    },
    open() {
      isOpen = true;
      release();
    },
  };
}

test('counts during a running build are kept and make exactly one follow-up build', async () => {
  const gate = buildGate();
  const { t, f, world, advance, clock } = await setup({ beforeBuild: gate.hook });
  const [sku] = world.skuIds as [string];
  const [acct0, acct1] = world.accountIds as [string, string];
  assert.equal((await sendCount(t.baseUrl, f, sku, acct0, 5)).status, 201);
  clock.advance(QUIET_MS); // the build is claimed and now waits at the gate
  await gate.entered();
  let billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.state, 'building');

  for (let i = 1; i <= 20; i++) assert.equal((await sendCount(t.baseUrl, f, sku, acct1, i)).status, 201);
  billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.state, 'building');
  assert.equal(billing.unbuiltChanges, 21);

  gate.open();
  await t.server.scheduler.idle();
  billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.builds, 1);
  assert.equal(billing.builtRevision, 1, 'the running build covers only what it claimed');
  assert.equal(billing.state, 'scheduled', 'the counts sent meanwhile wait for a follow-up');
  assert.equal(billing.unbuiltChanges, 20);

  await advance(QUIET_MS);
  billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.builds, 2);
  assert.equal(billing.builtRevision, 21);
  assert.equal(billing.state, 'idle');
  assert.equal(quantityOf(await cardsOf(t, f), world, 1, 0), 20);
  await advance(MAX_WAIT_MS * 2);
  assert.equal((await billingOf(t.baseUrl, f)).builds, 2, 'exactly one follow-up');
});

test('no_build stores without scheduling; the next plain count builds everything', async () => {
  const { t, f, world, advance } = await setup();
  const [sku0, sku1] = world.skuIds as [string, string];
  for (let a = 0; a < 3; a++) {
    assert.equal(
      (await sendCount(t.baseUrl, f, sku0, world.accountIds[a] as string, 10 + a, { noBuild: true })).status,
      201,
    );
  }
  let billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.state, 'idle');
  assert.equal(billing.unbuiltChanges, 3);
  assert.equal(billing.dueAt, null);
  await advance(MAX_WAIT_MS * 3);
  assert.equal((await billingOf(t.baseUrl, f)).builds, 0, 'no_build never builds on its own');

  const last = await sendCount(t.baseUrl, f, sku1, world.accountIds[0] as string, 7);
  assert.equal(last.body.data.build.state, 'scheduled');
  await advance(QUIET_MS);
  billing = await billingOf(t.baseUrl, f);
  assert.equal(billing.builds, 1);
  assert.equal(billing.builtRevision, 4);
  const cards = await cardsOf(t, f);
  assert.deepEqual(
    [
      quantityOf(cards, world, 0, 0),
      quantityOf(cards, world, 1, 0),
      quantityOf(cards, world, 2, 0),
      quantityOf(cards, world, 0, 1),
    ],
    [10, 11, 12, 7],
  );
});

test('flush builds now and answers when the build has landed', async () => {
  const { t, f, world } = await setup();
  await sendCount(t.baseUrl, f, world.skuIds[0] as string, world.accountIds[0] as string, 9, {
    noBuild: true,
  });
  const flushed = await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
  assert.equal(flushed.status, 200);
  assert.equal(flushed.body.data.billing.state, 'idle');
  assert.equal(flushed.body.data.billing.builds, 1);
  assert.equal(flushed.body.data.billing.builtRevision, 1);
  assert.equal(quantityOf(await cardsOf(t, f), world, 0, 0), 9);

  const again = await call(t.baseUrl, 'POST', '/api/vendor-api/billing/flush', { token: f.token });
  assert.equal(again.body.data.billing.builds, 1, 'nothing unbuilt: no new build');
});

test('two integrations never share a build', async () => {
  const { t, f, world, advance } = await setup();
  const g = await seedIntegration(t.server, { vendor: 'Other Vendor', partner: 'Other MSP' });
  const otherWorld = await mappedWorld(t.server, g, { accounts: 1, services: 1 });
  await sendCount(t.baseUrl, f, world.skuIds[0] as string, world.accountIds[0] as string, 1);
  await advance(1000);
  await sendCount(t.baseUrl, g, otherWorld.skuIds[0] as string, otherWorld.accountIds[0] as string, 2);
  await advance(QUIET_MS - 1000);
  assert.equal((await billingOf(t.baseUrl, f)).builds, 1);
  assert.equal((await billingOf(t.baseUrl, g)).builds, 0, "the other integration's window is its own");
  await advance(1000);
  assert.equal((await billingOf(t.baseUrl, g)).builds, 1);
  assert.equal((await billingOf(t.baseUrl, f)).builds, 1);
  assert.equal((await cardsOf(t, f)).length, 1);
  assert.equal((await cardsOf(t, g)).length, 1);
});

test('concurrent writers on one key end with the last committed value and a complete history', async () => {
  const { t, f, world } = await setup();
  const [sku] = world.skuIds as [string];
  const [acct] = world.accountIds as [string];
  const responses = await Promise.all(
    Array.from({ length: 60 }, (_, i) => sendCount(t.baseUrl, f, sku, acct, i + 1)),
  );
  for (const r of responses) assert.equal(r.status, 201);
  const history = await call(
    t.baseUrl,
    'GET',
    `/api/partner/integrations/${f.integrationId}/history?limit=1000`,
    {
      bearer: f.partnerToken,
    },
  );
  const entries = history.body.entries as {
    unitCount: number;
    previousUnitCount: number | null;
    revision: number;
  }[];
  assert.equal(entries.length, 60);
  // Newest first: each entry's previous value is the value of the entry committed just before it.
  for (let i = 0; i < entries.length - 1; i++) {
    assert.equal(entries[i]?.previousUnitCount, entries[i + 1]?.unitCount);
    assert.equal(entries[i]?.revision, (entries[i + 1]?.revision ?? 0) + 1);
  }
  assert.equal(entries.at(-1)?.previousUnitCount, null);
  assert.deepEqual(
    entries.map((e) => e.unitCount).sort((a, b) => a - b),
    Array.from({ length: 60 }, (_, i) => i + 1),
  );
  const current = await t.server.ctx.store.getCount(f.integrationId, acct, sku);
  assert.equal(current?.unitCount, entries[0]?.unitCount, 'the current value is the last committed one');
});

test('a vendor watches scheduled → building → idle, one build per debounced burst', async () => {
  const gate = buildGate();
  const { t, f, world, clock } = await setup({ beforeBuild: gate.hook });
  const seen: string[] = [];
  for (let burst = 1; burst <= 3; burst++) {
    for (let i = 0; i < 5; i++) {
      await sendCount(
        t.baseUrl,
        f,
        world.skuIds[0] as string,
        world.accountIds[i % 3] as string,
        burst * 10 + i,
      );
    }
    seen.push((await billingOf(t.baseUrl, f)).state);
    clock.advance(QUIET_MS);
    await gate.entered();
    seen.push((await billingOf(t.baseUrl, f)).state);
    gate.release();
    await t.server.scheduler.idle();
    const billing = await billingOf(t.baseUrl, f);
    seen.push(billing.state);
    assert.equal(billing.builds, burst);
  }
  assert.deepEqual(seen, Array(3).fill(['scheduled', 'building', 'idle']).flat());
});
