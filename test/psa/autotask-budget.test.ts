/**
 * The Autotask request budget: one per connection and process, shared by every connector the adapter
 * builds; it keeps to the hourly share and to the requests at once, paces while Autotask adds latency,
 * and refuses (retryably, saying when) while the share or Autotask's own limit is spent — and resumes
 * by itself. Time is a manual clock the tests move.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { autotaskAdapter } from '../../src/connectors/autotask/adapter.js';
import type { BudgetTuning } from '../../src/connectors/autotask/budget.js';
import type { PsaConnection } from '../../src/core/psa-connector/store.js';
import { PsaError } from '../../src/core/psa-connector/port.js';
import { AT_CREDENTIALS, AT_HOURLY_LIMIT_ERROR, FakeAutotask } from '../fakes/autotask.js';
import { ManualClock } from '../support/manual-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let at: FakeAutotask;
let clock: ManualClock;
let waits: number[];

// A fake of its own per test: its rolling hour runs on that test's clock.
beforeEach(async () => {
  clock = new ManualClock();
  at = new FakeAutotask();
  at.clock = () => clock.nowMs();
  await at.start();
  waits = [];
});
afterEach(() => at.stop());

/** An adapter on the manual clock; its waits move the clock (and are recorded). */
const adapterWith = (tuning: Partial<BudgetTuning> = {}) =>
  autotaskAdapter(
    {
      maxInFlight: 4,
      nowMs: () => clock.nowMs(),
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    },
    { probeEveryMs: 100 * HOUR, ...tuning },
  );

const connection = (settings: Record<string, string>): PsaConnection => ({
  partnerId: 'p1',
  kind: 'autotask',
  site: at.baseUrl,
  account: AT_CREDENTIALS.username,
  settings: { zoneUrl: at.zoneUrl, ...settings },
  secretBox: '',
  deltaSinceMs: null,
  nextFullSyncAtMs: null,
  createdAtMs: 0,
  updatedAtMs: 0,
});
const secrets = { secret: AT_CREDENTIALS.secret, integrationCode: AT_CREDENTIALS.integrationCode };

/** A connector whose first request is not preceded by the usage probe (tested on its own below). */
const connectorOf = (adapter: ReturnType<typeof adapterWith>, conn: PsaConnection) => {
  const connector = adapter.fromConnection(conn, secrets) as ReturnType<typeof adapter.fromConnection> & {
    client: { get<T>(path: string): Promise<T>; budget: { claimProbe(): boolean } };
  };
  connector.client.budget.claimProbe();
  return connector;
};
const owner = (c: ReturnType<typeof connectorOf>) => c.client.get<{ item: { id: number } }>('/Companies/0');

test('the hourly share is kept: the request past it is not sent, and the budget resumes by itself', async () => {
  const adapter = adapterWith();
  const conn = connection({ requestsPerHour: '5', maxInFlight: '2' });
  const first = connectorOf(adapter, conn);
  const startMs = clock.nowMs();
  for (let i = 0; i < 5; i++) {
    await owner(first);
    clock.advance(MINUTE);
  }
  const served = at.requestsServed;
  // Another connector of the same connection (the write worker's, say) shares the budget.
  const second = connectorOf(adapter, conn);
  const refused = await owner(second).catch((e: unknown) => e);
  assert.ok(refused instanceof PsaError);
  assert.equal(refused.permanent, false, 'the caller tries again later');
  assert.match(refused.message, new RegExp(`resume at ${new Date(startMs + HOUR).toISOString()}`));
  assert.equal(at.requestsServed, served, 'nothing was sent');
  const spent = adapter.budget?.(conn);
  assert.deepEqual(
    {
      used: spent?.usedLastHour,
      share: spent?.hourlyShare,
      state: spent?.state,
      resumesAtMs: spent?.resumesAtMs,
    },
    { used: 5, share: 5, state: 'spent', resumesAtMs: startMs + HOUR },
  );

  // Close to the end of the hour, the request waits for its turn instead of failing.
  clock.advance(startMs + HOUR - 30_000 - clock.nowMs());
  await owner(second);
  assert.deepEqual(waits, [30_000]);
  assert.equal(at.requestsServed, served + 1);

  clock.advance(2 * HOUR);
  await owner(first);
  const resumed = adapter.budget?.(conn);
  assert.equal(resumed?.state, 'ok');
  assert.equal(resumed?.usedLastHour, 1);
  assert.equal(resumed?.resumesAtMs, null);
});

test('with 3 requests at once allowed, a 4th parallel request is never sent', async () => {
  // The fake refuses a 4th concurrent request on one endpoint, as Autotask does.
  at.latencyMs = 40;
  const raw = await Promise.all(
    Array.from({ length: 4 }, () =>
      fetch(`${at.zoneUrl}V1.0/Companies/0`, {
        headers: {
          ApiIntegrationCode: AT_CREDENTIALS.integrationCode,
          UserName: AT_CREDENTIALS.username,
          Secret: AT_CREDENTIALS.secret,
        },
      }),
    ),
  );
  assert.deepEqual(raw.map((r) => r.status).sort(), [200, 200, 200, 429]);
  const refusal = raw.find((r) => r.status === 429) as Response;
  assert.match((await refusal.json()).errors[0], /more than 3 concurrent requests to companies/);

  const refusalsBefore = at.threadRefusals;
  at.maxInFlightPerEndpoint = 0;
  const c = connectorOf(adapterWith(), connection({ requestsPerHour: '2000', maxInFlight: '3' }));
  await Promise.all(Array.from({ length: 12 }, () => owner(c)));
  assert.equal(at.maxInFlightPerEndpoint, 3);
  assert.equal(at.threadRefusals, refusalsBefore, 'no request met the thread limit');
});

test('Autotask’s hourly-limit answer spends the budget until the oldest request leaves the hour', async () => {
  const adapter = adapterWith();
  const conn = connection({ requestsPerHour: '2000' });
  const c = connectorOf(adapter, conn);
  at.hourlyLimit = 3;
  const startMs = clock.nowMs();
  for (let i = 0; i < 3; i++) {
    await owner(c);
    clock.advance(10 * MINUTE);
  }
  const limited = await owner(c).catch((e: unknown) => e);
  assert.ok(limited instanceof PsaError);
  assert.equal(limited.permanent, false);
  assert.equal(
    limited.message,
    `Autotask answered 429: ${AT_HOURLY_LIMIT_ERROR(3)}; requests resume at ${new Date(startMs + HOUR).toISOString()}`,
  );
  const report = adapter.budget?.(conn);
  assert.equal(report?.state, 'spent');
  assert.equal(report?.resumesAtMs, startMs + HOUR);
  const served = at.requestsServed;
  assert.ok((await owner(c).catch((e: unknown) => e)) instanceof PsaError);
  assert.equal(at.requestsServed, served, 'refused here, not sent to Autotask again');

  clock.advance(startMs + HOUR + 1 - clock.nowMs());
  assert.equal((await owner(c)).item.id, 0, 'it resumed by itself');
  assert.notEqual(adapter.budget?.(conn).state, 'spent');
});

test('slow answers mark the budget slowed and pace requests over the hour until they are fast again', async () => {
  const adapter = adapterWith({ slowResponseMs: 150 });
  const conn = connection({ requestsPerHour: '100' });
  const c = connectorOf(adapter, conn);
  await owner(c);
  assert.equal(adapter.budget?.(conn).state, 'ok');
  at.latencyMs = 300;
  await owner(c);
  assert.equal(adapter.budget?.(conn).state, 'slowed');
  at.latencyMs = 0;
  await owner(c);
  await owner(c);
  // 100 requests an hour: one every 36 s while slowed.
  assert.deepEqual(waits, [36_000]);
  clock.advance(10 * MINUTE);
  await owner(c);
  await owner(c);
  assert.deepEqual(waits, [36_000], 'no pacing once Autotask answers fast again');
  assert.equal(adapter.budget?.(conn).state, 'ok');
});

test('the usage probe reports Autotask’s own count; past half its limit the budget is slowed', async () => {
  const adapter = adapterWith({ probeEveryMs: 10 * MINUTE });
  const conn = connection({ requestsPerHour: '2000' });
  at.otherIntegrationsRequests = 6_000;
  const c = adapter.fromConnection(conn, secrets);
  const probedAtMs = clock.nowMs();
  await c.readLine({ agreementExternalId: '1', lineExternalId: '1' });
  const report = adapter.budget?.(conn);
  assert.equal(report?.psaWide?.limit, 10_000);
  assert.ok((report?.psaWide?.used ?? 0) >= 6_000);
  assert.equal(report?.psaWide?.atMs, probedAtMs);
  assert.equal(report?.state, 'slowed');
  // The reads after the probe were paced: 2,000 requests an hour is one every 1.8 s.
  assert.deepEqual(waits, [1_800]);
  assert.equal(at.countRequests('GET', 'thresholdInformation') > 0, true);

  at.otherIntegrationsRequests = 0;
  clock.advance(11 * MINUTE);
  await c.readLine({ agreementExternalId: '1', lineExternalId: '1' });
  assert.equal(adapter.budget?.(conn).state, 'ok', 'the next probe shows Autotask is quiet again');
});
