import type { CoreContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { PsaConnectionInput, PsaDeps } from './deps.js';
import { PsaError } from './port.js';
import { requirePsaSite } from './site-url.js';
import type { PsaConnection } from './store.js';

const required = (value: string, field: string) => {
  const trimmed = value.trim();
  if (trimmed === '') throw badRequest(`${field} must not be blank`);
  return trimmed;
};

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
  const clean: PsaConnectionInput = {
    kind: input.kind,
    site: requirePsaSite(input.site, deps.allowPrivateNetwork),
    companyId: required(input.companyId, 'companyId'),
    publicKey: required(input.publicKey, 'publicKey'),
    privateKey: required(input.privateKey, 'privateKey'),
    clientId: required(input.clientId, 'clientId'),
  };
  const connector = deps.connectorFrom(clean);
  try {
    await connector.test();
  } catch (error) {
    if (error instanceof PsaError) throw badRequest(`The connection test failed: ${error.message}`);
    throw error;
  }
  const secretBox = deps.seal({ publicKey: clean.publicKey, privateKey: clean.privateKey });
  const nowMs = ctx.clock.nowMs();
  const existing = await ctx.store.getPsaConnection(partnerId);
  const sameAccount =
    existing !== undefined &&
    existing.kind === clean.kind &&
    existing.site === clean.site &&
    existing.account === clean.companyId;
  const connection: PsaConnection = {
    partnerId,
    kind: clean.kind,
    site: clean.site,
    account: clean.companyId,
    settings: { clientId: clean.clientId, ...connector.discovered() },
    secretBox,
    // New credentials for the same account keep the delta position; another account starts over.
    deltaSinceMs: sameAccount ? existing.deltaSinceMs : null,
    nextFullSyncAtMs: sameAccount ? existing.nextFullSyncAtMs : nowMs + deps.fullSyncIntervalMs,
    createdAtMs: existing?.createdAtMs ?? nowMs,
    updatedAtMs: nowMs,
  };
  await ctx.store.putPsaConnection(connection);
  return connection;
}
