import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import { PSA_NAMES } from '../model.js';

/**
 * Forgets the partner's PSA connection and its credentials. Synced rows stay in the ledger,
 * read-only and shown as disconnected; writes still waiting fail with a reason (a reconnect and a
 * retry sends them).
 */
export async function disconnectPsa(ctx: CoreContext, partnerId: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const connection = await tx.getPsaConnection(partnerId);
    if (!connection) throw notFound('No PSA is connected');
    await tx.deletePsaConnection(partnerId);
    await tx.failPendingPsaWrites(
      partnerId,
      `${PSA_NAMES[connection.kind]} was disconnected before this write was sent`,
      ctx.clock.nowMs(),
    );
  });
}
