import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { composeTally } from '../../src/bin/tally-server.js';
import { loadConfig } from '../../src/config/config.js';
import type { BuildEvent } from '../../src/core/ports.js';
import { PostgresEventBus, buildChannelOf } from '../../src/storage/postgres/event-bus.js';
import { eventually } from '../support/eventually.js';
import { TEST_DATABASE_URL } from '../support/stores.js';
import { dropSchema, postgresSkipReason, urlWithSchema } from './postgres-support.js';

const skip = await postgresSkipReason('PostgreSQL event bus tests');

const event = (builtRevision: number, integrationId = 'integration-1'): BuildEvent => ({
  integrationId,
  partnerId: 'partner-1',
  builtRevision,
  builtAtMs: 1_700_000_000_000 + builtRevision,
});

/** A schema name of its own, so concurrent test files never share a channel. */
const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

/** Collects what a bus delivers to its local listeners. */
function recorder(bus: PostgresEventBus): BuildEvent[] {
  const seen: BuildEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  return seen;
}

describe('PostgreSQL event bus', { skip }, () => {
  const open: PostgresEventBus[] = [];
  const openBus = async (schema: string, onError?: (error: unknown) => void) => {
    const bus = await PostgresEventBus.open({
      url: TEST_DATABASE_URL,
      schema,
      reconnectDelayMs: 20,
      ...(onError && { onError }),
    });
    open.push(bus);
    return bus;
  };
  after(async () => {
    for (const bus of open) await bus.close();
  });

  test('an event published by one process reaches every other, and its own listeners once', async () => {
    const schema = freshSchema();
    const a = await openBus(schema);
    const b = await openBus(schema);
    const c = await openBus(schema);
    const [seenA, seenB, seenC] = [recorder(a), recorder(b), recorder(c)];

    await a.publish(event(1));
    assert.deepEqual(seenA, [event(1)], 'the publisher delivers locally before any round trip');
    assert.ok(await eventually(() => seenB.length === 1 && seenC.length === 1), 'delivered to B and C');
    assert.deepEqual(seenB, [event(1)]);
    assert.deepEqual(seenC, [event(1)]);

    await b.publish(event(2));
    assert.ok(await eventually(() => seenA.length === 2 && seenC.length === 2));
    // The publisher's own notification comes back to it too; it must not deliver it a second time.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seenA, [event(1), event(2)]);
    assert.deepEqual(seenB, [event(1), event(2)]);
  });

  test('schemas in one database do not hear each other', async () => {
    const here = freshSchema();
    const publisher = await openBus(here);
    const neighbour = recorder(await openBus(here));
    const stranger = recorder(await openBus(freshSchema()));

    await publisher.publish(event(1));
    assert.ok(await eventually(() => neighbour.length === 1));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(stranger, []);
  });

  test('notifications that are not build events are ignored', async () => {
    const schema = freshSchema();
    const publisher = await openBus(schema);
    const seen = recorder(await openBus(schema));
    const raw = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await raw.connect();
    try {
      const channel = buildChannelOf(schema);
      for (const payload of [
        'not json',
        '{"origin":"x"}',
        '{"origin":"x","event":{"integrationId":1,"partnerId":"p","builtRevision":1,"builtAtMs":1}}',
        '{"origin":"x","event":{"integrationId":"i","partnerId":"p","builtRevision":1.5,"builtAtMs":1}}',
      ]) {
        await raw.query('SELECT pg_notify($1, $2)', [channel, payload]);
      }
    } finally {
      await raw.end();
    }
    await publisher.publish(event(7));
    assert.ok(await eventually(() => seen.length > 0));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen, [event(7)], 'only the well-formed event arrived');
  });

  test('a listener whose connection is killed reconnects and hears later events', async () => {
    const schema = freshSchema();
    const errors: unknown[] = [];
    const listener = await openBus(schema, (error) => errors.push(error));
    const publisher = await openBus(schema);
    const seen = recorder(listener);

    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'tally-events' AND query = $1`,
        [`LISTEN "${buildChannelOf(schema)}"`],
      );
      // Both buses listen on this channel; the publisher is killed too, and must recover as well.
      assert.equal(killed.rowCount, 2);
    } finally {
      await admin.end();
    }
    assert.ok(await eventually(() => errors.length > 0), 'the loss was reported');

    let revision = 0;
    const heard = await eventually(() => {
      // Publish until the reconnected listener hears one: events sent while it was away are lost.
      void publisher.publish(event(++revision)).catch(() => {});
      return seen.length > 0;
    }, 5000);
    assert.ok(heard, 'an event published after the reconnect arrived');
  });

  test('the composition root picks this bus for a PostgreSQL database URL', async () => {
    const schema = freshSchema();
    const tally = await composeTally(
      loadConfig({}, { databaseUrl: urlWithSchema(schema), logLevel: 'silent', port: 0 }),
    );
    try {
      assert.ok(tally.ctx.events instanceof PostgresEventBus);
      assert.equal(tally.ctx.store.dialect, 'postgres');
    } finally {
      await tally.close();
      await dropSchema(schema);
    }
  });
});
