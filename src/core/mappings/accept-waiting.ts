import type { BillingStatus, DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import { applyWaiting } from './apply-waiting.js';
import { partnerIntegration } from './partner-integration.js';
import { markViewChanged } from './view-changed.js';

export interface AcceptWaitingInput {
  partnerId: string;
  integrationId: string;
  accountId: string;
  serviceId: string;
}

/**
 * The partner takes a waiting value that mapping only offered (it was sent before the current
 * period): it becomes the current count and a build is scheduled. The pair must be mapped.
 */
export async function acceptWaiting(
  ctx: CoreContext,
  window: DebounceWindow,
  input: AcceptWaitingInput,
): Promise<{ unitCount: number; sentAtMs: number; build: BillingStatus }> {
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    const { applied } = await applyWaiting(tx, integration, nowMs, window, [input]);
    const [w] = applied;
    if (!w) {
      throw notFound(
        `No waiting count of account ${input.accountId} and service ${input.serviceId} with both mapped`,
      );
    }
    return {
      unitCount: w.unitCount,
      sentAtMs: w.lastAttemptAtMs,
      build: await markViewChanged(tx, integration.id, nowMs, window),
    };
  });
}
