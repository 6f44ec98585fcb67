import type { CoreContext } from '../context.js';
import type { Account } from '../model.js';
import { partnerIntegration } from './partner-integration.js';
import { type MappableRow, waitingFirst } from './waiting-first.js';

/** Every vendor account of a partner's integration with its mapping and waiting counts. */
export async function listAccountMappings(
  ctx: CoreContext,
  partnerId: string,
  integrationId: string,
): Promise<MappableRow<Account>[]> {
  const integration = await partnerIntegration(ctx.store, partnerId, integrationId);
  const [accounts, mappings, waiting] = await Promise.all([
    ctx.store.listAccounts(integration.id),
    ctx.store.listMappings(integration.id, 'account'),
    ctx.store.listWaiting(integration.id),
  ]);
  const mappingOf = new Map(mappings.map((m) => [m.itemId, m]));
  return waitingFirst(
    accounts.map((item) => ({
      item,
      mapping: mappingOf.get(item.id) ?? null,
      waiting: waiting.filter((w) => w.accountId === item.id),
    })),
  );
}
