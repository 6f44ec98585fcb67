import type { Clock } from '../clock.js';
import type { AccessChange, EventBus } from '../ports.js';
import type { VendorPrincipal } from './authenticate-vendor.js';

export interface PrincipalCacheOptions {
  /** How long a principal is remembered at most, in case an access change was never heard. */
  ttlMs: number;
  /** Principals remembered at most; the oldest is dropped first. */
  maxEntries: number;
}

interface Entry {
  principal: VendorPrincipal;
  expiresAtMs: number;
}

/**
 * Remembers which vendor and integration a pair of key digests admitted, so the count routes skip
 * two reads per request. Only successful authentications are remembered. Every access change
 * (heard from this process or, on PostgreSQL, from any process through the event bus) drops the
 * principals it names; a change naming nobody drops them all. A count is checked once more against
 * the stored keys, pause and disconnection under its integration's lock, so a change that was not
 * heard yet cannot let a count commit after it.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly clock: Clock,
    events: EventBus,
    private readonly options: PrincipalCacheOptions,
  ) {
    this.unsubscribe = events.onAccessChange((change) => this.forget(change));
  }

  get(digests: string): VendorPrincipal | undefined {
    const entry = this.entries.get(digests);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.clock.nowMs()) {
      this.entries.delete(digests);
      return undefined;
    }
    return entry.principal;
  }

  set(digests: string, principal: VendorPrincipal): void {
    if (this.entries.size >= this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(digests, { principal, expiresAtMs: this.clock.nowMs() + this.options.ttlMs });
  }

  /** Drops the principals of a vendor or an integration; everything when the change names neither. */
  forget(change: AccessChange): void {
    if (change.vendorId === null && change.integrationId === null) {
      this.entries.clear();
      return;
    }
    for (const [key, { principal }] of this.entries) {
      if (principal.vendor.id === change.vendorId || principal.integration?.id === change.integrationId) {
        this.entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
