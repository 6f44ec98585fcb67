import type { AlertRecord, AlertStore, TicketRecord } from '../../core/ports.js';
import type { AlertsTable, Db, TicketsTable } from '../schema.js';

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

export const alertRepo = (db: Db): AlertStore => ({
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
