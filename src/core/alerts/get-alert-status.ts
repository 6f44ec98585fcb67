import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { AlertRecord } from '../ports.js';

/** An alert of this integration by its message id; another integration's alert is as unknown as none. */
export async function getAlertStatus(
  ctx: CoreContext,
  integrationId: string,
  messageId: string,
): Promise<AlertRecord> {
  const alert = await ctx.store.getAlert(messageId);
  if (!alert || alert.integrationId !== integrationId) {
    throw notFound(`No alert found with messageId: ${messageId}`);
  }
  return alert;
}
