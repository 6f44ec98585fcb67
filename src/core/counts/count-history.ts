import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import { partnerIntegration } from '../mappings/partner-integration.js';
import type { HistoryEntry } from '../model.js';

export const MAX_HISTORY_PAGE = 1000;

export interface HistoryQuery {
  accountId?: string;
  serviceId?: string;
  /** The id the previous page ended with. */
  beforeId?: number;
  limit: number;
}

/** One page of an integration's accepted counts, newest first; another partner's is a 404. */
export async function countHistory(
  ctx: CoreContext,
  partnerId: string,
  integrationId: string,
  query: HistoryQuery,
): Promise<{ entries: HistoryEntry[]; nextBeforeId: number | null }> {
  const integration = await partnerIntegration(ctx.store, partnerId, integrationId);
  if (query.limit < 1 || query.limit > MAX_HISTORY_PAGE)
    throw badRequest(`limit must be between 1 and ${MAX_HISTORY_PAGE}`);
  const entries = await ctx.store.listHistory(integration.id, query);
  return { entries, nextBeforeId: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null };
}
