import { integrationRefusal } from '../auth/authenticate-vendor.js';
import { billingStatus, countAccepted, type DebounceWindow } from '../builds/debounce.js';
import { TallyError, unauthorized } from '../errors.js';
import type { BuildState, CurrentCount, WaitingCount } from '../model.js';
import { serviceFacts } from './count-batch.js';
import { countVerdict, type CountOutcome, type SetUnitCountInput } from './set-unit-count.js';
import { type CountKey, countKey, type CountSnapshot, type CountWrites, pairKey } from './batch-store.js';

/** A count handled by the batch path: it names its account by the vendor's id and has no Idempotency-Key. */
export type PlainCountInput = SetUnitCountInput & { account: { accountId: string }; idempotency: null };

export const isPlainCount = (input: SetUnitCountInput): input is PlainCountInput =>
  'accountId' in input.account && input.idempotency === null;

/** What a batch must read for these counts. */
export const keysOf = (inputs: PlainCountInput[]): CountKey[] =>
  inputs.map((input) => ({
    integrationId: input.integration.id,
    vendorId: input.integration.vendorId,
    accountId: input.account.accountId,
    serviceId: input.serviceId,
  }));

/** Each count's outcome: accepted, refused with a committed waiting entry, or refused outright. */
export type PlannedOutcome = CountOutcome | { refused: TallyError };

/**
 * Applies a batch of counts, in order, to what the store read under the integrations' locks: the
 * same rules as `applyCount` (last write wins, debounce, waiting entries, first activation), in
 * memory, so the store can write the whole batch in one go. Later counts of a triple see the value
 * an earlier one of the same batch set, so history entries chain exactly as if each had committed
 * alone.
 */
export function planCounts(
  snapshot: CountSnapshot,
  inputs: PlainCountInput[],
  nowMs: number,
  window: DebounceWindow,
): { writes: CountWrites; value: PlannedOutcome[] } {
  const states = new Map<string, BuildState>();
  const counts = new Map<string, CurrentCount>();
  const waiting = new Map<string, WaitingCount>();
  const forget = new Map<string, { integrationId: string; accountId: string; serviceId: string }>();
  const syncs = new Map<string, { integrationId: string; atMs: number; activate: boolean }>();
  const writes: CountWrites = { counts: [], history: [], forget: [], remember: [], states: [], syncs: [] };
  const outcomes = inputs.map((input): PlannedOutcome => {
    const integrationId = input.integration.id;
    const locked = snapshot.integrations.get(integrationId);
    if (!locked) throw new Error(`Integration ${integrationId} has no build state`);
    // The principal may come from a cache: what counts is the integration as it is now.
    if (
      input.keyHashes &&
      (input.keyHashes.vendor !== locked.vendorKeyHash || input.keyHashes.partner !== locked.partnerKeyHash)
    ) {
      return { refused: unauthorized() };
    }
    const refusal = integrationRefusal(locked);
    if (refusal) return { refused: refusal };
    const { accountId } = input.account;
    const { serviceId } = input;
    const found = snapshot.services.get(pairKey(integrationId, serviceId));
    if (!found) throw new Error(`The batch read no facts of service ${serviceId}`);
    let service;
    try {
      service = serviceFacts(serviceId, found);
    } catch (error) {
      if (error instanceof TallyError) return { refused: error };
      throw error;
    }
    const account = snapshot.accounts.get(pairKey(integrationId, accountId));
    const verdict = countVerdict(accountId, serviceId, account, service);
    const key = countKey(integrationId, accountId, serviceId);
    if (!verdict.accepted) {
      if (verdict.remember) {
        const before = waiting.get(key);
        waiting.set(key, {
          integrationId,
          accountId,
          serviceId,
          unitCount: input.unitCount,
          reason: verdict.reason,
          attempts: (before?.attempts ?? 0) + 1,
          lastAttemptAtMs: nowMs,
        });
      }
      return { rejection: verdict.rejection };
    }
    const state = states.get(integrationId) ?? locked.state;
    const next = countAccepted(state, nowMs, !input.noBuild, window);
    states.set(integrationId, next);
    const previousUnitCount = counts.get(key)?.unitCount ?? snapshot.counts.get(key) ?? null;
    counts.set(key, {
      integrationId,
      accountId,
      serviceId,
      unitCount: input.unitCount,
      revision: next.revision,
      updatedAtMs: nowMs,
    });
    writes.history.push({
      integrationId,
      accountId,
      serviceId,
      atMs: nowMs,
      unitCount: input.unitCount,
      previousUnitCount,
      revision: next.revision,
      requestId: input.requestId,
      idempotencyKey: null,
    });
    forget.set(key, { integrationId, accountId, serviceId });
    // The first accepted count switches a new or pending integration on.
    const activate = locked.status === 'inactive' || locked.status === 'pending';
    syncs.set(integrationId, { integrationId, atMs: nowMs, activate });
    return {
      result: {
        accountId,
        serviceId,
        unitCount: input.unitCount,
        previousUnitCount,
        revision: next.revision,
        build: billingStatus(next, nowMs),
        replayed: false,
      },
    };
  });
  writes.counts = [...counts.values()];
  writes.forget = [...forget.values()];
  writes.remember = [...waiting.values()];
  writes.states = [...states.values()];
  writes.syncs = [...syncs.values()];
  return { writes, value: outcomes };
}
