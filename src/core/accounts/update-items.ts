import type { CoreContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Account, Integration, OrgService } from '../model.js';
import type { ItemPatch, Repo } from '../ports.js';
import { rejectDuplicateIds, rejectTooManyItems, yieldEvery } from './create-items.js';

export type ItemKind = 'account' | 'service';

export interface ItemUpdate extends ItemPatch {
  id: string;
}

const applyPatch = <T extends Account | OrgService>(item: T, patch: ItemPatch, nowMs: number): T => ({
  ...item,
  ...(patch.name !== undefined && { name: patch.name }),
  ...(patch.description !== undefined && { description: patch.description }),
  ...(patch.isActive !== undefined && { isActive: patch.isActive }),
  ...(patch.isArrears !== undefined && { isArrears: patch.isArrears }),
  updatedAtMs: nowMs,
});

const notFoundMessage = (kind: ItemKind, id: string) =>
  kind === 'account' ? `No account found with id: ${id}` : `No organization service found with id: ${id}`;

/**
 * Updates one or many accounts or organization services, all or nothing. `isActive: false`
 * deactivates: counts are refused and the item leaves the billing views until reactivated.
 */
export async function updateItems(
  ctx: CoreContext,
  integration: Integration,
  kind: ItemKind,
  updates: ItemUpdate[],
): Promise<(Account | OrgService)[]> {
  rejectTooManyItems(updates.length);
  rejectDuplicateIds(updates.map((u) => u.id));
  for (const u of updates) {
    const { id: _id, ...fields } = u;
    if (Object.values(fields).every((v) => v === undefined)) {
      throw badRequest(`Provide at least one of name, description, isActive, isArrears for id: ${u.id}`);
    }
  }
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx: Repo) => {
    const written: (Account | OrgService)[] = [];
    for (const [index, update] of updates.entries()) {
      await yieldEvery(index);
      const current =
        kind === 'account'
          ? await tx.getAccount(integration.id, update.id)
          : await tx.getOrgService(integration.id, update.id);
      if (!current) throw notFound(notFoundMessage(kind, update.id));
      const next = applyPatch(current, update, nowMs);
      if (kind === 'account') await tx.upsertAccount(next);
      else await tx.updateOrgService(next);
      written.push(next);
    }
    return written;
  });
}
