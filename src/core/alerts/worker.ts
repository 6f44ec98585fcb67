import type { TimerHandle } from '../clock.js';
import type { CoreContext } from '../context.js';
import { processAlert } from './process-alert.js';

export interface AlertWorkerOptions {
  /** How often queued alerts are looked for. */
  pollMs: number;
  /** Alerts taken per look. */
  batchSize: number;
  onError?: (error: unknown) => void;
}

/**
 * Turns queued alerts into partner tickets in the background. The queue lives in the store, so
 * several processes may run a worker each: settling an alert is a compare-and-set and each alert
 * becomes exactly one ticket.
 */
export class AlertWorker {
  private timer: TimerHandle | null = null;
  private last: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: AlertWorkerOptions,
  ) {}

  /** Begins polling on the injected clock. */
  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Stops polling and waits for the batch in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.ctx.clock.cancel(this.timer);
    this.timer = null;
    await this.last;
  }

  /**
   * Processes one batch of pending alerts (after any batch already running) and returns how many
   * were settled. Tests call it directly instead of waiting for the poll.
   */
  runOnce(): Promise<number> {
    const run = this.last.then(() => this.batch());
    this.last = run.catch(() => undefined);
    return run;
  }

  private arm(): void {
    this.timer = this.ctx.clock.setTimer(this.options.pollMs, () => {
      this.timer = null;
      void this.runOnce()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.arm();
        });
    });
  }

  private async batch(): Promise<number> {
    const pending = await this.ctx.store.listPendingAlerts(this.options.batchSize);
    let settled = 0;
    for (const alert of pending) {
      try {
        if (await processAlert(this.ctx, alert)) settled += 1;
      } catch (error) {
        // A store failure leaves the alert pending; the next poll retries it.
        this.options.onError?.(error);
      }
    }
    return settled;
  }
}
