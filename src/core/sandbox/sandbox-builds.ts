import type { TimerHandle } from '../clock.js';
import type { BuildScheduler } from '../builds/scheduler.js';
import type { CoreContext } from '../context.js';
import type { SandboxDirectory } from './directory.js';

/** Follow-up builds run in one go at most this many times (counts may keep arriving meanwhile). */
const MAX_BUILDS_IN_A_ROW = 5;

/**
 * Runs the builds of sandbox integrations on their test clocks. The build scheduler wakes on the
 * server's clock, where a sandbox whose clock was moved ahead would be due only much later; this
 * looks for builds due on each sandbox's own clock every `pollMs`, and on demand when a clock moves.
 */
export class SandboxBuilds {
  private timer: TimerHandle | null = null;
  private stopped = true;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly scheduler: BuildScheduler,
    private readonly directory: SandboxDirectory,
    private readonly options: { pollMs: number; onError?: (error: unknown) => void },
  ) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.ctx.clock.cancel(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  /** Runs every build of the sandbox that is due on its clock now; answers how many landed. */
  async buildDue(integrationId: string): Promise<number> {
    let built = 0;
    while (built < MAX_BUILDS_IN_A_ROW) {
      const clock = await this.directory.clockFor(integrationId);
      if (!(await this.scheduler.buildIfDue(integrationId, clock))) break;
      built += 1;
    }
    return built;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimer(this.options.pollMs, () => {
      this.timer = null;
      this.running = this.round()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.running = null;
          this.arm();
        });
    });
  }

  private async round(): Promise<void> {
    const due = await this.ctx.store.listDueSandboxBuilds(this.ctx.clock.nowMs(), 16);
    for (const integrationId of due) {
      if (this.stopped) return;
      await this.buildDue(integrationId);
    }
  }
}
