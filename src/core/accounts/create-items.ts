import type { CoreContext } from '../context.js';
import { badRequest, conflict } from '../errors.js';
import type { Account, Integration, OrgService } from '../model.js';
import type { ItemInput } from '../ports.js';

/** Ids arrive as numbers or strings; both mean the same account, so they are kept as strings. */
export const itemId = (id: string | number): string => String(id);

/** One request may name an id once: which of two writes to the same item wins would be arbitrary. */
export function rejectDuplicateIds(ids: string[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
  if (repeated.size > 0) throw badRequest(`Duplicate ids in request body: ${[...repeated].join(', ')}`);
}

/**
 * Creates accounts. Idempotent: an id that exists is updated with the fields sent (omitted ones are
 * kept), because real clients re-post every account on every sync. All or nothing.
 */
export async function createAccounts(
  ctx: CoreContext,
  integration: Integration,
  inputs: ItemInput[],
): Promise<Account[]> {
  rejectDuplicateIds(inputs.map((i) => i.id));
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const existing = new Map(
      (
        await tx.listAccounts(
          integration.id,
          inputs.map((i) => i.id),
        )
      ).map((a) => [a.id, a]),
    );
    const written: Account[] = [];
    for (const input of inputs) {
      const before = existing.get(input.id);
      const account: Account = {
        integrationId: integration.id,
        id: input.id,
        name: input.name,
        description: input.description ?? before?.description ?? '',
        // A re-post never reactivates: clients re-send every account on each sync.
        isActive: before?.isActive ?? true,
        isArrears: input.isArrears ?? before?.isArrears ?? false,
        createdAtMs: before?.createdAtMs ?? nowMs,
        updatedAtMs: nowMs,
      };
      await tx.upsertAccount(account);
      written.push(account);
    }
    return written;
  });
}

/** Creates organization services; any id that already exists fails the whole request with 409. */
export async function createOrgServices(
  ctx: CoreContext,
  integration: Integration,
  inputs: ItemInput[],
): Promise<OrgService[]> {
  rejectDuplicateIds(inputs.map((i) => i.id));
  const nowMs = ctx.clock.nowMs();
  return ctx.store.transaction(async (tx) => {
    const taken = await tx.listOrgServices(
      integration.id,
      inputs.map((i) => i.id),
    );
    if (taken.length > 0) {
      const ids = taken.map((s) => s.id);
      throw conflict(`A resource with this Id already exists. Ids: ${ids.join(', ')}`);
    }
    const written: OrgService[] = [];
    for (const input of inputs) {
      const service: OrgService = {
        integrationId: integration.id,
        id: input.id,
        name: input.name,
        description: input.description ?? '',
        isActive: true,
        isArrears: input.isArrears ?? false,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      await tx.insertOrgService(service);
      written.push(service);
    }
    return written;
  });
}
