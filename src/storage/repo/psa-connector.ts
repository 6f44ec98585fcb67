import { sql } from 'kysely';
import type { PsaKind } from '../../core/model.js';
import type {
  PsaConnection,
  PsaConnectorStore,
  PsaSync,
  PsaSyncCounts,
  PsaWrite,
  PsaWriteState,
  SyncedTable,
} from '../../core/psa-connector/store.js';
import type { Db, PsaConnectionsTable, PsaSyncsTable, PsaWritesTable } from '../schema.js';
import { msOrNull as num } from '../rows.js';

/** Rows per bulk statement; keeps every statement under SQLite's bound-variable limit. */
const CHUNK_ROWS = 400;

const TABLE_OF = {
  company: 'psa_companies',
  product: 'psa_products',
  agreement: 'psa_agreements',
  line: 'psa_agreement_lines',
} as const;

const toConnection = (r: PsaConnectionsTable): PsaConnection => ({
  partnerId: r.partner_id,
  kind: r.kind as PsaKind,
  site: r.site,
  account: r.account,
  settings: JSON.parse(r.settings_json) as Record<string, string>,
  secretBox: r.secret_box,
  deltaSinceMs: num(r.delta_since_ms),
  nextFullSyncAtMs: num(r.next_full_sync_at_ms),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

const toSync = (r: PsaSyncsTable): PsaSync => ({
  id: r.id,
  partnerId: r.partner_id,
  kind: r.kind as PsaKind,
  full: r.full_sync === 1,
  state: r.state as PsaSync['state'],
  startedAtMs: Number(r.started_at_ms),
  finishedAtMs: num(r.finished_at_ms),
  counts: JSON.parse(r.counts_json) as PsaSyncCounts,
  error: r.error,
  leaseUntilMs: num(r.lease_until_ms),
});

const syncRow = (s: PsaSync): PsaSyncsTable => ({
  id: s.id,
  partner_id: s.partnerId,
  kind: s.kind,
  full_sync: s.full ? 1 : 0,
  state: s.state,
  started_at_ms: s.startedAtMs,
  finished_at_ms: s.finishedAtMs,
  counts_json: JSON.stringify(s.counts),
  error: s.error,
  lease_until_ms: s.leaseUntilMs,
});

const toWrite = (r: PsaWritesTable): PsaWrite => ({
  id: r.id,
  partnerId: r.partner_id,
  kind: r.kind as PsaKind,
  op: r.op as PsaWrite['op'],
  period: r.period,
  cardId: r.card_id,
  companyId: r.company_id,
  productId: r.product_id,
  lineId: r.line_id,
  agreementId: r.agreement_id,
  targetQuantity: r.target_quantity,
  state: r.state as PsaWriteState,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAtMs: Number(r.next_attempt_at_ms),
  leaseUntilMs: num(r.lease_until_ms),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
  remoteRef: r.remote_ref,
  effectiveDate: r.effective_date,
});

const writeRow = (w: PsaWrite): PsaWritesTable => ({
  id: w.id,
  partner_id: w.partnerId,
  kind: w.kind,
  op: w.op,
  period: w.period,
  card_id: w.cardId,
  company_id: w.companyId,
  product_id: w.productId,
  line_id: w.lineId,
  agreement_id: w.agreementId,
  target_quantity: w.targetQuantity,
  state: w.state,
  attempts: w.attempts,
  last_error: w.lastError,
  next_attempt_at_ms: w.nextAttemptAtMs,
  lease_until_ms: w.leaseUntilMs,
  created_at_ms: w.createdAtMs,
  updated_at_ms: w.updatedAtMs,
  remote_ref: w.remoteRef,
  effective_date: w.effectiveDate,
});

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS));
  return out;
}

/** PSA connections, their syncs (rows land in the ledger tables by PSA id) and the write outbox. */
export const psaConnectorRepo = (db: Db): PsaConnectorStore => {
  async function localIdsOf(partnerId: string, kind: PsaKind, table: SyncedTable, externalIds: string[]) {
    const ids = new Map<string, string>();
    for (const part of chunks([...new Set(externalIds)])) {
      if (part.length === 0) continue;
      const rows = await db
        .selectFrom(TABLE_OF[table])
        .select(['id', 'external_id'])
        .where('partner_id', '=', partnerId)
        .where('source', '=', kind)
        .where('external_id', 'in', part)
        .execute();
      for (const r of rows) if (r.external_id !== null) ids.set(r.external_id, r.id);
    }
    return ids;
  }

  return {
    async getPsaConnection(partnerId) {
      const r = await db
        .selectFrom('psa_connections')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .executeTakeFirst();
      return r && toConnection(r);
    },
    async putPsaConnection(c) {
      const row: PsaConnectionsTable = {
        partner_id: c.partnerId,
        kind: c.kind,
        site: c.site,
        account: c.account,
        settings_json: JSON.stringify(c.settings),
        secret_box: c.secretBox,
        delta_since_ms: c.deltaSinceMs,
        next_full_sync_at_ms: c.nextFullSyncAtMs,
        created_at_ms: c.createdAtMs,
        updated_at_ms: c.updatedAtMs,
      };
      const { partner_id: _key, created_at_ms: _created, ...changes } = row;
      await db
        .insertInto('psa_connections')
        .values(row)
        .onConflict((oc) => oc.column('partner_id').doUpdateSet(changes))
        .execute();
    },
    async deletePsaConnection(partnerId) {
      await db.deleteFrom('psa_connections').where('partner_id', '=', partnerId).execute();
    },
    async listPsaConnections() {
      return (await db.selectFrom('psa_connections').selectAll().execute()).map(toConnection);
    },
    async setPsaDeltaSince(partnerId, sinceMs) {
      await db
        .updateTable('psa_connections')
        .set({ delta_since_ms: sinceMs })
        .where('partner_id', '=', partnerId)
        .execute();
    },
    async claimPsaFullSync(partnerId, dueAtMs, nextAtMs) {
      const r = await db
        .updateTable('psa_connections')
        .set({ next_full_sync_at_ms: nextAtMs })
        .where('partner_id', '=', partnerId)
        .where('next_full_sync_at_ms', '=', dueAtMs)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async insertPsaSync(s) {
      await db.insertInto('psa_syncs').values(syncRow(s)).execute();
    },
    async updatePsaSync(s) {
      await db.updateTable('psa_syncs').set(syncRow(s)).where('id', '=', s.id).execute();
    },
    async getPsaSync(partnerId, id) {
      const r = await db
        .selectFrom('psa_syncs')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && toSync(r);
    },
    async latestPsaSync(partnerId) {
      const r = await db
        .selectFrom('psa_syncs')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('started_at_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && toSync(r);
    },

    async upsertSyncedCompanies(partnerId, kind, rows, nowMs, newId) {
      for (const part of chunks(rows)) {
        await db
          .insertInto('psa_companies')
          .values(
            part.map((c) => ({
              id: newId(),
              partner_id: partnerId,
              name: c.name,
              created_at_ms: nowMs,
              source: kind,
              external_id: c.externalId,
              external_code: c.code,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['partner_id', 'source', 'external_id'])
              .where('external_id', 'is not', null)
              .doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                external_code: eb.ref('excluded.external_code'),
              })),
          )
          .execute();
      }
      return localIdsOf(
        partnerId,
        kind,
        'company',
        rows.map((r) => r.externalId),
      );
    },
    async upsertSyncedProducts(partnerId, kind, rows, nowMs, newId) {
      for (const part of chunks(rows)) {
        await db
          .insertInto('psa_products')
          .values(
            part.map((p) => ({
              id: newId(),
              partner_id: partnerId,
              name: p.name,
              unit_price_micros: p.unitPriceMicros,
              unit_cost_micros: p.unitCostMicros,
              created_at_ms: nowMs,
              source: kind,
              external_id: p.externalId,
              external_code: p.code,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['partner_id', 'source', 'external_id'])
              .where('external_id', 'is not', null)
              .doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                unit_price_micros: eb.ref('excluded.unit_price_micros'),
                unit_cost_micros: eb.ref('excluded.unit_cost_micros'),
                external_code: eb.ref('excluded.external_code'),
              })),
          )
          .execute();
      }
      return localIdsOf(
        partnerId,
        kind,
        'product',
        rows.map((r) => r.externalId),
      );
    },
    async upsertSyncedAgreements(partnerId, kind, rows, nowMs, newId) {
      for (const part of chunks(rows)) {
        await db
          .insertInto('psa_agreements')
          .values(
            part.map((a) => ({
              id: newId(),
              partner_id: partnerId,
              company_id: a.companyId,
              name: a.name,
              created_at_ms: nowMs,
              active: a.active ? 1 : 0,
              source: kind,
              external_id: a.externalId,
              external_code: null,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['partner_id', 'source', 'external_id'])
              .where('external_id', 'is not', null)
              .doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                company_id: eb.ref('excluded.company_id'),
                active: eb.ref('excluded.active'),
              })),
          )
          .execute();
      }
      return localIdsOf(
        partnerId,
        kind,
        'agreement',
        rows.map((r) => r.externalId),
      );
    },
    async upsertSyncedLines(partnerId, kind, rows, nowMs, newId) {
      for (const part of chunks(rows)) {
        await db
          .insertInto('psa_agreement_lines')
          .values(
            part.map((l) => ({
              id: newId(),
              partner_id: partnerId,
              agreement_id: l.agreementId,
              company_id: l.companyId,
              product_id: l.productId,
              quantity: l.quantity,
              active: l.active ? 1 : 0,
              created_at_ms: nowMs,
              updated_at_ms: nowMs,
              source: kind,
              external_id: l.externalId,
              external_code: l.productCode,
              locked_reason: l.lockedReason ?? null,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['partner_id', 'source', 'external_id'])
              .where('external_id', 'is not', null)
              .doUpdateSet((eb) => ({
                agreement_id: eb.ref('excluded.agreement_id'),
                company_id: eb.ref('excluded.company_id'),
                product_id: eb.ref('excluded.product_id'),
                quantity: eb.ref('excluded.quantity'),
                active: eb.ref('excluded.active'),
                external_code: eb.ref('excluded.external_code'),
                locked_reason: eb.ref('excluded.locked_reason'),
                updated_at_ms: eb.ref('excluded.updated_at_ms'),
              })),
          )
          .execute();
      }
      return localIdsOf(
        partnerId,
        kind,
        'line',
        rows.map((r) => r.externalId),
      );
    },
    localIdsOf,
    async deactivateSyncedNotIn(partnerId, kind, table, seen, nowMs) {
      const tableName = TABLE_OF[table];
      const active = await db
        .selectFrom(tableName)
        .select(['id', 'external_id'])
        .where('partner_id', '=', partnerId)
        .where('source', '=', kind)
        .where('active', '=', 1)
        .execute();
      const gone = active.filter((r) => r.external_id !== null && !seen.has(r.external_id)).map((r) => r.id);
      for (const part of chunks(gone)) {
        if (table === 'line') {
          await db
            .updateTable('psa_agreement_lines')
            .set({ active: 0, updated_at_ms: nowMs })
            .where('id', 'in', part)
            .execute();
        } else {
          await db.updateTable('psa_agreements').set({ active: 0 }).where('id', 'in', part).execute();
        }
      }
      return gone.length;
    },
    async listSyncedAgreements(partnerId, kind) {
      const rows = await db
        .selectFrom('psa_agreements')
        .select(['id', 'external_id', 'company_id', 'active'])
        .where('partner_id', '=', partnerId)
        .where('source', '=', kind)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        externalId: r.external_id ?? '',
        companyId: r.company_id,
        active: r.active === 1,
      }));
    },
    async listActiveSyncedAgreements(partnerId, kind, companyId) {
      const rows = await db
        .selectFrom('psa_agreements')
        .select(['id', 'external_id', 'name'])
        .where('partner_id', '=', partnerId)
        .where('source', '=', kind)
        .where('company_id', '=', companyId)
        .where('active', '=', 1)
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, externalId: r.external_id ?? '', name: r.name }));
    },

    async insertPsaWrite(w) {
      await db.insertInto('psa_writes').values(writeRow(w)).execute();
    },
    async getPsaWrite(partnerId, id) {
      const r = await db
        .selectFrom('psa_writes')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && toWrite(r);
    },
    async listPsaWrites(partnerId, { state, limit }) {
      let q = db.selectFrom('psa_writes').selectAll().where('partner_id', '=', partnerId);
      if (state !== undefined) q = q.where('state', '=', state);
      const rows = await q.orderBy('created_at_ms', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toWrite);
    },
    async latestPsaWritesOfCards(partnerId, period) {
      const rows = await db
        .selectFrom('psa_writes')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('period', '=', period)
        .orderBy('created_at_ms')
        .orderBy('id')
        .execute();
      // Later rows replace earlier ones: the newest write of each card wins.
      return new Map(rows.map((r) => [r.card_id, toWrite(r)]));
    },
    async claimPsaWrites(nowMs, leaseUntilMs, limit, onePerAgreement = []) {
      const due = await db
        .selectFrom('psa_writes')
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_attempt_at_ms', '<=', nowMs)
        .where((eb) => eb.or([eb('lease_until_ms', 'is', null), eb('lease_until_ms', '<=', nowMs)]))
        .orderBy('next_attempt_at_ms')
        .orderBy('id')
        .limit(limit)
        .execute();
      const claimed: PsaWrite[] = [];
      for (const r of due) {
        const result = await db
          .updateTable('psa_writes')
          .set({ lease_until_ms: leaseUntilMs })
          .where('id', '=', r.id)
          .where('state', '=', 'pending')
          .where((eb) =>
            r.lease_until_ms === null
              ? eb('lease_until_ms', 'is', null)
              : eb('lease_until_ms', '=', r.lease_until_ms),
          )
          .$if(r.agreement_id !== null && onePerAgreement.includes(r.kind as PsaKind), (qb) =>
            qb.where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('psa_writes as held')
                    .select('held.id')
                    .where('held.agreement_id', '=', r.agreement_id)
                    .where('held.id', '<>', r.id)
                    .where('held.state', '=', 'pending')
                    .where('held.lease_until_ms', '>', nowMs),
                ),
              ),
            ),
          )
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) claimed.push({ ...toWrite(r), leaseUntilMs });
      }
      return claimed;
    },
    async settlePsaWrite(w, heldLeaseUntilMs) {
      const { id: _id, ...changes } = writeRow(w);
      const result = await db
        .updateTable('psa_writes')
        .set(changes)
        .where('id', '=', w.id)
        .where('lease_until_ms', '=', heldLeaseUntilMs)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async retryPsaWrite(partnerId, id, nowMs) {
      const result = await db
        .updateTable('psa_writes')
        .set({ state: 'pending', next_attempt_at_ms: nowMs, lease_until_ms: null, updated_at_ms: nowMs })
        .where('partner_id', '=', partnerId)
        .where('id', '=', id)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async failPendingPsaWrites(partnerId, reason, nowMs) {
      const result = await db
        .updateTable('psa_writes')
        .set({ state: 'failed', last_error: reason, lease_until_ms: null, updated_at_ms: nowMs })
        .where('partner_id', '=', partnerId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async expirePsaWriteLeases(nowMs) {
      const result = await db
        .updateTable('psa_writes')
        .set({ lease_until_ms: nowMs })
        .where('state', '=', 'pending')
        .where('lease_until_ms', '>', nowMs)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async earliestPsaWriteDueAtMs() {
      const r = await db
        .selectFrom('psa_writes')
        .select(sql<number | null>`min(next_attempt_at_ms)`.as('due'))
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return r?.due == null ? null : Number(r.due);
    },
  };
};
