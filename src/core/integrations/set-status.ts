import type { CoreContext } from '../context.js';
import { announceAccess } from '../auth/announce-access.js';
import { badRequest } from '../errors.js';
import { INTEGRATION_STATUSES, type Integration, type IntegrationStatus } from '../model.js';

const isStatus = (value: string): value is IntegrationStatus =>
  (INTEGRATION_STATUSES as readonly string[]).includes(value);

/** Any explicit transition is allowed; the value is case-sensitive, so `Active` is refused. */
export async function setIntegrationStatus(
  ctx: CoreContext,
  integration: Integration,
  status: string,
): Promise<Integration> {
  if (!isStatus(status)) {
    throw badRequest(`status must be one of ${INTEGRATION_STATUSES.join(', ')}; got "${status}"`);
  }
  await ctx.store.setIntegrationStatus(integration.id, status);
  await announceAccess(ctx, { integrationId: integration.id });
  return { ...integration, status };
}
