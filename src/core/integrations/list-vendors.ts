import type { CoreContext } from '../context.js';
import type { Vendor } from '../model.js';

/** Every vendor a partner can connect, and whether it is connected (and not disconnected) now. */
export async function listVendorsForPartner(
  ctx: CoreContext,
  partnerId: string,
): Promise<{ vendor: Vendor; connected: boolean }[]> {
  const live = new Set(
    (await ctx.store.listIntegrationsOfPartner(partnerId))
      .filter((i) => i.disconnectedAtMs === null)
      .map((i) => i.vendorId),
  );
  // Sandbox vendors are offered to nobody; a sandbox partner sees its own, which is connected.
  const sandboxes = new Set(await ctx.store.listSandboxVendorIds());
  const vendors = (await ctx.store.listVendors()).filter((v) => !sandboxes.has(v.id) || live.has(v.id));
  return vendors
    .map((vendor) => ({ vendor, connected: live.has(vendor.id) }))
    .sort((a, b) => a.vendor.name.localeCompare(b.vendor.name));
}
