import { type BillingStatus, billingStatus, countAccepted, type DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { TallyError, invalidId } from '../errors.js';
import { isObjectId } from '../ids.js';
import type { Account, Integration, WaitingCount } from '../model.js';
import type { Repo } from '../ports.js';

export interface SetUnitCountInput {
  integration: Integration;
  serviceId: string;
  /** The vendor's account id, or (deprecated) a PSA client id naming the account mapped to it. */
  account: { accountId: string } | { clientOid: string };
  unitCount: number;
  /** `no_build=true`: store and mark unbuilt, schedule nothing. */
  noBuild: boolean;
  requestId: string;
  /** Optional Idempotency-Key: a repeat with the same body replays the first result without writing. */
  idempotency: { key: string; bodyHash: string; ttlMs: number } | null;
}

export interface SetUnitCountResult {
  accountId: string;
  serviceId: string;
  unitCount: number;
  previousUnitCount: number | null;
  revision: number;
  build: BillingStatus;
  /** True when this is the stored result of an earlier call with the same Idempotency-Key. */
  replayed: boolean;
}

type Rejection = {
  reason: WaitingCount['reason'] | 'unknown';
  message: string;
  remember: WaitingCount | null;
};

const noAccountMap = (id: string) => `No account map found with id: ${id}`;
const noServiceMap = (id: string) => `No service map found with id: ${id}`;

/** The account a count is for: by vendor id, or by the PSA client (company) it is mapped to. */
async function findAccount(tx: Repo, input: SetUnitCountInput): Promise<Account | undefined> {
  if ('accountId' in input.account) return tx.getAccount(input.integration.id, input.account.accountId);
  const companyId = input.account.clientOid;
  const mapped = (await tx.listMappings(input.integration.id, 'account'))
    .filter((m) => m.targetId === companyId && !m.excluded)
    .map((m) => m.itemId)
    .sort();
  for (const id of mapped) {
    const account = await tx.getAccount(input.integration.id, id);
    if (account?.isActive) return account;
  }
  return undefined;
}

/**
 * Set unit count: last write wins for (integration, account, service). The count, its history entry
 * and the integration's "unbuilt" mark commit together before the caller may answer 201, so an
 * acknowledged count survives any crash and is built after it.
 *
 * A count for an unmapped account or service is refused with a 404 (normal traffic: vendors cannot
 * see mappings) and remembered as waiting, so the partner sees what it would gain by mapping it.
 */
export async function setUnitCount(
  ctx: CoreContext,
  window: DebounceWindow,
  input: SetUnitCountInput,
): Promise<SetUnitCountResult> {
  const integrationId = input.integration.id;
  const nowMs = ctx.clock.nowMs();
  const outcome = await ctx.store.transaction(async (tx) => {
    if (input.idempotency) {
      const seen = await tx.getIdempotency(integrationId, input.idempotency.key);
      if (seen && seen.createdAtMs > nowMs - input.idempotency.ttlMs) {
        if (seen.bodyHash !== input.idempotency.bodyHash) {
          throw new TallyError(
            'idempotency_mismatch',
            'Idempotency-Key was already used with a different request body',
          );
        }
        return { result: { ...(JSON.parse(seen.responseJson) as SetUnitCountResult), replayed: true } };
      }
    }
    const orgService = await tx.getOrgService(integrationId, input.serviceId);
    if (!orgService && !isObjectId(input.serviceId)) throw invalidId();
    const serviceKnown = orgService
      ? orgService.isActive
      : (await tx.getSku(input.integration.vendorId, input.serviceId)) !== undefined;

    const accountRef = 'accountId' in input.account ? input.account.accountId : input.account.clientOid;
    const account = await findAccount(tx, input);
    const accountMap = account?.isActive
      ? await tx.getMapping(integrationId, 'account', account.id)
      : undefined;
    const serviceMap = serviceKnown
      ? await tx.getMapping(integrationId, 'service', input.serviceId)
      : undefined;
    const accountMapped = accountMap?.targetId != null && !accountMap.excluded;
    const serviceMapped = serviceMap?.targetId != null && !serviceMap.excluded;

    const waiting = (reason: WaitingCount['reason']): WaitingCount | null =>
      account?.isActive && serviceKnown
        ? {
            integrationId,
            accountId: account.id,
            serviceId: input.serviceId,
            unitCount: input.unitCount,
            reason,
            attempts: 1,
            lastAttemptAtMs: nowMs,
          }
        : null;
    let rejection: Rejection | null = null;
    if (!accountMapped) {
      rejection = {
        reason: 'account_unmapped',
        message: noAccountMap(accountRef),
        remember: waiting('account_unmapped'),
      };
    } else if (!serviceMapped) {
      rejection = {
        reason: 'service_unmapped',
        message: noServiceMap(input.serviceId),
        remember: waiting('service_unmapped'),
      };
    }
    if (rejection) {
      // Excluded items are the partner's explicit "never bill this"; they are not shown as waiting.
      if (rejection.remember && !accountMap?.excluded && !serviceMap?.excluded) {
        await tx.rememberWaiting(rejection.remember);
      }
      return { rejection };
    }

    const accountId = (account as Account).id;
    // Lock first: concurrent counts of one integration then commit one after another, so each
    // reads the value the previous one wrote and the history's previous values form a chain.
    const state = await tx.lockBuildState(integrationId);
    if (!state) throw new Error(`Integration ${integrationId} has no build state`);
    const previous = await tx.getCount(integrationId, accountId, input.serviceId);
    const next = countAccepted(state, nowMs, !input.noBuild, window);
    await tx.putCount({
      integrationId,
      accountId,
      serviceId: input.serviceId,
      unitCount: input.unitCount,
      revision: next.revision,
      updatedAtMs: nowMs,
    });
    await tx.appendHistory({
      integrationId,
      accountId,
      serviceId: input.serviceId,
      atMs: nowMs,
      unitCount: input.unitCount,
      previousUnitCount: previous?.unitCount ?? null,
      revision: next.revision,
      requestId: input.requestId,
      idempotencyKey: input.idempotency?.key ?? null,
    });
    await tx.updateBuildState(next);
    await tx.forgetWaiting(integrationId, accountId, input.serviceId);
    await tx.touchIntegrationSync(integrationId, nowMs);
    // The first accepted count switches a new or pending integration on.
    if (input.integration.status === 'inactive' || input.integration.status === 'pending') {
      await tx.setIntegrationStatus(integrationId, 'active');
    }
    const result: SetUnitCountResult = {
      accountId,
      serviceId: input.serviceId,
      unitCount: input.unitCount,
      previousUnitCount: previous?.unitCount ?? null,
      revision: next.revision,
      build: billingStatus(next, nowMs),
      replayed: false,
    };
    if (input.idempotency) {
      await tx.putIdempotency({
        integrationId,
        key: input.idempotency.key,
        bodyHash: input.idempotency.bodyHash,
        statusCode: 201,
        responseJson: JSON.stringify(result),
        createdAtMs: nowMs,
      });
    }
    return { result };
  });
  if ('rejection' in outcome && outcome.rejection) {
    throw new TallyError('not_found', outcome.rejection.message, { reason: outcome.rejection.reason });
  }
  return (outcome as { result: SetUnitCountResult }).result;
}
