import type { BillingStatus, DebounceWindow } from '../builds/debounce.js';
import { billingStatus } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import type { Mapping } from '../model.js';
import { applyWaiting } from './apply-waiting.js';
import { partnerIntegration } from './partner-integration.js';
import { type Suggestions, suggestMappings } from './suggestions.js';
import { markViewChanged } from './view-changed.js';

export interface AcceptInput {
  partnerId: string;
  integrationId: string;
  /** The account suggestions to accept; all of them when omitted. */
  accounts?: { accountId: string; companyId: string }[];
  /** The service suggestions to accept; all of them when omitted. */
  services?: { serviceId: string; productId: string }[];
}

/**
 * The chosen pairs (`[item, target]` by `pairOf`), each of which must be a current suggestion
 * (exact or near); none chosen means the exact ones.
 */
function chosen<T>(
  byDefault: T[],
  offered: T[],
  picked: T[] | undefined,
  pairOf: (t: T) => [string, string],
  what: string,
): T[] {
  if (picked === undefined) return byDefault;
  const key = (t: T) => pairOf(t).join('\u0000');
  const offeredKeys = new Set(offered.map(key));
  const stray = picked.find((t) => !offeredKeys.has(key(t)));
  if (stray) {
    const [item, target] = pairOf(stray);
    throw badRequest(
      `${what} ${item} → ${target} is not a current suggestion (already mapped, or the names differ)`,
    );
  }
  return [...new Map(picked.map((t) => [key(t), t])).values()];
}

/**
 * Turns exact-name suggestions into mappings, in one transaction with one rebuild of the billing
 * view. Suggestions are worked out again inside it, so nothing mapped meanwhile is overwritten.
 */
export async function acceptSuggestions(
  ctx: CoreContext,
  window: DebounceWindow,
  input: AcceptInput,
): Promise<{
  mapped: { accounts: number; services: number };
  build: BillingStatus;
  waiting: { applied: number; offered: number };
}> {
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    // Near matches are worked out only for the items the request names: checking a few picks must not
    // cost a comparison of every vendor item with every company.
    const offered: Suggestions = await suggestMappings(tx, input.partnerId, input.integrationId, {
      similarFor: {
        accounts: new Set((input.accounts ?? []).map((a) => a.accountId)),
        services: new Set((input.services ?? []).map((s) => s.serviceId)),
      },
    });
    // "Accept all" takes exact names only; a near match is mapped only when the partner names it.
    const accounts = chosen(
      offered.accounts,
      [
        ...offered.accounts,
        ...offered.similar.accounts.map((m) => ({ accountId: m.itemId, companyId: m.targetId })),
      ],
      input.accounts,
      (a) => [a.accountId, a.companyId],
      'Account',
    );
    const services = chosen(
      offered.services,
      [
        ...offered.services,
        ...offered.similar.services.map((m) => ({ serviceId: m.itemId, productId: m.targetId })),
      ],
      input.services,
      (s) => [s.serviceId, s.productId],
      'Service',
    );
    const mapping = (kind: Mapping['kind'], itemId: string, targetId: string): Mapping => ({
      integrationId: input.integrationId,
      kind,
      itemId,
      targetId,
      excluded: false,
      updatedAtMs: nowMs,
    });
    for (const a of accounts) await tx.putMapping(mapping('account', a.accountId, a.companyId));
    for (const s of services) await tx.putMapping(mapping('service', s.serviceId, s.productId));
    const mapped = { accounts: accounts.length, services: services.length };
    if (mapped.accounts + mapped.services === 0) {
      const state = await tx.getBuildState(input.integrationId);
      if (!state) throw new Error(`Integration ${input.integrationId} has no build state`);
      return { mapped, build: billingStatus(state, nowMs), waiting: { applied: 0, offered: 0 } };
    }
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    const waiting = await applyWaiting(tx, integration, nowMs, window);
    return {
      mapped,
      build: await markViewChanged(tx, input.integrationId, nowMs, window),
      waiting: { applied: waiting.applied.length, offered: waiting.offered.length },
    };
  });
}
