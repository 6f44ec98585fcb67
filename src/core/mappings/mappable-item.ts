import { found, notFound } from '../errors.js';
import type { Integration, MappingKind } from '../model.js';
import type { Repo } from '../ports.js';

/**
 * Fails with 404 unless the integration has the item: an account, or a service (one of the
 * vendor's SKUs or one of the integration's organization services). Inactive items may be mapped.
 */
export async function requireMappableItem(
  repo: Repo,
  integration: Integration,
  kind: MappingKind,
  itemId: string,
): Promise<void> {
  if (kind === 'account') {
    found(await repo.getAccount(integration.id, itemId), 'account', itemId);
    return;
  }
  const known =
    (await repo.getOrgService(integration.id, itemId)) ?? (await repo.getSku(integration.vendorId, itemId));
  if (!known) throw notFound(`No service found with id: ${itemId}`);
}
