/**
 * Several webhook workers on one database (two PostgreSQL pools on one schema, as two processes
 * would have; or one SQLite store): every delivery is sent once when nothing fails, no endpoint ever
 * has more than its limit in flight, and each integration's events arrive in order.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import type { CoreContext } from '../../src/core/context.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createPartner } from '../../src/core/partners/create-partner.js';
import type { Store } from '../../src/core/ports.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { createWebhookEndpoint } from '../../src/core/webhooks/create-endpoint.js';
import { emitWebhookEvents, type EventInput } from '../../src/core/webhooks/emit.js';
import type { WebhookRequest, WebhookResponse, WebhookTransport } from '../../src/core/webhooks/transport.js';
import { WebhookWorker } from '../../src/core/webhooks/worker.js';
import { httpWebhookTransport } from '../../src/http/webhook-transport.js';
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { dropSchema, postgresSkipReason, urlWithSchema } from './postgres-support.js';

const MAX_IN_FLIGHT = 2;
const postgresSkip = await postgresSkipReason('the webhook worker tests on PostgreSQL');

/** The real HTTP transport, counting what is on its way to each endpoint across every worker. */
function countingTransport(peak: Map<string, number>): WebhookTransport {
  const http = httpWebhookTransport({ allowPrivateNetworks: false });
  const current = new Map<string, number>();
  return {
    async send(request: WebhookRequest): Promise<WebhookResponse> {
      const n = (current.get(request.url) ?? 0) + 1;
      current.set(request.url, n);
      peak.set(request.url, Math.max(peak.get(request.url) ?? 0, n));
      try {
        return await http.send(request);
      } finally {
        current.set(request.url, (current.get(request.url) ?? 1) - 1);
      }
    },
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(
    `webhook workers sharing a store (${kind})`,
    { skip: kind === 'postgres' ? postgresSkip : false },
    () => {
      test('each delivery is sent once, at most the limit per endpoint in flight, in order per integration', async () => {
        const receiver = await new WebhookReceiver().start();
        receiver.decide = () => ({ status: 200, delayMs: 5 });
        const schema = `ww_${randomBytes(6).toString('hex')}`;
        const stores: Store[] =
          kind === 'postgres'
            ? [
                await openPostgresStore({ url: urlWithSchema(schema), poolSize: 3 }),
                await openPostgresStore({ url: urlWithSchema(schema), poolSize: 3 }),
              ]
            : [await openSqliteStore({ file: ':memory:' })];
        const ctxOf = (store: Store): CoreContext => ({
          store,
          clock: systemClock,
          ids: randomIds,
          events: new MemoryEventBus(),
        });
        const peak = new Map<string, number>();
        const workers: WebhookWorker[] = [];
        try {
          const ctx = ctxOf(stores[0] as Store);
          const { partner } = await createPartner(ctx, { name: 'Blue MSP' });
          const integrations: { id: string; vendorId: string }[] = [];
          for (let i = 0; i < 3; i++) {
            const { vendor } = await createVendor(ctx, { name: `Vendor ${i}` });
            const { integration } = await connectIntegration(ctx, {
              vendorId: vendor.id,
              partnerId: partner.id,
            });
            integrations.push({ id: integration.id, vendorId: vendor.id });
          }
          for (let e = 0; e < 3; e++) {
            await createWebhookEndpoint(
              ctx,
              { kind: 'partner', id: partner.id },
              { url: receiver.url(`/w${e}`), eventTypes: ['billing.built'] },
              { allowPrivateNetworks: false },
            );
          }
          for (let revision = 1; revision <= 30; revision++) {
            const batch: EventInput[] = integrations.map((i) => ({
              type: 'billing.built',
              partnerId: partner.id,
              vendorId: i.vendorId,
              integrationId: i.id,
              occurredAtMs: Date.now(),
              data: { integrationId: i.id, revision, countsChanged: 1 },
            }));
            await ctx.store.transaction((tx) => emitWebhookEvents(tx, ctx.ids, batch));
          }
          const transport = countingTransport(peak);
          // Two workers per store: on PostgreSQL four claimers over two pools.
          for (const store of stores) {
            for (let w = 0; w < 2; w++) {
              const worker = new WebhookWorker(ctxOf(store), {
                transport,
                leaseMs: 30_000,
                pollMs: 10,
                timeoutMs: 5_000,
                maxInFlightPerEndpoint: MAX_IN_FLIGHT,
                retry: { baseMs: 10, maxDelayMs: 50, retryForMs: 60_000 },
                disableAfterMs: 60_000,
              });
              workers.push(worker);
              await worker.start({ soleProcess: false });
            }
          }
          await receiver.until(() => receiver.received.length >= 3 * 3 * 30, 60_000);
          await Promise.all(workers.map((w) => w.stop()));

          const pairs = receiver.received.map((r) => `${r.path} ${r.headers['webhook-id']}`);
          assert.equal(new Set(pairs).size, pairs.length, 'no delivery was sent twice');
          assert.equal(pairs.length, 270);
          for (const [url, n] of peak) assert.ok(n <= MAX_IN_FLIGHT, `${url} had ${n} in flight`);
          for (let e = 0; e < 3; e++) {
            for (const integration of integrations) {
              const revisions = receiver.received
                .filter((r) => r.path === `/w${e}`)
                .map((r) => JSON.parse(r.body).data)
                .filter((d: { integrationId: string }) => d.integrationId === integration.id)
                .map((d: { revision: number }) => d.revision);
              assert.deepEqual(
                revisions,
                Array.from({ length: 30 }, (_, k) => k + 1),
              );
            }
          }
        } finally {
          await Promise.all(workers.map((w) => w.stop()));
          for (const store of stores) await store.close();
          await receiver.close();
          if (kind === 'postgres') await dropSchema(schema);
        }
      });
    },
  );
}

test('a delivery that keeps failing past its retry window is marked failed and not tried again', async () => {
  const receiver = await new WebhookReceiver().start();
  receiver.decide = () => ({ status: 500 });
  const store = await openSqliteStore({ file: ':memory:' });
  const ctx: CoreContext = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
  const worker = new WebhookWorker(ctx, {
    transport: httpWebhookTransport({ allowPrivateNetworks: false }),
    leaseMs: 30_000,
    pollMs: 10,
    timeoutMs: 2_000,
    maxInFlightPerEndpoint: 1,
    retry: { baseMs: 10, maxDelayMs: 20, retryForMs: 150 },
    disableAfterMs: 60_000,
  });
  try {
    const { partner } = await createPartner(ctx, { name: 'Blue MSP' });
    const { vendor } = await createVendor(ctx, { name: 'Vendor' });
    const { integration } = await connectIntegration(ctx, { vendorId: vendor.id, partnerId: partner.id });
    const endpoint = await createWebhookEndpoint(
      ctx,
      { kind: 'partner', id: partner.id },
      { url: receiver.url('/down'), eventTypes: ['integration.paused'] },
      { allowPrivateNetworks: false },
    );
    await store.transaction((tx) =>
      emitWebhookEvents(tx, ctx.ids, [
        {
          type: 'integration.paused',
          partnerId: partner.id,
          vendorId: vendor.id,
          integrationId: integration.id,
          occurredAtMs: Date.now(),
          data: { integrationId: integration.id, vendorId: vendor.id },
        },
      ]),
    );
    await worker.start({ soleProcess: true });
    let status = 'pending';
    for (let i = 0; i < 200 && status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await store.listWebhookDeliveries(endpoint.id, { limit: 1 }))[0]?.delivery.status ?? 'none';
    }
    assert.equal(status, 'failed');
    const tries = receiver.received.length;
    assert.ok(tries >= 2, `${tries} attempts`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.received.length, tries, 'nothing is sent after the delivery failed');
    const [entry] = await store.listWebhookDeliveries(endpoint.id, { limit: 1 });
    const attempts = await store.listWebhookAttempts([entry!.delivery.id]);
    assert.equal(attempts.length, tries);
    assert.ok(attempts.every((a) => a.statusCode === 500 && a.error === 'HTTP 500'));
  } finally {
    await worker.stop();
    await store.close();
    await receiver.close();
  }
});
