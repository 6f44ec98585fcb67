import type { IdGenerator } from '../ids.js';
import type { WaitingCount } from '../model.js';
import type { Repo } from '../ports.js';
import { type EventInput, emitWebhookEvents } from './emit.js';

/** Pairs remembered in memory at most; past this the memory starts over (the store still debounces). */
const MAX_REMEMBERED = 100_000;

/**
 * `count.unmapped` at most once per (integration, account, service) per window. A vendor retrying
 * a refused count every few seconds must not turn into a webhook per call, and the counting hot
 * path must not pay a statement per count for it: pairs announced recently are skipped in memory,
 * and the rest of a batch costs one statement for the debounce marks (shared by every process)
 * and the outbox writes, all in the batch's transaction.
 */
export class UnmappedAnnouncer {
  private readonly announcedAtMs = new Map<string, number>();

  constructor(
    private readonly ids: IdGenerator,
    readonly windowMs: number,
  ) {}

  /** Whether a refused count's pair may be due for an event (only what this process remembers). */
  isDue(count: WaitingCount, nowMs: number): boolean {
    const at = this.announcedAtMs.get(keyOf(count));
    return at === undefined || at <= nowMs - this.windowMs;
  }

  /** Writes the events of the pairs that are due, inside the batch's transaction; answers their keys. */
  async announce(
    tx: Repo,
    waiting: { partnerId: string; vendorId: string; count: WaitingCount }[],
    nowMs: number,
  ): Promise<string[]> {
    const due = new Map<string, (typeof waiting)[number]>();
    for (const w of waiting) if (this.isDue(w.count, nowMs)) due.set(keyOf(w.count), w);
    if (due.size === 0) return [];
    const claimed = await tx.claimWebhookMarks([...due.keys()], nowMs, this.windowMs);
    const events: EventInput[] = claimed.flatMap((key) => {
      const w = due.get(key);
      if (!w) return [];
      return [
        {
          type: 'count.unmapped' as const,
          partnerId: w.partnerId,
          vendorId: w.vendorId,
          integrationId: w.count.integrationId,
          occurredAtMs: nowMs,
          data: {
            integrationId: w.count.integrationId,
            accountId: w.count.accountId,
            serviceId: w.count.serviceId,
            unitCount: w.count.unitCount,
            reason: w.count.reason,
          },
        },
      ];
    });
    await emitWebhookEvents(tx, this.ids, events);
    // Keys whose mark another process holds are also skipped here until the window passes.
    return [...due.keys()];
  }

  /** Called once the transaction that announced `keys` has committed. */
  committed(keys: string[], nowMs: number): void {
    if (this.announcedAtMs.size + keys.length > MAX_REMEMBERED) this.announcedAtMs.clear();
    for (const key of keys) this.announcedAtMs.set(key, nowMs);
  }
}

const keyOf = (w: WaitingCount): string =>
  JSON.stringify(['count.unmapped', w.integrationId, w.accountId, w.serviceId]);
