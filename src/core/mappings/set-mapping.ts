import type { BillingStatus, DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Mapping, MappingKind } from '../model.js';
import type { Repo } from '../ports.js';
import { applyWaiting } from './apply-waiting.js';
import { requireMappableItem } from './mappable-item.js';
import { partnerIntegration } from './partner-integration.js';
import { markViewChanged } from './view-changed.js';

export interface SetMappingInput {
  partnerId: string;
  integrationId: string;
  kind: MappingKind;
  itemId: string;
  /** The PSA company (accounts) or product (services) to map to; exclusive with `excluded: true`. */
  targetId?: string;
  excluded?: boolean;
}

export interface MappingChange {
  mapping: Mapping | null;
  /** The billing view's build state after the change; a build is scheduled when anything changed. */
  build: BillingStatus;
}

export interface SetMappingChange extends MappingChange {
  /** Waiting counts the mapping made current, and those older than the period left to be offered. */
  waiting: { applied: number; offered: number };
}

/** What the target is called on the wire for each kind of item. */
export const targetField = (kind: MappingKind): string => (kind === 'account' ? 'companyId' : 'productId');

async function requireTarget(
  tx: Repo,
  partnerId: string,
  kind: MappingKind,
  targetId: string,
): Promise<void> {
  const found =
    kind === 'account' ? await tx.getCompany(partnerId, targetId) : await tx.getProduct(partnerId, targetId);
  if (!found) throw notFound(`No ${kind === 'account' ? 'company' : 'product'} found with id: ${targetId}`);
}

/** Forgets refused counts of an excluded item: the partner said it is never billed, so none is waiting. */
async function forgetWaitingOf(tx: Repo, integrationId: string, kind: MappingKind, itemId: string) {
  for (const w of await tx.listWaiting(integrationId)) {
    if ((kind === 'account' ? w.accountId : w.serviceId) === itemId) {
      await tx.forgetWaiting(integrationId, w.accountId, w.serviceId);
    }
  }
}

/**
 * Maps a vendor account to a PSA company or a vendor service to a PSA product, or excludes the
 * item. The target must be the partner's own. The billing view is rebuilt after the usual debounce.
 */
export async function setMapping(
  ctx: CoreContext,
  window: DebounceWindow,
  input: SetMappingInput,
): Promise<SetMappingChange> {
  const field = targetField(input.kind);
  if (input.excluded === true && input.targetId !== undefined) {
    throw badRequest(`Send either ${field} or excluded: true, not both`);
  }
  if (input.excluded !== true && input.targetId === undefined) {
    throw badRequest(`${field} is required unless excluded is true`);
  }
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const integration = await partnerIntegration(tx, input.partnerId, input.integrationId);
    await requireMappableItem(tx, integration, input.kind, input.itemId);
    if (input.targetId !== undefined) await requireTarget(tx, input.partnerId, input.kind, input.targetId);
    const mapping: Mapping = {
      integrationId: integration.id,
      kind: input.kind,
      itemId: input.itemId,
      targetId: input.targetId ?? null,
      excluded: input.targetId === undefined,
      updatedAtMs: nowMs,
    };
    await tx.putMapping(mapping);
    if (mapping.excluded) await forgetWaitingOf(tx, integration.id, input.kind, input.itemId);
    const waiting = mapping.excluded
      ? { applied: [], offered: [] }
      : await applyWaiting(tx, integration, nowMs, window);
    return {
      mapping,
      build: await markViewChanged(tx, integration.id, nowMs, window),
      waiting: { applied: waiting.applied.length, offered: waiting.offered.length },
    };
  });
}
