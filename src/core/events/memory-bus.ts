import type { AccessChange, BuildEvent, EventBus } from '../ports.js';

/** Delivers build events to listeners in this process; the cluster buses add fan-out on top. */
export class MemoryEventBus implements EventBus {
  private readonly listeners = new Set<(event: BuildEvent) => void>();
  private readonly accessListeners = new Set<(change: AccessChange) => void>();

  async publish(event: BuildEvent): Promise<void> {
    this.deliver(event);
  }

  /** Hands an event to local listeners only; a failing listener does not stop the others. */
  deliver(event: BuildEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the build already landed.
      }
    }
  }

  subscribe(listener: (event: BuildEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async announceAccessChange(change: AccessChange): Promise<void> {
    this.deliverAccessChange(change);
  }

  /** Hands an access change to local listeners only. */
  deliverAccessChange(change: AccessChange): void {
    for (const listener of [...this.accessListeners]) listener(change);
  }

  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.accessListeners.clear();
  }
}
