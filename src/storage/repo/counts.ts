import type { BillingRow, BuildState, CurrentCount, HistoryEntry, WaitingCount } from '../../core/model.js';
import type { CountStore } from '../../core/ports.js';
import { type Selectable, sql } from 'kysely';
import { toBuildState } from '../rows.js';
import type { BuildStatesTable, CountHistoryTable, CountsTable, Db } from '../schema.js';

const buildStateRow = (s: BuildState): BuildStatesTable => ({
  integration_id: s.integrationId,
  revision: s.revision,
  built_revision: s.builtRevision,
  unbuilt_changes: s.unbuiltChanges,
  first_unbuilt_at_ms: s.firstUnbuiltAtMs,
  due_at_ms: s.dueAtMs,
  building_until_ms: s.buildingUntilMs,
  claimed_revision: s.claimedRevision,
  claimed_changes: s.claimedChanges,
  last_built_at_ms: s.lastBuiltAtMs,
  builds: s.builds,
});

const toCount = (r: CountsTable): CurrentCount => ({
  integrationId: r.integration_id,
  accountId: r.account_id,
  serviceId: r.service_id,
  unitCount: r.unit_count,
  revision: r.revision,
  updatedAtMs: Number(r.updated_at_ms),
});

const toHistory = (r: Selectable<CountHistoryTable>): HistoryEntry => ({
  id: Number(r.id),
  integrationId: r.integration_id,
  accountId: r.account_id,
  serviceId: r.service_id,
  atMs: Number(r.at_ms),
  unitCount: r.unit_count,
  previousUnitCount: r.previous_unit_count,
  revision: r.revision,
  requestId: r.request_id,
  idempotencyKey: r.idempotency_key,
});

/** Rows per INSERT when rewriting a billing view; keeps every statement under SQLite's variable limit. */
const INSERT_CHUNK_ROWS = 500;

export const countRepo = (db: Db, dialect: 'sqlite' | 'postgres'): CountStore => {
  const repo: CountStore = {
    // The count path's statements are plain SQL: Kysely's builder costs more than these queries.
    async getCount(integrationId, accountId, serviceId) {
      const { rows } = await sql<CountsTable>`select * from counts
      where integration_id = ${integrationId} and account_id = ${accountId} and service_id = ${serviceId}`.execute(
        db,
      );
      return rows[0] && toCount(rows[0]);
    },
    async putCount(c: CurrentCount) {
      await sql`insert into counts (integration_id, account_id, service_id, unit_count, revision, updated_at_ms)
      values (${c.integrationId}, ${c.accountId}, ${c.serviceId}, ${c.unitCount}, ${c.revision}, ${c.updatedAtMs})
      on conflict (integration_id, account_id, service_id) do update set
        unit_count = excluded.unit_count, revision = excluded.revision, updated_at_ms = excluded.updated_at_ms`.execute(
        db,
      );
    },
    async listCounts(integrationId) {
      const rows = await db
        .selectFrom('counts')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .execute();
      return rows.map(toCount);
    },
    async recordCount(c, e) {
      if (dialect === 'postgres') {
        // One round trip: every part of the statement sees the row as it was before it, so `prev`
        // is the replaced value even though `up` writes the new one.
        const { rows } = await sql<{ previous: number | null }>`with
        prev as (select unit_count from counts
          where integration_id = ${c.integrationId} and account_id = ${c.accountId} and service_id = ${c.serviceId}),
        up as (insert into counts (integration_id, account_id, service_id, unit_count, revision, updated_at_ms)
          values (${c.integrationId}, ${c.accountId}, ${c.serviceId}, ${c.unitCount}, ${c.revision}, ${c.updatedAtMs})
          on conflict (integration_id, account_id, service_id) do update set unit_count = excluded.unit_count,
            revision = excluded.revision, updated_at_ms = excluded.updated_at_ms),
        hist as (insert into count_history (integration_id, account_id, service_id, at_ms, unit_count,
            previous_unit_count, revision, request_id, idempotency_key)
          values (${e.integrationId}, ${e.accountId}, ${e.serviceId}, ${e.atMs}, ${e.unitCount},
            (select unit_count from prev), ${e.revision}, ${e.requestId}, ${e.idempotencyKey})),
        gone as (delete from waiting_counts
          where integration_id = ${c.integrationId} and account_id = ${c.accountId} and service_id = ${c.serviceId})
        select (select unit_count from prev) as previous`.execute(db);
        return rows[0]?.previous ?? null;
      }
      // SQLite runs in-process: four statements cost no round trips.
      const previous = (await repo.getCount(c.integrationId, c.accountId, c.serviceId))?.unitCount ?? null;
      await repo.putCount(c);
      await repo.appendHistory({ ...e, previousUnitCount: previous });
      await repo.forgetWaiting(c.integrationId, c.accountId, c.serviceId);
      return previous;
    },
    async appendHistory(e) {
      await sql`insert into count_history (integration_id, account_id, service_id, at_ms, unit_count,
        previous_unit_count, revision, request_id, idempotency_key)
      values (${e.integrationId}, ${e.accountId}, ${e.serviceId}, ${e.atMs}, ${e.unitCount},
        ${e.previousUnitCount}, ${e.revision}, ${e.requestId}, ${e.idempotencyKey})`.execute(db);
    },
    async listHistory(integrationId, { accountId, serviceId, beforeId, limit }) {
      let q = db.selectFrom('count_history').selectAll().where('integration_id', '=', integrationId);
      if (accountId !== undefined) q = q.where('account_id', '=', accountId);
      if (serviceId !== undefined) q = q.where('service_id', '=', serviceId);
      if (beforeId !== undefined) q = q.where('id', '<', beforeId);
      const rows = await q.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toHistory);
    },
    async listHistoryOfPairs(integrationId, { accountIds, serviceIds }, limit) {
      if (accountIds.length === 0 || serviceIds.length === 0) return [];
      const rows = await db
        .selectFrom('count_history')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .where('account_id', 'in', accountIds)
        .where('service_id', 'in', serviceIds)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toHistory);
    },

    async rememberWaiting(w) {
      await db
        .insertInto('waiting_counts')
        .values({
          integration_id: w.integrationId,
          account_id: w.accountId,
          service_id: w.serviceId,
          unit_count: w.unitCount,
          reason: w.reason,
          attempts: 1,
          last_attempt_at_ms: w.lastAttemptAtMs,
        })
        .onConflict((oc) =>
          oc.columns(['integration_id', 'account_id', 'service_id']).doUpdateSet((eb) => ({
            unit_count: w.unitCount,
            reason: w.reason,
            attempts: eb('waiting_counts.attempts', '+', 1),
            last_attempt_at_ms: w.lastAttemptAtMs,
          })),
        )
        .execute();
    },
    async listWaiting(integrationId) {
      const rows = await db
        .selectFrom('waiting_counts')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .orderBy('last_attempt_at_ms', 'desc')
        .execute();
      return rows.map((r): WaitingCount => ({
        integrationId: r.integration_id,
        accountId: r.account_id,
        serviceId: r.service_id,
        unitCount: r.unit_count,
        reason: r.reason as WaitingCount['reason'],
        attempts: r.attempts,
        lastAttemptAtMs: Number(r.last_attempt_at_ms),
      }));
    },
    async forgetWaiting(integrationId, accountId, serviceId) {
      await sql`delete from waiting_counts
      where integration_id = ${integrationId} and account_id = ${accountId} and service_id = ${serviceId}`.execute(
        db,
      );
    },

    async insertBuildState(s) {
      await db.insertInto('build_states').values(buildStateRow(s)).execute();
    },
    async getBuildState(integrationId) {
      const r = await db
        .selectFrom('build_states')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .executeTakeFirst();
      return r && toBuildState(r);
    },
    async updateBuildState(s) {
      await sql`update build_states set revision = ${s.revision}, built_revision = ${s.builtRevision},
        unbuilt_changes = ${s.unbuiltChanges}, first_unbuilt_at_ms = ${s.firstUnbuiltAtMs}, due_at_ms = ${s.dueAtMs},
        building_until_ms = ${s.buildingUntilMs}, claimed_revision = ${s.claimedRevision},
        claimed_changes = ${s.claimedChanges}, last_built_at_ms = ${s.lastBuiltAtMs}, builds = ${s.builds}
      where integration_id = ${s.integrationId}`.execute(db);
    },
    async listDueBuilds(nowMs, limit) {
      let q = db
        .selectFrom('build_states')
        .select('integration_id')
        // The same rule as isClaimable in core/builds/debounce.ts, in SQL.
        .where((eb) =>
          eb.or([
            eb.and([eb('building_until_ms', 'is', null), eb('due_at_ms', '<=', nowMs)]),
            eb('building_until_ms', '<=', nowMs),
          ]),
        )
        .orderBy('due_at_ms')
        .limit(limit);
      // Another process may be claiming the same rows; skipping them is what makes each build run once.
      if (dialect === 'postgres') q = q.forUpdate().skipLocked();
      return (await q.execute()).map((r) => r.integration_id);
    },
    async lockBuildState(integrationId) {
      // Other processes wait here until this transaction ends; SQLite already serialises writers.
      const lock = dialect === 'postgres' ? sql`for update` : sql``;
      const { rows } = await sql<BuildStatesTable>`select * from build_states
      where integration_id = ${integrationId} ${lock}`.execute(db);
      return rows[0] && toBuildState(rows[0]);
    },
    async earliestDueAtMs() {
      const r = await db
        .selectFrom('build_states')
        .select((eb) => eb.fn.min('due_at_ms').as('due'))
        .executeTakeFirst();
      return r?.due === null || r?.due === undefined ? null : Number(r.due);
    },

    async expireBuildLeases(nowMs) {
      const r = await db
        .updateTable('build_states')
        .set({ building_until_ms: nowMs })
        .where('building_until_ms', '>', nowMs)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async replaceBillingRows(integrationId, rows: BillingRow[]) {
      // Atomic even when called outside a transaction: on PostgreSQL a reader between the DELETE and
      // the INSERTs would otherwise see an empty or half-written view.
      const rewrite = async (trx: Db) => {
        await trx.deleteFrom('billing_rows').where('integration_id', '=', integrationId).execute();
        for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
          await trx
            .insertInto('billing_rows')
            .values(
              rows.slice(i, i + INSERT_CHUNK_ROWS).map((r) => ({
                integration_id: r.integrationId,
                company_id: r.companyId,
                product_id: r.productId,
                vendor_quantity: r.vendorQuantity,
                last_changed_at_ms: r.lastChangedAtMs,
                built_at_ms: r.builtAtMs,
                built_revision: r.builtRevision,
              })),
            )
            .execute();
        }
      };
      if (db.isTransaction) await rewrite(db);
      else await db.transaction().execute(rewrite);
    },
    async listBillingRows(integrationIds) {
      if (integrationIds.length === 0) return [];
      const rows = await db
        .selectFrom('billing_rows')
        .selectAll()
        .where('integration_id', 'in', integrationIds)
        .execute();
      return rows.map((r) => ({
        integrationId: r.integration_id,
        companyId: r.company_id,
        productId: r.product_id,
        vendorQuantity: r.vendor_quantity,
        lastChangedAtMs: Number(r.last_changed_at_ms),
        builtAtMs: Number(r.built_at_ms),
        builtRevision: r.built_revision,
      }));
    },
  };
  return repo;
};
