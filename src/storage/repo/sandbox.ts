import { sql } from 'kysely';
import type { SandboxFaults, SandboxRecord, SandboxStore } from '../../core/sandbox/store.js';
import type { Db, SandboxesTable, SandboxRequestsTable } from '../schema.js';

const toSandbox = (r: SandboxesTable): SandboxRecord => ({
  integrationId: r.integration_id,
  vendorId: r.vendor_id,
  partnerId: r.partner_id,
  clockOffsetMs: Number(r.clock_offset_ms),
  faults: r.faults_json === null ? null : (JSON.parse(r.faults_json) as SandboxFaults),
  faultSequence: Number(r.fault_sequence),
  createdAtMs: Number(r.created_at_ms),
});

const toRequest = (r: Omit<SandboxRequestsTable, 'id'> & { id: number }) => ({
  id: Number(r.id),
  integrationId: r.integration_id,
  atMs: Number(r.at_ms),
  method: r.method,
  path: r.path,
  route: r.route,
  statusCode: r.status_code,
  durationMs: Number(r.duration_ms),
  fault: r.fault,
  requestId: r.request_id,
  requestBody: r.request_body,
  responseBody: r.response_body,
});

export const sandboxRepo = (db: Db): SandboxStore => {
  const findBy = async (column: 'integration_id' | 'vendor_id' | 'partner_id', value: string) => {
    const r = await db.selectFrom('sandboxes').selectAll().where(column, '=', value).executeTakeFirst();
    return r && toSandbox(r);
  };
  return {
    async insertSandbox(s) {
      await db
        .insertInto('sandboxes')
        .values({
          integration_id: s.integrationId,
          vendor_id: s.vendorId,
          partner_id: s.partnerId,
          clock_offset_ms: s.clockOffsetMs,
          faults_json: s.faults === null ? null : JSON.stringify(s.faults),
          fault_sequence: s.faultSequence,
          created_at_ms: s.createdAtMs,
        })
        .execute();
    },
    getSandbox: (integrationId) => findBy('integration_id', integrationId),
    findSandboxOfVendor: (vendorId) => findBy('vendor_id', vendorId),
    findSandboxOfPartner: (partnerId) => findBy('partner_id', partnerId),
    async listSandboxVendorIds() {
      const rows = await db.selectFrom('sandboxes').select('vendor_id').execute();
      return rows.map((r) => r.vendor_id);
    },
    async setSandboxClockOffset(integrationId, clockOffsetMs) {
      await db
        .updateTable('sandboxes')
        .set({ clock_offset_ms: clockOffsetMs })
        .where('integration_id', '=', integrationId)
        .execute();
    },
    async setSandboxFaults(integrationId, faults) {
      await db
        .updateTable('sandboxes')
        .set({ faults_json: faults === null ? null : JSON.stringify(faults), fault_sequence: 0 })
        .where('integration_id', '=', integrationId)
        .execute();
    },
    async nextFaultSequence(integrationId) {
      // One statement, so requests on several processes still get distinct numbers.
      const r = await db
        .updateTable('sandboxes')
        .set({ fault_sequence: sql`fault_sequence + 1` })
        .where('integration_id', '=', integrationId)
        .returning('fault_sequence')
        .executeTakeFirstOrThrow();
      return Number(r.fault_sequence);
    },
    async insertSandboxRequest(q, keep) {
      await db
        .insertInto('sandbox_requests')
        .values({
          integration_id: q.integrationId,
          at_ms: q.atMs,
          method: q.method,
          path: q.path,
          route: q.route,
          status_code: q.statusCode,
          duration_ms: q.durationMs,
          fault: q.fault,
          request_id: q.requestId,
          request_body: q.requestBody,
          response_body: q.responseBody,
        })
        .execute();
      // The log is for looking at recent traffic; older entries make room.
      await sql`delete from sandbox_requests where integration_id = ${q.integrationId} and id <= (
          select id from sandbox_requests where integration_id = ${q.integrationId}
          order by id desc limit 1 offset ${keep})`.execute(db);
    },
    async listSandboxRequests(integrationId, options) {
      const rows = await db
        .selectFrom('sandbox_requests')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .where('id', '>', options.afterId ?? 0)
        .orderBy('id', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map(toRequest);
    },
    async listDueSandboxBuilds(nowMs, limit) {
      // isClaimable (core/builds/debounce.ts) on each sandbox's own clock.
      const { rows } = await sql<{ integration_id: string }>`select b.integration_id from build_states b
          join sandboxes s on s.integration_id = b.integration_id
        where (b.building_until_ms is null and b.due_at_ms - s.clock_offset_ms <= ${nowMs})
           or b.building_until_ms - s.clock_offset_ms <= ${nowMs}
        order by b.due_at_ms limit ${limit}`.execute(db);
      return rows.map((r) => r.integration_id);
    },
    async wipeSandbox(s) {
      const integration = s.integrationId;
      const partner = s.partnerId;
      // Children before parents, for the foreign keys.
      for (const table of [
        'mappings',
        'counts',
        'count_history',
        'waiting_counts',
        'billing_rows',
        'idempotency_keys',
        'alerts',
        'accounts',
        'org_services',
        'sandbox_requests',
      ] as const) {
        await db.deleteFrom(table).where('integration_id', '=', integration).execute();
      }
      for (const table of [
        'tickets',
        'card_actions',
        'audit_entries',
        'psa_agreement_lines',
        'psa_agreements',
        'psa_companies',
        'psa_products',
      ] as const) {
        await db.deleteFrom(table).where('partner_id', '=', partner).execute();
      }
      await db.deleteFrom('skus').where('vendor_id', '=', s.vendorId).execute();
      await db
        .updateTable('integrations')
        .set({ last_synced_at_ms: null })
        .where('id', '=', integration)
        .execute();
    },
  };
};
