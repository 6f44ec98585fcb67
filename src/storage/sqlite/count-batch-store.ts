import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import {
  type CountKey,
  countKey,
  type CountSnapshot,
  type CountBatchStore,
  type CountWrites,
  pairKey,
} from '../../core/counts/batch-store.js';
import { LOCKED_COLUMNS, type LockedRow, mappingOf, toLocked } from '../count-snapshot.js';
import type { Database as Schema } from '../schema.js';
import type { WalSync } from './wal-sync.js';

interface MappedItemRow {
  is_active: number | null;
  target_id: string | null;
  excluded: number | null;
  updated_at_ms: number | null;
}

/**
 * The count batch on SQLite, on better-sqlite3's own prepared statements: in process, a statement
 * costs a few microseconds, and Kysely's executor and row mapping cost more than the statements.
 * The whole batch runs synchronously in one `BEGIN IMMEDIATE` transaction while this store holds
 * Kysely's only connection, so it never interleaves with a transaction of the repository.
 *
 * With `walSync` (a file database with `synchronous = FULL`) the batch commits without flushing,
 * which would hold the event loop for the length of a disk flush, and resolves after `walSync` has
 * flushed the log off the loop; the next batch may commit meanwhile. Every other transaction keeps
 * flushing inside its commit.
 */
export function sqliteCountBatchStore(
  sqlite: Database.Database,
  db: Kysely<Schema>,
  walSync?: WalSync,
): CountBatchStore {
  const noFlush = sqlite.prepare('pragma synchronous = NORMAL');
  const fullFlush = sqlite.prepare('pragma synchronous = FULL');
  const lock = sqlite.prepare(`select ${LOCKED_COLUMNS} where b.integration_id = ?`);
  const account = sqlite.prepare(`select a.is_active, m.target_id, m.excluded, m.updated_at_ms
    from accounts a left join mappings m
      on m.integration_id = a.integration_id and m.kind = 'account' and m.item_id = a.id
    where a.integration_id = ? and a.id = ?`);
  const service = sqlite.prepare(`select
      (select is_active from org_services where integration_id = @i and id = @s) as is_active,
      (select count(*) from skus where vendor_id = @v and id = @s) as sku_count,
      m.target_id, m.excluded, m.updated_at_ms
    from (select 1) p left join mappings m
      on m.integration_id = @i and m.kind = 'service' and m.item_id = @s`);
  const current = sqlite
    .prepare('select unit_count from counts where integration_id = ? and account_id = ? and service_id = ?')
    .pluck();
  const putCount = sqlite.prepare(`insert into counts
      (integration_id, account_id, service_id, unit_count, revision, updated_at_ms) values (?, ?, ?, ?, ?, ?)
    on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
      revision = excluded.revision, updated_at_ms = excluded.updated_at_ms`);
  const appendHistory = sqlite.prepare(`insert into count_history (integration_id, account_id, service_id,
      at_ms, unit_count, previous_unit_count, revision, request_id, idempotency_key)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const forget = sqlite.prepare(
    'delete from waiting_counts where integration_id = ? and account_id = ? and service_id = ?',
  );
  const remember = sqlite.prepare(`insert into waiting_counts (integration_id, account_id, service_id,
      unit_count, reason, attempts, last_attempt_at_ms) values (?, ?, ?, ?, ?, ?, ?)
    on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
      reason = excluded.reason, attempts = waiting_counts.attempts + excluded.attempts,
      last_attempt_at_ms = excluded.last_attempt_at_ms`);
  const putState = sqlite.prepare(`update build_states set revision = ?, unbuilt_changes = ?,
      first_unbuilt_at_ms = ?, due_at_ms = ? where integration_id = ?`);
  const sync = sqlite.prepare(`update integrations set last_synced_at_ms = ?,
      status = case when ? then 'active' else status end where id = ?`);

  const read = (keys: CountKey[]): CountSnapshot => {
    const snapshot: CountSnapshot = {
      integrations: new Map(),
      accounts: new Map(),
      services: new Map(),
      counts: new Map(),
    };
    for (const id of [...new Set(keys.map((k) => k.integrationId))].sort()) {
      const row = lock.get(id) as LockedRow | undefined;
      if (row) snapshot.integrations.set(id, toLocked(row));
    }
    for (const k of keys) {
      const accountKey = pairKey(k.integrationId, k.accountId);
      if (!snapshot.accounts.has(accountKey)) {
        const r = account.get(k.integrationId, k.accountId) as MappedItemRow | undefined;
        if (r) {
          snapshot.accounts.set(accountKey, {
            isActive: r.is_active === 1,
            mapping: mappingOf(
              k.integrationId,
              'account',
              k.accountId,
              r.target_id,
              r.excluded,
              r.updated_at_ms,
            ),
          });
        }
      }
      const serviceKey = pairKey(k.integrationId, k.serviceId);
      if (!snapshot.services.has(serviceKey)) {
        const r = service.get({ i: k.integrationId, v: k.vendorId, s: k.serviceId }) as MappedItemRow & {
          sku_count: number;
        };
        snapshot.services.set(serviceKey, {
          orgServiceActive: r.is_active === null ? null : r.is_active === 1,
          skuExists: r.sku_count > 0,
          mapping: mappingOf(
            k.integrationId,
            'service',
            k.serviceId,
            r.target_id,
            r.excluded,
            r.updated_at_ms,
          ),
        });
      }
      const triple = countKey(k.integrationId, k.accountId, k.serviceId);
      if (!snapshot.counts.has(triple)) {
        const value = current.get(k.integrationId, k.accountId, k.serviceId) as number | undefined;
        if (value !== undefined) snapshot.counts.set(triple, value);
      }
    }
    return snapshot;
  };

  const write = (w: CountWrites): void => {
    for (const c of w.counts) {
      putCount.run(c.integrationId, c.accountId, c.serviceId, c.unitCount, c.revision, c.updatedAtMs);
    }
    for (const e of w.history) {
      appendHistory.run(
        e.integrationId,
        e.accountId,
        e.serviceId,
        e.atMs,
        e.unitCount,
        e.previousUnitCount,
        e.revision,
        e.requestId,
        e.idempotencyKey,
      );
    }
    for (const f of w.forget) forget.run(f.integrationId, f.accountId, f.serviceId);
    for (const r of w.remember) {
      remember.run(
        r.integrationId,
        r.accountId,
        r.serviceId,
        r.unitCount,
        r.reason,
        r.attempts,
        r.lastAttemptAtMs,
      );
    }
    // A count changes only these four fields of the build state; the rest belongs to builds.
    for (const s of w.states) {
      putState.run(s.revision, s.unbuiltChanges, s.firstUnbuiltAtMs, s.dueAtMs, s.integrationId);
    }
    for (const s of w.syncs) sync.run(s.atMs, s.activate ? 1 : 0, s.integrationId);
  };

  const batch = sqlite.transaction(
    (keys: CountKey[], plan: (snapshot: CountSnapshot) => { writes: CountWrites; value: unknown }) => {
      const { writes, value } = plan(read(keys));
      write(writes);
      return value;
    },
  );

  return {
    async writeCountBatch<T>(
      keys: CountKey[],
      plan: (snapshot: CountSnapshot) => { writes: CountWrites; value: T },
      committed?: () => void,
    ): Promise<T> {
      // Holding Kysely's connection keeps its transactions out while this one runs.
      const value = await db.connection().execute(async () => {
        if (!walSync) return batch.immediate(keys, plan) as T;
        noFlush.run();
        try {
          return batch.immediate(keys, plan) as T;
        } finally {
          fullFlush.run();
        }
      });
      committed?.();
      // Begun after the commit above, so it covers it.
      await walSync?.flush();
      return value;
    },
  };
}
