import type { CoreContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { connectionParts } from './connection-input.js';
import type { PsaConnectionInput, PsaDeps } from './deps.js';
import { PsaError } from './port.js';
import type { PsaConnection } from './store.js';
import { PSA_NAMES } from '../model.js';

/**
 * Connects (or reconnects) the partner's PSA. The credentials are tried first; a failed test stores
 * nothing and answers the PSA's reason. The secrets are kept sealed; a partner has one connection.
 */
export async function connectPsa(
  ctx: CoreContext,
  deps: PsaDeps,
  partnerId: string,
  input: PsaConnectionInput,
): Promise<PsaConnection> {
  if (!(await ctx.store.getPartner(partnerId))) throw notFound(`No partner found with id: ${partnerId}`);
  const parts = connectionParts(input, deps.allowPrivateNetwork);
  const connector = deps.connectorFrom(parts.input);
  try {
    await connector.test();
  } catch (error) {
    if (error instanceof PsaError) throw badRequest(`The connection test failed: ${error.message}`);
    throw error;
  }
  const secretBox = deps.seal(parts.secrets);
  const nowMs = ctx.clock.nowMs();
  const existing = await ctx.store.getPsaConnection(partnerId);
  const sameAccount =
    existing !== undefined &&
    existing.kind === parts.input.kind &&
    existing.site === parts.site &&
    existing.account === parts.account;
  const connection: PsaConnection = {
    partnerId,
    kind: parts.input.kind,
    site: parts.site,
    account: parts.account,
    settings: { ...parts.settings, ...connector.discovered() },
    secretBox,
    // New credentials for the same account keep the delta position; another account starts over.
    deltaSinceMs: sameAccount ? existing.deltaSinceMs : null,
    nextFullSyncAtMs: sameAccount ? existing.nextFullSyncAtMs : nowMs + deps.fullSyncIntervalMs,
    createdAtMs: existing?.createdAtMs ?? nowMs,
    updatedAtMs: nowMs,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.putPsaConnection(connection);
    // Writes queued for the PSA being replaced would otherwise wait for a PSA that is gone.
    if (existing !== undefined && existing.kind !== connection.kind) {
      await tx.failPendingPsaWrites(
        partnerId,
        `The partner switched from ${PSA_NAMES[existing.kind]} to ${PSA_NAMES[connection.kind]} before this write was sent`,
        nowMs,
      );
    }
  });
  return connection;
}
