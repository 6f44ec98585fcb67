import type pg from 'pg';
import {
  type CountKey,
  countKey,
  type CountSnapshot,
  type CountBatchStore,
  type CountWrites,
  pairKey,
} from '../../core/counts/batch-store.js';
import { LOCKED_COLUMNS, type LockedRow, mappingOf, toLocked } from '../count-snapshot.js';

/**
 * Locks the batch's build states in id order (so two batches never deadlock). A separate statement
 * from the read: under READ COMMITTED a statement that waited for a lock still reads the other
 * tables as they were when it started, and the counts must be read after the lock is held.
 */
const LOCK = {
  name: 'tally_count_lock',
  text: `select ${LOCKED_COLUMNS} where b.integration_id = any($1::text[])
    order by b.integration_id for update of b`,
};

/**
 * Accounts with their mappings, services with their facts and the current counts: one round trip.
 * Every lookup is a lateral subquery fenced with `offset 0`, so it stays a probe of the primary key
 * per key of the batch. Left to itself the planner joins the key arrays by hashing whole tables
 * whenever it believes them small — always so in a new database, whose tables have no statistics
 * yet when the prepared statement's generic plan is made — and a batch then read every account
 * and every count.
 */
const READ = {
  name: 'tally_count_read',
  text: `select
    (select coalesce(json_agg(json_build_array(k.i, k.a, a.is_active, m.target_id, m.excluded, m.updated_at_ms)), '[]')
      from unnest($1::text[], $2::text[]) k(i, a)
      cross join lateral (select is_active from accounts where integration_id = k.i and id = k.a offset 0) a
      left join lateral (select target_id, excluded, updated_at_ms from mappings
        where integration_id = k.i and kind = 'account' and item_id = k.a offset 0) m on true) as accounts,
    (select coalesce(json_agg(json_build_array(k.i, k.s, o.is_active,
        exists (select 1 from skus where vendor_id = k.v and id = k.s), m.target_id, m.excluded, m.updated_at_ms)), '[]')
      from unnest($3::text[], $4::text[], $5::text[]) k(i, v, s)
      left join lateral (select is_active from org_services where integration_id = k.i and id = k.s offset 0) o on true
      left join lateral (select target_id, excluded, updated_at_ms from mappings
        where integration_id = k.i and kind = 'service' and item_id = k.s offset 0) m on true) as services,
    (select coalesce(json_agg(json_build_array(k.i, k.a, k.s, c.unit_count)), '[]')
      from unnest($6::text[], $7::text[], $8::text[]) k(i, a, s)
      cross join lateral (select unit_count from counts
        where integration_id = k.i and account_id = k.a and service_id = k.s offset 0) c) as counts`,
};

/**
 * The optimistic attempt's check: every integration of the batch is still as the unlocked read saw
 * it (same revision, keys, pause and disconnection). Every count bumps its integration's revision
 * under the row lock, so an unchanged revision means no count of it committed in between and the
 * previous values read still hold. It locks the rows in id order (so no deadlocks) until the
 * statement commits; a row changed meanwhile is read again as it now is, and fails the check.
 */
const GUARD = `ok as (select count(*) = cardinality($33::text[]) as ok from (select 1
    from build_states b join integrations i on i.id = b.integration_id join vendors v on v.id = i.vendor_id
    join unnest($33::text[], $34::int[], $35::text[], $36::text[], $37::int8[], $38::int8[])
      g(id, revision, key_hash, vendor_key_hash, paused, disconnected) on g.id = b.integration_id
    where b.revision = g.revision and i.key_hash = g.key_hash and v.key_hash = g.vendor_key_hash
      and i.paused_at_ms is not distinct from g.paused and i.disconnected_at_ms is not distinct from g.disconnected
    order by b.integration_id for update of b) held),`;

/**
 * Everything a batch writes, as one statement over arrays. Data-modifying CTEs all run; the triples
 * of `forget` and `remember` never overlap (a pair's facts are the same for the whole batch).
 * Guarded, every part writes only if the check above holds, and the statement answers whether it did.
 */
function writeStatement(guarded: boolean): { name: string; text: string } {
  const only = guarded ? '(select ok from ok)' : 'true';
  return {
    name: guarded ? 'tally_count_write_guarded' : 'tally_count_write',
    text: `with ${guarded ? GUARD : ''}
  up as (insert into counts (integration_id, account_id, service_id, unit_count, revision, updated_at_ms)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::int[], $6::int8[]) where ${only}
    on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
      revision = excluded.revision, updated_at_ms = excluded.updated_at_ms),
  hist as (insert into count_history (integration_id, account_id, service_id, at_ms, unit_count,
      previous_unit_count, revision, request_id, idempotency_key)
    select i, a, s, t, u, p, r, q, null from unnest($7::text[], $8::text[], $9::text[], $10::int8[],
      $11::float8[], $12::float8[], $13::int[], $14::text[]) with ordinality h(i, a, s, t, u, p, r, q, n)
    where ${only} order by n),
  gone as (delete from waiting_counts w using unnest($15::text[], $16::text[], $17::text[]) f(i, a, s)
    where w.integration_id = f.i and w.account_id = f.a and w.service_id = f.s and ${only}),
  waits as (insert into waiting_counts (integration_id, account_id, service_id, unit_count, reason, attempts,
      last_attempt_at_ms)
    select * from unnest($18::text[], $19::text[], $20::text[], $21::float8[], $22::text[], $23::int[], $24::int8[])
    where ${only}
    on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
      reason = excluded.reason, attempts = waiting_counts.attempts + excluded.attempts,
      last_attempt_at_ms = excluded.last_attempt_at_ms),
  states as (update build_states b set revision = s.r, unbuilt_changes = s.u, first_unbuilt_at_ms = s.f,
      due_at_ms = s.d
    from unnest($25::text[], $26::int[], $27::int[], $28::int8[], $29::int8[]) s(i, r, u, f, d)
    where b.integration_id = s.i and ${only}),
  syncs as (update integrations g set last_synced_at_ms = s.t,
      status = case when s.act then 'active' else g.status end
    from unnest($30::text[], $31::int8[], $32::bool[]) s(i, t, act) where g.id = s.i and ${only})
  select ${only} as ok`,
  };
}
const WRITE = writeStatement(false);
const GUARDED_WRITE = writeStatement(true);

/** The optimistic attempt's read: the integrations' rows (not locked) with the facts of READ. */
const READ_UNLOCKED = {
  name: 'tally_count_read_unlocked',
  text: `select (select coalesce(json_agg(row_to_json(x)), '[]') from unnest($9::text[]) k(id)
      cross join lateral (select ${LOCKED_COLUMNS} where b.integration_id = k.id offset 0) x) as integrations, r.*
    from (${READ.text}) r`,
};

/** Optimistic attempts before a batch takes its integrations' locks up front. */
const OPTIMISTIC_ATTEMPTS = 2;

type Json = (string | number | boolean | null)[];

const readValues = (keys: CountKey[]): unknown[] => {
  const accounts = new Map<string, CountKey>();
  const services = new Map<string, CountKey>();
  const triples = new Map<string, CountKey>();
  for (const k of keys) {
    accounts.set(pairKey(k.integrationId, k.accountId), k);
    services.set(pairKey(k.integrationId, k.serviceId), k);
    triples.set(countKey(k.integrationId, k.accountId, k.serviceId), k);
  }
  const a = [...accounts.values()];
  const s = [...services.values()];
  const t = [...triples.values()];
  return [
    a.map((k) => k.integrationId),
    a.map((k) => k.accountId),
    s.map((k) => k.integrationId),
    s.map((k) => k.vendorId),
    s.map((k) => k.serviceId),
    t.map((k) => k.integrationId),
    t.map((k) => k.accountId),
    t.map((k) => k.serviceId),
  ];
};

const writeValues = (w: CountWrites): unknown[] => [
  w.counts.map((c) => c.integrationId),
  w.counts.map((c) => c.accountId),
  w.counts.map((c) => c.serviceId),
  w.counts.map((c) => c.unitCount),
  w.counts.map((c) => c.revision),
  w.counts.map((c) => c.updatedAtMs),
  w.history.map((e) => e.integrationId),
  w.history.map((e) => e.accountId),
  w.history.map((e) => e.serviceId),
  w.history.map((e) => e.atMs),
  w.history.map((e) => e.unitCount),
  w.history.map((e) => e.previousUnitCount),
  w.history.map((e) => e.revision),
  w.history.map((e) => e.requestId),
  w.forget.map((f) => f.integrationId),
  w.forget.map((f) => f.accountId),
  w.forget.map((f) => f.serviceId),
  w.remember.map((r) => r.integrationId),
  w.remember.map((r) => r.accountId),
  w.remember.map((r) => r.serviceId),
  w.remember.map((r) => r.unitCount),
  w.remember.map((r) => r.reason),
  w.remember.map((r) => r.attempts),
  w.remember.map((r) => r.lastAttemptAtMs),
  w.states.map((s) => s.integrationId),
  w.states.map((s) => s.revision),
  w.states.map((s) => s.unbuiltChanges),
  w.states.map((s) => s.firstUnbuiltAtMs),
  w.states.map((s) => s.dueAtMs),
  w.syncs.map((s) => s.integrationId),
  w.syncs.map((s) => s.atMs),
  w.syncs.map((s) => s.activate),
];

function snapshotOf(
  locked: LockedRow[],
  read: { accounts: Json[]; services: Json[]; counts: Json[] },
): CountSnapshot {
  const snapshot: CountSnapshot = {
    integrations: new Map(locked.map((r) => [r.integration_id, toLocked(r)])),
    accounts: new Map(),
    services: new Map(),
    counts: new Map(),
  };
  for (const [i, a, active, target, excluded, updated] of read.accounts as [
    string,
    string,
    number,
    string | null,
    number | null,
    number | null,
  ][]) {
    snapshot.accounts.set(pairKey(i, a), {
      isActive: active === 1,
      mapping: mappingOf(i, 'account', a, target, excluded, updated),
    });
  }
  for (const [i, s, active, sku, target, excluded, updated] of read.services as [
    string,
    string,
    number | null,
    boolean,
    string | null,
    number | null,
    number | null,
  ][]) {
    snapshot.services.set(pairKey(i, s), {
      orgServiceActive: active === null ? null : active === 1,
      skuExists: sku,
      mapping: mappingOf(i, 'service', s, target, excluded, updated),
    });
  }
  for (const [i, a, s, value] of read.counts as [string, string, string, number][]) {
    snapshot.counts.set(countKey(i, a, s), value);
  }
  return snapshot;
}

type ReadRow = { accounts: Json[]; services: Json[]; counts: Json[] };

/** The guard's arrays: each integration as the snapshot saw it. */
const guardValues = (snapshot: CountSnapshot): unknown[] => {
  const all = [...snapshot.integrations.entries()];
  return [
    all.map(([id]) => id),
    all.map(([, i]) => i.state.revision),
    all.map(([, i]) => i.partnerKeyHash),
    all.map(([, i]) => i.vendorKeyHash),
    all.map(([, i]) => i.pausedAtMs),
    all.map(([, i]) => i.disconnectedAtMs),
  ];
};

/**
 * The count batch on PostgreSQL, in named prepared statements (parsed and planned once per
 * connection). First optimistically, in two round trips and without holding a lock between them:
 * read everything, plan, then one guarded statement writes the batch if nothing it read changed
 * meanwhile (it is its own transaction). A batch that keeps meeting changes — another process
 * writing the same integrations — takes the locks up front instead: BEGIN, lock, read, write,
 * COMMIT. Either way the batch commits as a whole or not at all, and a batch of any size costs the
 * same few round trips.
 */
export function postgresCountBatchStore(pool: pg.Pool): CountBatchStore {
  return {
    async writeCountBatch(keys, plan, committed) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        const integrationIds = [...new Set(keys.map((k) => k.integrationId))];
        const readArgs = readValues(keys);
        for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
          const read = await client.query<ReadRow & { integrations: LockedRow[] }>({
            ...READ_UNLOCKED,
            values: [...readArgs, integrationIds],
          });
          const row = read.rows[0];
          if (!row) throw new Error('the count read returned no row');
          const snapshot = snapshotOf(row.integrations, row);
          const { writes, value } = plan(snapshot);
          const written = await client.query<{ ok: boolean }>({
            ...GUARDED_WRITE,
            values: [...writeValues(writes), ...guardValues(snapshot)],
          });
          if (written.rows[0]?.ok === true) {
            committed?.();
            return value;
          }
        }
        await client.query('BEGIN');
        try {
          const locked = await client.query<LockedRow>({ ...LOCK, values: [integrationIds] });
          const read = await client.query<ReadRow>({ ...READ, values: readArgs });
          const { writes, value } = plan(
            snapshotOf(locked.rows, read.rows[0] ?? { accounts: [], services: [], counts: [] }),
          );
          await client.query({ ...WRITE, values: writeValues(writes) });
          await client.query('COMMIT');
          committed?.();
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        }
      } finally {
        // A connection that could not even roll back is dropped from the pool.
        client.release(broken);
      }
    },
  };
}
