import type { DebounceWindow } from '../builds/debounce.js';
import { type CoreContext, clocksOf } from '../context.js';
import { TallyError } from '../errors.js';
import type { UnmappedAnnouncer } from '../webhooks/unmapped.js';
import { CountBatch } from './count-batch.js';
import {
  isPlainCount,
  keysOf,
  planCounts,
  type PlainCountInput,
  type PlannedOutcome,
} from './plan-counts.js';
import { applyCount, type SetUnitCountInput, type SetUnitCountResult, settle } from './set-unit-count.js';

interface Pending {
  input: SetUnitCountInput;
  resolve: (result: SetUnitCountResult) => void;
  reject: (error: unknown) => void;
}

/** One queue of counts, committed one transaction after another. */
interface Lane {
  queue: Pending[];
  draining: boolean;
}

export interface CountWriterOptions {
  /**
   * Independent queues. Each integration always uses the same lane, so its counts commit in
   * order; lanes commit side by side, which pays off where the store runs transactions in
   * parallel (PostgreSQL). SQLite has one writer, so one lane.
   */
  lanes?: number;
  /** Counts per transaction at most, which bounds how long one commit holds the store. */
  maxBatch?: number;
  /** Announces counts refused for want of a mapping by webhook (debounced per pair). */
  unmapped?: UnmappedAnnouncer;
}

/**
 * Group commit for Set unit count. Counts that arrive while a transaction is committing wait and
 * then commit together in the next one, so one disk flush acknowledges many counts. Each count is
 * still answered only after the transaction holding it has committed; if that transaction fails,
 * every count in it fails and none was acknowledged.
 */
export class CountWriter {
  private readonly lanes: Lane[];
  private readonly maxBatch: number;
  private readonly unmapped: UnmappedAnnouncer | null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly window: DebounceWindow,
    options: CountWriterOptions = {},
  ) {
    this.lanes = Array.from({ length: Math.max(1, options.lanes ?? 1) }, () => ({
      queue: [],
      draining: false,
    }));
    this.maxBatch = options.maxBatch ?? 256;
    this.unmapped = options.unmapped ?? null;
  }

  /** Queues one count; resolves with its result once committed, or rejects with its refusal. */
  submit(input: SetUnitCountInput): Promise<SetUnitCountResult> {
    const lane = this.laneOf(input.integration.id);
    return new Promise((resolve, reject) => {
      lane.queue.push({ input, resolve, reject });
      this.wake(lane);
    });
  }

  /**
   * Queues many counts at once (a bulk request); each settles on its own, in order. They share
   * transactions with each other and with whatever else is queued.
   */
  submitMany(inputs: SetUnitCountInput[]): Promise<PromiseSettledResult<SetUnitCountResult>[]> {
    return Promise.allSettled(inputs.map((input) => this.submit(input)));
  }

  private wake(lane: Lane): void {
    if (lane.draining) return;
    lane.draining = true;
    // Wait for the rest of this turn of the event loop: requests read in the same turn then
    // join this transaction instead of each paying for a commit of its own.
    setImmediate(() => void this.drain(lane));
  }

  /**
   * The common case, counts by account id without an Idempotency-Key: the store writes the whole
   * batch with a fixed number of statements, the rules run in memory on what it read. Resolves as
   * soon as the batch is committed, so the lane's next batch can go ahead while this one is made
   * durable; its counts are answered once it is.
   */
  private commitPlain(batch: Pending[]): Promise<void> {
    return new Promise<void>((laneFree) => {
      // Whatever happens to the batch, the lane is free once it is over.
      void this.writePlain(batch, laneFree).finally(laneFree);
    });
  }

  private async writePlain(batch: Pending[], committed: () => void): Promise<void> {
    const inputs = batch.map((pending) => pending.input as PlainCountInput);
    let outcomes: PlannedOutcome[];
    try {
      const clockOf = await clocksOf(
        this.ctx,
        inputs.map((input) => input.integration.id),
      );
      outcomes = await this.ctx.store.writeCountBatch(
        keysOf(inputs),
        (snapshot) => {
          const nowMs = new Map<string, number>();
          const nowMsOf = (id: string): number => {
            let at = nowMs.get(id);
            if (at === undefined) nowMs.set(id, (at = clockOf(id).nowMs()));
            return at;
          };
          const planned = planCounts(snapshot, inputs, nowMsOf, this.window);
          // A refused count whose `count.unmapped` event is due must be announced in the same
          // transaction; this path writes no events, so the batch goes the general way instead.
          const unmapped = this.unmapped;
          if (unmapped && planned.writes.remember.some((w) => unmapped.isDue(w, nowMsOf(w.integrationId)))) {
            throw new AnnouncementDue();
          }
          return planned;
        },
        committed,
      );
    } catch (error) {
      if (error instanceof AnnouncementDue) {
        await this.commitEach(batch);
        return;
      }
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => answer(pending, outcomes[i] as PlannedOutcome));
  }

  private laneOf(integrationId: string): Lane {
    let hash = 0;
    for (let i = 0; i < integrationId.length; i++) hash = (hash * 31 + integrationId.charCodeAt(i)) >>> 0;
    return this.lanes[hash % this.lanes.length] as Lane;
  }

  private async drain(lane: Lane): Promise<void> {
    try {
      while (lane.queue.length > 0) await this.commit(lane.queue.splice(0, this.maxBatch));
    } finally {
      lane.draining = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (batch.every((pending) => isPlainCount(pending.input))) {
      await this.commitPlain(batch);
      return;
    }
    await this.commitEach(batch);
  }

  /** Any batch: each count through the domain's rules in one shared transaction. */
  private async commitEach(batch: Pending[]): Promise<void> {
    // Sorting (stably) by integration keeps each vendor's order and makes every process lock
    // integrations in the same order, so two batches never deadlock.
    const ordered = [...batch].sort((a, b) =>
      a.input.integration.id < b.input.integration.id
        ? -1
        : a.input.integration.id > b.input.integration.id
          ? 1
          : 0,
    );
    let outcomes: PlannedOutcome[];
    let announcing: CountBatch | undefined;
    try {
      const clockOf = await clocksOf(
        this.ctx,
        ordered.map((p) => p.input.integration.id),
      );
      outcomes = await this.ctx.store.transaction(async (tx) => {
        const shared = new CountBatch(tx, this.unmapped);
        announcing = shared;
        const done: PlannedOutcome[] = [];
        for (const { input } of ordered) {
          try {
            done.push(await applyCount(shared, clockOf(input.integration.id).nowMs(), this.window, input));
          } catch (error) {
            // A refusal thrown by applyCount left nothing written; the batch carries on.
            if (!(error instanceof TallyError)) throw error;
            done.push({ refused: error });
          }
        }
        await shared.finish(this.ctx.clock.nowMs());
        return done;
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    announcing?.committed();
    ordered.forEach((pending, i) => answer(pending, outcomes[i] as PlannedOutcome));
  }
}

/** Thrown out of a plain batch's plan (so nothing is written) when it must announce an unmapped count. */
class AnnouncementDue extends Error {}

/** Settles one count's promise with its committed outcome. */
function answer(pending: Pending, outcome: PlannedOutcome): void {
  if ('refused' in outcome) pending.reject(outcome.refused);
  else {
    try {
      pending.resolve(settle(outcome));
    } catch (refusal) {
      pending.reject(refusal);
    }
  }
}
