import { type Clock, type ClockResolver, offsetClock } from '../clock.js';
import type { Store } from '../ports.js';
import type { SandboxRecord } from './store.js';

/**
 * Knows which integrations are sandboxes and gives each its clock. Whether an integration is a
 * sandbox never changes after it is made, so the answer is kept in memory and real integrations
 * cost one read per process; a sandbox's own row (its clock, its faults) is read fresh every
 * time, so every process sees a clock moved or faults set by another.
 *
 * Use it outside transactions only: its reads go to the store, not to a transaction's handle.
 */
export class SandboxDirectory implements ClockResolver {
  /** Integration id → whether it is a sandbox. */
  private readonly kinds = new Map<string, boolean>();
  /** Vendor id → its sandbox's integration id, or null for a real vendor. */
  private readonly vendors = new Map<string, string | null>();

  constructor(
    private readonly store: Store,
    private readonly shared: Clock,
  ) {}

  clockFor(integrationId: string): Clock | Promise<Clock> {
    if (this.kinds.get(integrationId) === false) return this.shared;
    return this.sandbox(integrationId).then((s) =>
      s ? offsetClock(this.shared, s.clockOffsetMs) : this.shared,
    );
  }

  /** The sandbox with this integration, read fresh; undefined for a real integration. */
  async sandbox(integrationId: string): Promise<SandboxRecord | undefined> {
    if (this.kinds.get(integrationId) === false) return undefined;
    const found = await this.store.getSandbox(integrationId);
    this.kinds.set(integrationId, found !== undefined);
    return found;
  }

  /** The sandbox of a vendor (a sandbox vendor has exactly one), read fresh; undefined for a real vendor. */
  async sandboxOfVendor(vendorId: string): Promise<SandboxRecord | undefined> {
    const known = this.vendors.get(vendorId);
    if (known === null) return undefined;
    if (known !== undefined) return this.sandbox(known);
    const found = await this.store.findSandboxOfVendor(vendorId);
    this.vendors.set(vendorId, found?.integrationId ?? null);
    if (found) this.kinds.set(found.integrationId, true);
    return found;
  }

  /**
   * The sandbox a vendor API caller acts on: its integration's, or with a vendor-only token its
   * vendor's. Undefined for real vendors, answered from memory once they are known.
   */
  sandboxOf(principal: {
    vendorId: string;
    integrationId: string | null;
  }): Promise<SandboxRecord | undefined> {
    return principal.integrationId !== null
      ? this.sandbox(principal.integrationId)
      : this.sandboxOfVendor(principal.vendorId);
  }

  /** True when the caller is known, from memory alone, not to be a sandbox: hooks then skip it at once. */
  knownReal(principal: { vendorId: string; integrationId: string | null }): boolean {
    return principal.integrationId !== null
      ? this.kinds.get(principal.integrationId) === false
      : this.vendors.get(principal.vendorId) === null;
  }
}
