import type { Clock, TimerHandle } from './clock.js';

/** The longest delay a timer takes (about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The heartbeat of a store-backed worker (builds, webhook deliveries, PSA writes): runs `round` one
 * at a time; a kick during a round runs one more round after it instead of a second at once; a
 * timer wakes it at the earliest time asked for. Whatever a round ends with, success or an error,
 * the next look is at most `pollMs` away, so a worker whose store failed once keeps trying.
 */
export class RoundLoop {
  private timer: TimerHandle | null = null;
  private armedAtMs: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly round: () => Promise<void>,
    private readonly options: { pollMs: number; onError?: (error: unknown) => void },
  ) {}

  /** Whether `stop` was called (or `start` not yet): a round in progress should wind down. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a round is running now. */
  get isRunning(): boolean {
    return this.running !== null;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Runs a round now, or once more after the one running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.wakeAt(this.clock.nowMs() + this.options.pollMs);
      });
  }

  /** Runs a round at `atMs` unless one is already set for no later; a far time waits a timer's longest. */
  wakeAt(atMs: number): void {
    if (this.stopped) return;
    const at = Math.min(atMs, this.clock.nowMs() + MAX_TIMER_MS);
    if (this.armedAtMs !== null && this.armedAtMs <= at) return;
    if (this.timer) this.clock.cancel(this.timer);
    this.armedAtMs = at;
    this.timer = this.clock.setTimer(at - this.clock.nowMs(), () => {
      this.timer = null;
      this.armedAtMs = null;
      this.kick();
    });
  }

  /** Resolves once no round is running (tests use it after stepping the clock). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops waking; resolves once the round under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.cancel(this.timer);
    this.timer = null;
    this.armedAtMs = null;
    await this.idle();
  }
}
