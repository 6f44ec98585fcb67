import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
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
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { dropSchema, urlWithSchema } from '../storage/postgres-support.js';
import { startServerProcess, stopProcess } from '../support/process.js';
import { testStoreKind } from '../support/stores.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const INTEGRATIONS = 3;
const EVENTS_PER_INTEGRATION = 80;
const ENDPOINTS = 4;

/** A database for a real server process: a SQLite file, or a fresh PostgreSQL schema. */
async function database(): Promise<{ store: Store; args: string[]; dispose: () => Promise<void> }> {
  if (testStoreKind() === 'postgres') {
    const schema = `w_${randomBytes(6).toString('hex')}`;
    const url = urlWithSchema(schema);
    const store = await openPostgresStore({ url, poolSize: 2 });
    return { store, args: ['--database-url', url], dispose: () => dropSchema(schema) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tally-webhook-crash-'));
  const file = join(dir, 'tally.db');
  const store = await openSqliteStore({ file });
  return { store, args: ['--db', file], dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}

test('SIGKILL during a fan-out loses nothing: a restart delivers every event to every endpoint, in order', async () => {
  const receiver = await new WebhookReceiver().start();
  const db = await database();
  try {
    const ctx: CoreContext = {
      store: db.store,
      clock: systemClock,
      ids: randomIds,
      events: new MemoryEventBus(),
    };
    const { partner } = await createPartner(ctx, { name: 'Blue MSP' });
    const integrations: { id: string; vendorId: string }[] = [];
    for (let i = 0; i < INTEGRATIONS; i++) {
      const { vendor } = await createVendor(ctx, { name: `Vendor ${i}` });
      const { integration } = await connectIntegration(ctx, { vendorId: vendor.id, partnerId: partner.id });
      integrations.push({ id: integration.id, vendorId: vendor.id });
    }
    for (let e = 0; e < ENDPOINTS; e++) {
      await createWebhookEndpoint(
        ctx,
        { kind: 'partner', id: partner.id },
        { url: receiver.url(`/ep${e}`), eventTypes: ['billing.built'] },
        { allowPrivateNetworks: false },
      );
    }
    // The outbox, as builds would fill it: revisions 1..N per integration, interleaved.
    for (let revision = 1; revision <= EVENTS_PER_INTEGRATION; revision++) {
      const batch: EventInput[] = integrations.map((i) => ({
        type: 'billing.built',
        partnerId: partner.id,
        vendorId: i.vendorId,
        integrationId: i.id,
        occurredAtMs: Date.now(),
        data: { integrationId: i.id, revision, countsChanged: 1 },
      }));
      await db.store.transaction((tx) => emitWebhookEvents(tx, ctx.ids, batch));
    }
    await db.store.close();
    const expected = INTEGRATIONS * EVENTS_PER_INTEGRATION * ENDPOINTS;

    // Slow answers and random failures keep many deliveries in flight when the kill comes.
    receiver.decide = () => (Math.random() < 0.2 ? { status: 500 } : { status: 200, delayMs: 15 });
    const env = {
      TALLY_WEBHOOK_POLL_MS: '20',
      TALLY_WEBHOOK_RETRY_BASE_MS: '20',
      TALLY_WEBHOOK_RETRY_MAX_DELAY_MS: '100',
      TALLY_WEBHOOK_LEASE_MS: '1000',
    };
    const first = await startServerProcess(db.args, env);
    await receiver.until(() => receiver.received.length >= expected / 4, 60_000);
    await stopProcess(first.child, 'SIGKILL');
    const receivedBeforeKill = receiver.received.filter((r) => r.status === 200).length;
    assert.ok(receivedBeforeKill < expected, 'killed in the middle of the fan-out');

    const delivered = () => {
      const pairs = new Set<string>();
      for (const r of receiver.received)
        if (r.status === 200) pairs.add(`${r.path} ${r.headers['webhook-id']}`);
      return pairs;
    };
    const second = await startServerProcess(db.args, env);
    try {
      await receiver.until(() => delivered().size === expected, 120_000);
    } finally {
      await stopProcess(second.child);
    }

    // Order: per endpoint and integration, revisions never go back (a resend after the kill repeats
    // the one in flight, with the same webhook-id, and nothing after it had started).
    const ids = new Map<string, string>();
    for (let e = 0; e < ENDPOINTS; e++) {
      for (const integration of integrations) {
        const seen = receiver.received
          .filter((r) => r.path === `/ep${e}`)
          .map((r) => ({ body: JSON.parse(r.body), id: String(r.headers['webhook-id']) }))
          .filter((r) => r.body.data.integrationId === integration.id);
        const revisions = seen.map((r) => r.body.data.revision as number);
        for (let k = 1; k < revisions.length; k++) {
          assert.ok(
            revisions[k]! >= revisions[k - 1]!,
            `order kept at /ep${e}: ${revisions.slice(0, k + 1)}`,
          );
        }
        for (const r of seen) {
          const key = `${integration.id} ${r.body.data.revision}`;
          const known = ids.get(key);
          if (known) assert.equal(r.id, known, 'a repeated event keeps its webhook-id');
          else ids.set(key, r.id);
        }
      }
    }
    assert.equal(ids.size, INTEGRATIONS * EVENTS_PER_INTEGRATION);
  } finally {
    await receiver.close();
    await db.dispose();
  }
});
