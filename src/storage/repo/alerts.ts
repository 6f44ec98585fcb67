import type { AlertRecord, Repo, TicketRecord } from '../../core/ports.js';
import type { AlertsTable, Db, TicketsTable } from '../schema.js';

type AlertRepo = Pick<
  Repo,
  | 'getIdempotency'
  | 'putIdempotency'
  | 'deleteIdempotencyBefore'
  | 'insertAlert'
  | 'getAlert'
  | 'listPendingAlerts'
  | 'updateAlert'
  | 'settleAlert'
  | 'insertTicket'
  | 'listTickets'
>;

const toAlert = (r: AlertsTable): AlertRecord => ({
  messageId: r.message_id,
  integrationId: r.integration_id,
  accountId: r.account_id,
  alertId: r.alert_id,
  correlationId: r.correlation_id,
  payloadJson: r.payload_json,
  status: r.status as AlertRecord['status'],
  ticketId: r.ticket_id,
  statusCode: r.status_code,
  errorsJson: r.errors_json,
  createdAtMs: Number(r.created_at_ms),
  processedAtMs: r.processed_at_ms === null ? null : Number(r.processed_at_ms),
});

const alertRow = (a: AlertRecord): AlertsTable => ({
  message_id: a.messageId,
  integration_id: a.integrationId,
  account_id: a.accountId,
  alert_id: a.alertId,
  correlation_id: a.correlationId,
  payload_json: a.payloadJson,
  status: a.status,
  ticket_id: a.ticketId,
  status_code: a.statusCode,
  errors_json: a.errorsJson,
  created_at_ms: a.createdAtMs,
  processed_at_ms: a.processedAtMs,
});

const toTicket = (r: TicketsTable): TicketRecord => ({
  id: r.id,
  partnerId: r.partner_id,
  companyId: r.company_id,
  integrationId: r.integration_id,
  title: r.title,
  description: r.description,
  priority: r.priority,
  status: r.status,
  dueAtMs: r.due_at_ms === null ? null : Number(r.due_at_ms),
  createdAtMs: Number(r.created_at_ms),
});

export const alertRepo = (db: Db): AlertRepo => ({
  async getIdempotency(integrationId, key) {
    const r = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('key', '=', key)
      .executeTakeFirst();
    return (
      r && {
        integrationId: r.integration_id,
        key: r.key,
        bodyHash: r.body_hash,
        statusCode: r.status_code,
        responseJson: r.response_json,
        createdAtMs: Number(r.created_at_ms),
      }
    );
  },
  async putIdempotency(rec) {
    const row = {
      integration_id: rec.integrationId,
      key: rec.key,
      body_hash: rec.bodyHash,
      status_code: rec.statusCode,
      response_json: rec.responseJson,
      created_at_ms: rec.createdAtMs,
    };
    // An expired record with the same key is replaced: the 24 h promise is over.
    await db
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['integration_id', 'key']).doUpdateSet({
          body_hash: row.body_hash,
          status_code: row.status_code,
          response_json: row.response_json,
          created_at_ms: row.created_at_ms,
        }),
      )
      .execute();
  },
  async deleteIdempotencyBefore(cutoffMs) {
    const r = await db
      .deleteFrom('idempotency_keys')
      .where('created_at_ms', '<', cutoffMs)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async insertAlert(a) {
    await db.insertInto('alerts').values(alertRow(a)).execute();
  },
  async getAlert(messageId) {
    const r = await db
      .selectFrom('alerts')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return r && toAlert(r);
  },
  async listPendingAlerts(limit) {
    const rows = await db
      .selectFrom('alerts')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('created_at_ms')
      .limit(limit)
      .execute();
    return rows.map(toAlert);
  },
  async updateAlert(a) {
    const { message_id, ...rest } = alertRow(a);
    await db.updateTable('alerts').set(rest).where('message_id', '=', message_id).execute();
  },
  async settleAlert(a) {
    const { message_id, ...rest } = alertRow(a);
    // The status condition makes settling a compare-and-set: on PostgreSQL a second process blocks
    // on the row, then finds it no longer pending and updates nothing.
    const r = await db
      .updateTable('alerts')
      .set(rest)
      .where('message_id', '=', message_id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async insertTicket(t) {
    await db
      .insertInto('tickets')
      .values({
        id: t.id,
        partner_id: t.partnerId,
        company_id: t.companyId,
        integration_id: t.integrationId,
        title: t.title,
        description: t.description,
        priority: t.priority,
        status: t.status,
        due_at_ms: t.dueAtMs,
        created_at_ms: t.createdAtMs,
      })
      .execute();
  },
  async listTickets(partnerId) {
    const rows = await db
      .selectFrom('tickets')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .orderBy('created_at_ms', 'desc')
      .execute();
    return rows.map(toTicket);
  },
});
