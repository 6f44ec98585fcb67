import type { CoreContext } from '../context.js';

/** The ids of every sandbox vendor, so lists can mark or leave them out. */
export const sandboxVendorIds = async (ctx: CoreContext): Promise<Set<string>> =>
  new Set(await ctx.store.listSandboxVendorIds());
