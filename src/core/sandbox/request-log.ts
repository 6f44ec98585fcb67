import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import type { SandboxRecord, SandboxRequest } from './store.js';

/** Requests kept per sandbox; older ones are dropped as new ones arrive. */
export const REQUEST_LOG_SIZE = 1000;
/** The most requests one read of the log answers. */
export const MAX_REQUESTS_PAGE = 1000;

/** Records one request of a sandbox's vendor, keeping the newest REQUEST_LOG_SIZE. */
export const recordSandboxRequest = (ctx: CoreContext, request: Omit<SandboxRequest, 'id'>): Promise<void> =>
  ctx.store.insertSandboxRequest(request, REQUEST_LOG_SIZE);

/** The sandbox's recorded requests, newest first; `afterId` keeps only later ones. */
export function listSandboxRequests(
  ctx: CoreContext,
  sandbox: SandboxRecord,
  page: { afterId?: number; limit: number },
): Promise<SandboxRequest[]> {
  if (page.limit < 1 || page.limit > MAX_REQUESTS_PAGE)
    throw badRequest(`limit must be between 1 and ${MAX_REQUESTS_PAGE}`);
  return ctx.store.listSandboxRequests(sandbox.integrationId, page);
}
