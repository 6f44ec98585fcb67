import type { DebounceWindow } from '../builds/debounce.js';
import type { CoreContext } from '../context.js';
import { TallyError } from '../errors.js';
import { CountBatch } from './count-batch.js';
import {
  applyCount,
  type CountOutcome,
  type SetUnitCountInput,
  type SetUnitCountResult,
  settle,
} from './set-unit-count.js';

interface Pending {
  input: SetUnitCountInput;
  resolve: (result: SetUnitCountResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for Set unit count. Counts that arrive while a transaction is committing wait and
 * then commit together in the next one, so one disk flush acknowledges many counts. Each count is
 * still answered only after the transaction holding it has committed; if that transaction fails,
 * every count in it fails and none was acknowledged.
 */
export class CountWriter {
  private queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly window: DebounceWindow,
    /** Counts per transaction at most, which bounds how long one commit holds the store. */
    private readonly maxBatch = 256,
  ) {}

  /** Queues one count; resolves with its result once committed, or rejects with its refusal. */
  submit(input: SetUnitCountInput): Promise<SetUnitCountResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Wait for the rest of this turn of the event loop: requests read in the same turn then
      // join this transaction instead of each paying for a commit of its own.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    // Sorting (stably) by integration keeps each vendor's order and makes every process lock
    // integrations in the same order, so two batches never deadlock.
    const ordered = [...batch].sort((a, b) =>
      a.input.integration.id < b.input.integration.id
        ? -1
        : a.input.integration.id > b.input.integration.id
          ? 1
          : 0,
    );
    let outcomes: (CountOutcome | { refused: TallyError })[];
    try {
      outcomes = await this.ctx.store.transaction(async (tx) => {
        const shared = new CountBatch(tx);
        const done: (CountOutcome | { refused: TallyError })[] = [];
        for (const { input } of ordered) {
          try {
            done.push(await applyCount(shared, this.ctx.clock.nowMs(), this.window, input));
          } catch (error) {
            // A refusal thrown by applyCount left nothing written; the batch carries on.
            if (!(error instanceof TallyError)) throw error;
            done.push({ refused: error });
          }
        }
        await shared.finish();
        return done;
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    ordered.forEach((pending, i) => {
      const outcome = outcomes[i] as CountOutcome | { refused: TallyError };
      if ('refused' in outcome) pending.reject(outcome.refused);
      else {
        try {
          pending.resolve(settle(outcome));
        } catch (refusal) {
          pending.reject(refusal);
        }
      }
    });
  }
}
