import type { PsaSync, PsaWrite } from './store.js';

/**
 * What happens on a partner's PSA connection, for the live streams (`psa-sync` on
 * /api/partner/events) and for anything else that wants to react: a sync's progress and end
 * (`sync`, with state succeeded or failed when it finishes) and each change of a write's state
 * (`write`; state failed is the moment to alert). Process-local: a stream sees the syncs and writes
 * its own process runs.
 */
export type PsaEvent = { type: 'sync'; sync: PsaSync } | { type: 'write'; write: PsaWrite };

export class PsaEvents {
  private readonly listeners = new Set<(event: PsaEvent) => void>();

  emit(event: PsaEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed stream) must not stop a sync or a write.
      }
    }
  }

  /** Returns an unsubscribe function. */
  subscribe(listener: (event: PsaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
