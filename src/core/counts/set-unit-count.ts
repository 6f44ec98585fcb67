import { type BillingStatus, billingStatus, countAccepted, type DebounceWindow } from '../builds/debounce.js';
import { type CoreContext, clockOf } from '../context.js';
import { integrationRefusal } from '../auth/authenticate-vendor.js';
import { TallyError, UnmappedCountError, unauthorized } from '../errors.js';
import type { Account, Integration, Mapping, WaitingCount } from '../model.js';
import type { Repo } from '../ports.js';
import { CountBatch } from './count-batch.js';

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
  /**
   * The key digests the request was admitted with. The batch checks them (and pause and
   * disconnection) again under the integration's lock, so a principal remembered by a cache cannot
   * outlive a key rotation, a pause or a disconnection that committed first.
   */
  keyHashes?: { vendor: string; partner: string };
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

const noAccountMap = (id: string) => `No account map found with id: ${id}`;
const noServiceMap = (id: string) => `No service map found with id: ${id}`;

/** Why a count is not accepted, and whether its pair is remembered as waiting. */
export type CountVerdict =
  | { accepted: true }
  | { accepted: false; reason: WaitingCount['reason']; remember: boolean; rejection: UnmappedCountError };

/**
 * The rule both count paths apply: a count is accepted when its (active) account and its service are
 * both mapped and not excluded. Otherwise it is a 404, and the pair waits for a mapping unless the
 * account is inactive or unknown, the service unknown, or either excluded (the partner's explicit
 * "never bill this").
 */
export function countVerdict(
  accountRef: string,
  serviceId: string,
  account: { isActive: boolean; mapping: Mapping | undefined } | undefined,
  service: { known: boolean; mapping: Mapping | undefined },
): CountVerdict {
  const accountMap = account?.isActive ? account.mapping : undefined;
  const accountMapped = accountMap?.targetId != null && !accountMap.excluded;
  const serviceMapped = service.mapping?.targetId != null && !service.mapping.excluded;
  if (accountMapped && serviceMapped) return { accepted: true };
  const reason = accountMapped ? 'service_unmapped' : 'account_unmapped';
  const message = accountMapped ? noServiceMap(serviceId) : noAccountMap(accountRef);
  return {
    accepted: false,
    reason,
    remember:
      account?.isActive === true && service.known && !accountMap?.excluded && !service.mapping?.excluded,
    rejection: new UnmappedCountError(message, reason),
  };
}

/**
 * The account a count is for, with its mapping: by vendor id, or (deprecated) by the PSA client
 * (company) an active account is mapped to.
 */
async function findAccount(
  tx: Repo,
  input: SetUnitCountInput,
): Promise<{ account: Account; mapping: Mapping | undefined } | undefined> {
  if ('accountId' in input.account) return tx.getMappedAccount(input.integration.id, input.account.accountId);
  const companyId = input.account.clientOid;
  const mapped = (await tx.listMappings(input.integration.id, 'account'))
    .filter((m) => m.targetId === companyId && !m.excluded)
    .sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  for (const mapping of mapped) {
    const account = await tx.getAccount(input.integration.id, mapping.itemId);
    if (account?.isActive) return { account, mapping };
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
  const clock = await clockOf(ctx, input.integration.id);
  const outcome = await ctx.store.transaction(async (tx) => {
    const batch = new CountBatch(tx);
    const applied = await applyCount(batch, clock.nowMs(), window, input);
    await batch.finish(clock.nowMs());
    return applied;
  });
  return settle(outcome);
}

/** The outcome of one count inside a transaction: a result, or a refusal to report after commit. */
export type CountOutcome = { result: SetUnitCountResult } | { rejection: TallyError };

/** Turns an outcome into the result, or throws its refusal. */
export function settle(outcome: CountOutcome): SetUnitCountResult {
  if ('rejection' in outcome) throw outcome.rejection;
  return outcome.result;
}

/**
 * Applies one count inside an open transaction (the batch's). Refusals that must still commit
 * something (the waiting entry of an unmapped pair) are returned, not thrown; anything thrown
 * leaves no write behind, so a caller batching several counts can carry on with the next. The
 * caller runs `batch.finish()` before committing.
 */
export async function applyCount(
  batch: CountBatch,
  nowMs: number,
  window: DebounceWindow,
  input: SetUnitCountInput,
): Promise<CountOutcome> {
  const tx = batch.tx;
  const integrationId = input.integration.id;
  if (input.keyHashes) {
    // As in the batch path: a remembered principal must still hold when the count commits.
    const vendor = await tx.findVendorByKeyHash(input.keyHashes.vendor);
    const current = await tx.findIntegrationByKeyHash(input.keyHashes.partner);
    if (!current || vendor?.id !== input.integration.vendorId || current.id !== integrationId) {
      throw unauthorized();
    }
    const refusal = integrationRefusal(current);
    if (refusal) throw refusal;
  }
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
  const service = await batch.service(input.integration, input.serviceId);
  const accountRef = 'accountId' in input.account ? input.account.accountId : input.account.clientOid;
  const found = await findAccount(tx, input);
  const account = found?.account;
  const verdict = countVerdict(
    accountRef,
    input.serviceId,
    account && { isActive: account.isActive, mapping: found?.mapping },
    service,
  );
  if (!verdict.accepted) {
    if (verdict.remember && account) {
      const waiting = {
        integrationId,
        accountId: account.id,
        serviceId: input.serviceId,
        unitCount: input.unitCount,
        reason: verdict.reason,
        lastAttemptAtMs: nowMs,
      };
      await tx.rememberWaiting(waiting);
      batch.waited(input.integration, { ...waiting, attempts: 1 });
    }
    return { rejection: verdict.rejection };
  }

  const accountId = (account as Account).id;
  // Lock first: concurrent counts of one integration then commit one after another, so each
  // reads the value the previous one wrote and the history's previous values form a chain.
  const state = await batch.buildState(integrationId);
  const next = countAccepted(state, nowMs, !input.noBuild, window);
  const previousUnitCount = await tx.recordCount(
    {
      integrationId,
      accountId,
      serviceId: input.serviceId,
      unitCount: input.unitCount,
      revision: next.revision,
      updatedAtMs: nowMs,
    },
    {
      integrationId,
      accountId,
      serviceId: input.serviceId,
      atMs: nowMs,
      unitCount: input.unitCount,
      revision: next.revision,
      requestId: input.requestId,
      idempotencyKey: input.idempotency?.key ?? null,
    },
  );
  batch.setBuildState(next);
  batch.synced(input.integration, nowMs);
  const result: SetUnitCountResult = {
    accountId,
    serviceId: input.serviceId,
    unitCount: input.unitCount,
    previousUnitCount,
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
}
