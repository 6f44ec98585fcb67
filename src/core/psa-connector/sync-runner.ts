import type { TimerHandle } from '../clock.js';
import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { PsaDeps } from './deps.js';
import type { DebounceWindow } from '../builds/debounce.js';
import { carryMappingsOver } from './carry-mappings.js';
import { runPsaSync } from './run-sync.js';
import type { PsaSync } from './store.js';

export interface SyncRunnerOptions {
  /** How often due scheduled full syncs are looked for. */
  checkEveryMs: number;
  /** A running sync's lease; one not renewed for this long died with its process. */
  leaseMs: number;
  /** The debounce of the billing views a carried-over mapping changes. */
  window: DebounceWindow;
  /** Wakes the build scheduler for a view that changed (it may be asleep). */
  wake?: (dueAtMs: number) => void;
  onError?: (error: unknown) => void;
}

/**
 * Starts PSA syncs (on request, and the scheduled full sync) and runs them in the background. A
 * partner has at most one sync running in this process; asking again answers the running one.
 * Scheduled syncs are claimed with a compare-and-set in the store, so with several processes each
 * runs once.
 */
export class PsaSyncRunner {
  private readonly running = new Map<string, Promise<PsaSync>>();
  private readonly runningIds = new Map<string, string>();
  private timer: TimerHandle | null = null;
  private stopped = true;

  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: PsaDeps,
    private readonly options: SyncRunnerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.ctx.clock.cancel(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Starts a sync of the partner's PSA (or answers the one running) and returns its id. */
  async startSync(partnerId: string, full: boolean): Promise<string> {
    const runningId = this.runningIds.get(partnerId);
    if (runningId !== undefined) return runningId;
    const connection = await this.ctx.store.getPsaConnection(partnerId);
    if (!connection) throw notFound('No PSA is connected');
    // A delta needs a starting point: before the first full sync, every sync is full.
    const isFull = full || connection.deltaSinceMs === null;
    const sync: PsaSync = {
      id: this.ctx.ids.objectId(),
      partnerId,
      kind: connection.kind,
      full: isFull,
      state: 'running',
      startedAtMs: this.ctx.clock.nowMs(),
      finishedAtMs: null,
      counts: { companies: 0, products: 0, agreements: 0, lines: 0 },
      error: null,
      leaseUntilMs: this.ctx.clock.nowMs() + this.options.leaseMs,
    };
    await this.ctx.store.insertPsaSync(sync);
    this.deps.events.emit({ type: 'sync', sync });
    const connector = this.deps.connectorFor(connection);
    const run = runPsaSync(
      this.ctx,
      { ...connector, kind: connection.kind },
      sync,
      isFull ? null : connection.deltaSinceMs,
      {
        leaseMs: this.options.leaseMs,
        progress: (s) => this.deps.events.emit({ type: 'sync', sync: s }),
      },
    )
      .then(async (done) => {
        // A full sync of a PSA that replaced another is when its rows can take over old mappings.
        if (done.full && done.state === 'succeeded') {
          const carried = await carryMappingsOver(this.ctx, this.options.window, partnerId, connection.kind);
          if (carried.wakeAtMs !== null) this.options.wake?.(carried.wakeAtMs);
        }
        return done;
      })
      .finally(() => {
        this.running.delete(partnerId);
        this.runningIds.delete(partnerId);
      });
    this.running.set(partnerId, run);
    this.runningIds.set(partnerId, sync.id);
    run.catch((error: unknown) => this.options.onError?.(error));
    return sync.id;
  }

  /** Resolves when the partner's running sync (if any) has finished; tests and the CLI wait on it. */
  async settled(partnerId: string): Promise<PsaSync | undefined> {
    return this.running.get(partnerId);
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimer(this.options.checkEveryMs, () => {
      this.timer = null;
      this.startDue()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.arm());
    });
  }

  /** Starts every scheduled full sync that is due and that this process wins. */
  async startDue(): Promise<void> {
    const nowMs = this.ctx.clock.nowMs();
    for (const connection of await this.ctx.store.listPsaConnections()) {
      const due = connection.nextFullSyncAtMs;
      if (due === null || due > nowMs || this.runningIds.has(connection.partnerId)) continue;
      const won = await this.ctx.store.claimPsaFullSync(
        connection.partnerId,
        due,
        nowMs + this.deps.fullSyncIntervalMs,
      );
      if (won) await this.startSync(connection.partnerId, true);
    }
  }
}
