import { found } from '../errors.js';
import type { Integration } from '../model.js';
import type { Repo } from '../ports.js';

/**
 * The integration, if it belongs to this partner. Another partner's integration answers exactly
 * like an unknown id, so ids cannot be probed across tenants.
 */
export async function partnerIntegration(
  repo: Repo,
  partnerId: string,
  integrationId: string,
): Promise<Integration> {
  const integration = await repo.getIntegration(integrationId);
  return found(integration?.partnerId === partnerId ? integration : undefined, 'integration', integrationId);
}
