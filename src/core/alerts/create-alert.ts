import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Integration } from '../model.js';
import type { AlertRecord } from '../ports.js';

/** Alert priority: 1 low, 2 medium, 3 high, 4 very high. */
export const ALERT_PRIORITY_RANGE = { min: 1, max: 4 } as const;
/** Alert (ticket) status codes as the vendor API numbers them. */
export const ALERT_STATUS_RANGE = { min: 1, max: 6 } as const;

/** What the vendor asked for; kept with the alert so the ticket can be made later. */
export interface AlertPayload {
  title: string;
  description: string;
  priority: number;
  status: number;
  dueAtMs: number | null;
  serviceId: string | null;
}

export interface CreateAlertInput extends AlertPayload {
  integration: Integration;
  accountId: string;
  alertId: string;
}

/** The message that tells the vendor an alert names an account the partner has not mapped. */
export const noAccountMap = (accountId: string): string => `No account map found with id: ${accountId}`;

/**
 * Queues an alert for an active, mapped account. The ticket is made later by the alert worker, so
 * a slow or failing partner side never delays the vendor. Like an accepted count, the alert marks
 * the integration as synced and switches a new or pending one on.
 */
export async function createAlert(ctx: CoreContext, input: CreateAlertInput): Promise<AlertRecord> {
  const { integration, accountId } = input;
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const account = await tx.getAccount(integration.id, accountId);
    const mapping = account?.isActive ? await tx.getMapping(integration.id, 'account', accountId) : undefined;
    if (!mapping || mapping.targetId === null || mapping.excluded) throw notFound(noAccountMap(accountId));
    const payload: AlertPayload = {
      title: input.title,
      description: input.description,
      priority: input.priority,
      status: input.status,
      dueAtMs: input.dueAtMs,
      serviceId: input.serviceId,
    };
    const alert: AlertRecord = {
      messageId: ctx.ids.uuid(),
      integrationId: integration.id,
      accountId,
      alertId: input.alertId,
      correlationId: ctx.ids.objectId(),
      payloadJson: JSON.stringify(payload),
      status: 'pending',
      ticketId: null,
      statusCode: null,
      errorsJson: null,
      createdAtMs: nowMs,
      processedAtMs: null,
    };
    await tx.insertAlert(alert);
    await tx.touchIntegrationSync(integration.id, nowMs);
    if (integration.status === 'inactive' || integration.status === 'pending') {
      await tx.setIntegrationStatus(integration.id, 'active');
    }
    return alert;
  });
}
