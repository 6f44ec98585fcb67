import { initialBuildState } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import type { SandboxRecord } from './store.js';

/**
 * Empties a sandbox: no services, accounts, counts, history, cards, ledger, faults or recorded
 * requests, the test clock back on the server's time and the integration `inactive`, as when it
 * was made. The vendor, its keys and the sandbox partner's token keep working. A build running
 * meanwhile finds its lease gone and does not land.
 */
export async function resetSandbox(ctx: CoreContext, sandbox: SandboxRecord): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.lockBuildState(sandbox.integrationId);
    await tx.wipeSandbox(sandbox);
    await tx.updateBuildState(initialBuildState(sandbox.integrationId));
    await tx.setIntegrationStatus(sandbox.integrationId, 'inactive');
    await tx.setSandboxFaults(sandbox.integrationId, null);
    await tx.setSandboxClockOffset(sandbox.integrationId, 0);
  });
}
