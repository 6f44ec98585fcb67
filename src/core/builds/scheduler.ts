import type { Clock } from '../clock.js';
import { type CoreContext, clockOf } from '../context.js';
import type { BuildEvent } from '../ports.js';
import { RoundLoop } from '../round-loop.js';
import { type BuildOutcome, buildBillingView } from './build-billing-view.js';
import { type BillingStatus, billingStatus, claimBuild, flushRequested, isClaimable } from './debounce.js';

export interface SchedulerOptions {
  /** How long a claimed build may run before another process presumes it dead and retries it. */
  leaseMs: number;
  /** How often to look for builds made due by other processes or left by dead ones. */
  pollMs: number;
  /** Builds claimed per look; they run one after another. */
  claimBatch?: number;
  /** Called after every build, for metrics and logs. */
  onBuild?: (outcome: BuildOutcome, lagMs: number | null) => void;
  onError?: (error: unknown) => void;
  /**
   * Awaited after a build is claimed and before it reads anything. Tests hold builds here to send
   * counts while one is running; production leaves it unset.
   */
  beforeBuild?: (integrationId: string) => Promise<void>;
}

/** The shortest re-arm delay, so a due build held by another process's live lease is not spun on. */
const MIN_REARM_MS = 25;

/**
 * Runs debounced billing-view builds. The schedule itself lives in the store (see debounce.ts);
 * this class only wakes at the earliest due time, claims due builds and runs them, so any number of
 * processes can share one database and each due build still runs exactly once.
 */
export class BuildScheduler {
  private readonly loop: RoundLoop;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SchedulerOptions,
  ) {
    this.loop = new RoundLoop(ctx.clock, () => this.round(), options);
  }

  /**
   * Begins work: builds whatever a previous run left due (or half built), then keeps watching.
   * A process that owns its store alone (embedded SQLite) knows any lease it finds belongs to a
   * run that died, so it retries those builds at once instead of waiting out the lease.
   */
  async start(options: { soleProcess: boolean }): Promise<void> {
    if (options.soleProcess) await this.ctx.store.expireBuildLeases(this.ctx.clock.nowMs());
    this.loop.start();
  }

  /** Tells the scheduler a build is due at `dueAtMs` (called after a count is committed). */
  wake(dueAtMs: number): void {
    // A due time on a sandbox's test clock may lie months ahead: the loop caps how long it waits.
    this.loop.wakeAt(dueAtMs);
  }

  /** Builds the integration now (after any build already running) and resolves when it has landed. */
  async flush(integrationId: string, timeoutMs: number): Promise<BillingStatus> {
    const clock = await clockOf(this.ctx, integrationId);
    const target = await this.ctx.store.transaction(async (tx) => {
      const state = await tx.lockBuildState(integrationId);
      if (!state) throw new Error(`Integration ${integrationId} has no build state`);
      const next = flushRequested(state, clock.nowMs());
      if (next !== state) await tx.updateBuildState(next);
      return next.builtRevision >= next.revision ? null : next.revision;
    });
    if (target !== null) {
      const landed = this.waitForBuild(integrationId, target, timeoutMs);
      // A test clock's due times are its own: that build is claimed here rather than by a round.
      if (clock === this.ctx.clock) this.loop.kick();
      else void this.buildIfDue(integrationId, clock).catch((error) => this.options.onError?.(error));
      await landed;
    }
    const state = await this.ctx.store.getBuildState(integrationId);
    if (!state) throw new Error(`Integration ${integrationId} has no build state`);
    return billingStatus(state, clock.nowMs());
  }

  /**
   * Claims and runs one integration's build if it is due on `clock` (a sandbox's test clock, whose
   * due times the rounds on the server's clock do not see in time); resolves once it has landed.
   * False when nothing was due or another process holds the build.
   */
  async buildIfDue(integrationId: string, clock: Clock): Promise<boolean> {
    const nowMs = clock.nowMs();
    const claim = await this.ctx.store.transaction(async (tx) => {
      const state = await tx.lockBuildState(integrationId);
      if (!state || !isClaimable(state, nowMs)) return null;
      const next = claimBuild(state, nowMs, this.options.leaseMs);
      await tx.updateBuildState(next);
      return { leaseUntilMs: next.buildingUntilMs as number, firstUnbuiltAtMs: state.firstUnbuiltAtMs };
    });
    if (!claim) return false;
    await this.runBuild(integrationId, claim.leaseUntilMs, claim.firstUnbuiltAtMs, clock);
    return true;
  }

  /** Resolves once no build is running in this process (tests use it after stepping the clock). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<void> {
    for (;;) {
      const claimed = await this.claimDue();
      if (claimed.length === 0) break;
      for (const claim of claimed)
        await this.runBuild(claim.integrationId, claim.leaseUntilMs, claim.firstUnbuiltAtMs);
    }
    if (this.loop.isStopped) return;
    // The loop looks again within pollMs anyway; an earlier due build wakes it sooner.
    const nextDue = await this.ctx.store.earliestDueAtMs();
    if (nextDue !== null) this.loop.wakeAt(Math.max(nextDue, this.ctx.clock.nowMs() + MIN_REARM_MS));
  }

  private async claimDue(): Promise<
    { integrationId: string; leaseUntilMs: number; firstUnbuiltAtMs: number | null }[]
  > {
    const nowMs = this.ctx.clock.nowMs();
    return this.ctx.store.transaction(async (tx) => {
      const ids = await tx.listDueBuilds(nowMs, this.options.claimBatch ?? 8);
      const claims = [];
      for (const integrationId of ids) {
        const state = await tx.lockBuildState(integrationId);
        if (!state || !isClaimable(state, nowMs)) continue;
        const next = claimBuild(state, nowMs, this.options.leaseMs);
        await tx.updateBuildState(next);
        claims.push({
          integrationId,
          leaseUntilMs: next.buildingUntilMs as number,
          firstUnbuiltAtMs: state.firstUnbuiltAtMs,
        });
      }
      return claims;
    });
  }

  private async runBuild(
    integrationId: string,
    leaseUntilMs: number,
    firstUnbuiltAtMs: number | null,
    clock: Clock = this.ctx.clock,
  ) {
    await this.options.beforeBuild?.(integrationId);
    const outcome = await buildBillingView(this.ctx, integrationId, leaseUntilMs, clock);
    if (!outcome.landed) return;
    const finishedMs = clock.nowMs();
    this.options.onBuild?.(outcome, firstUnbuiltAtMs === null ? null : finishedMs - firstUnbuiltAtMs);
    const integration = await this.ctx.store.getIntegration(integrationId);
    if (!integration) return;
    const event: BuildEvent = {
      integrationId,
      partnerId: integration.partnerId,
      builtRevision: outcome.builtRevision,
      builtAtMs: finishedMs,
    };
    await this.ctx.events.publish(event);
  }

  private waitForBuild(integrationId: string, revision: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        unsubscribe();
        this.ctx.clock.cancel(timer);
        resolve();
      };
      const unsubscribe = this.ctx.events.subscribe((event) => {
        if (event.integrationId === integrationId && event.builtRevision >= revision) done();
      });
      const timer = this.ctx.clock.setTimer(timeoutMs, done);
    });
  }
}
