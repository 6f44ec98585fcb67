import type { CoreContext } from '../context.js';
import type { Account, Integration, Mapping, MappingKind, OrgService } from '../model.js';

/** An account or organization service with the partner's mapping of it, if there is one. */
export interface MappedItem {
  item: Account | OrgService;
  mapping: Mapping | undefined;
}

export interface ItemFilter {
  /** Only these ids; all when omitted. */
  ids?: string[];
  /** false: only items the partner has mapped. */
  returnUnmapped: boolean;
}

/** Mapped means tied to a PSA company or product; an exclusion is the partner saying "never", not a map. */
export const isMapped = (mapping: Mapping | undefined): boolean =>
  mapping !== undefined && mapping.targetId !== null && !mapping.excluded;

/** Pairs items with their mappings, in the order given. */
export async function withMappings(
  ctx: CoreContext,
  integration: Integration,
  kind: MappingKind,
  items: (Account | OrgService)[],
): Promise<MappedItem[]> {
  if (items.length === 0) return [];
  const mappings = new Map((await ctx.store.listMappings(integration.id, kind)).map((m) => [m.itemId, m]));
  return items.map((item) => ({ item, mapping: mappings.get(item.id) }));
}

/** Lists an integration's accounts or organization services, ordered by id. */
export async function listItems(
  ctx: CoreContext,
  integration: Integration,
  kind: MappingKind,
  filter: ItemFilter,
): Promise<MappedItem[]> {
  const items =
    kind === 'account'
      ? await ctx.store.listAccounts(integration.id, filter.ids)
      : await ctx.store.listOrgServices(integration.id, filter.ids);
  const listed = await withMappings(ctx, integration, kind, items);
  return filter.returnUnmapped ? listed : listed.filter((m) => isMapped(m.mapping));
}
