import type { CoreContext } from '../context.js';
import type { AlertRecord, TicketRecord } from '../ports.js';
import { type AlertPayload, noAccountMap } from './create-alert.js';

/**
 * Turns one pending alert into a ticket for the company its account is mapped to, or marks it
 * failed when that mapping is gone (the partner unmapped or excluded the account, or the vendor
 * deactivated it, after the alert was queued). Returns the settled alert, or null when another
 * process settled it first.
 */
export async function processAlert(ctx: CoreContext, alert: AlertRecord): Promise<AlertRecord | null> {
  return ctx.store.transaction(async (tx) => {
    const nowMs = ctx.clock.nowMs();
    const integration = await tx.getIntegration(alert.integrationId);
    const account = await tx.getAccount(alert.integrationId, alert.accountId);
    const mapping = account?.isActive
      ? await tx.getMapping(alert.integrationId, 'account', alert.accountId)
      : undefined;
    const companyId = mapping && !mapping.excluded ? mapping.targetId : null;
    if (!integration || companyId === null) {
      const failed: AlertRecord = {
        ...alert,
        status: 'failed',
        statusCode: 404,
        errorsJson: JSON.stringify([noAccountMap(alert.accountId)]),
        processedAtMs: nowMs,
      };
      return (await tx.settleAlert(failed)) ? failed : null;
    }
    const payload = JSON.parse(alert.payloadJson) as AlertPayload;
    const ticket: TicketRecord = {
      id: ctx.ids.objectId(),
      partnerId: integration.partnerId,
      companyId,
      integrationId: integration.id,
      title: payload.title,
      description: payload.description,
      priority: payload.priority,
      status: payload.status,
      dueAtMs: payload.dueAtMs,
      createdAtMs: nowMs,
    };
    const settled: AlertRecord = {
      ...alert,
      status: 'success',
      ticketId: ticket.id,
      statusCode: 201,
      errorsJson: null,
      processedAtMs: nowMs,
    };
    // Settle first: it takes the alert's row lock, so a second process never makes a second ticket.
    if (!(await tx.settleAlert(settled))) return null;
    await tx.insertTicket(ticket);
    return settled;
  });
}
