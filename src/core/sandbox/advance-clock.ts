import { type BillingStatus, billingStatus } from '../builds/debounce.js';
import { isoTime } from '../clock.js';
import type { CoreContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { SandboxBuilds } from './sandbox-builds.js';
import type { SandboxRecord } from './store.js';

/** The furthest one move may go: enough for a year of billing periods and more. */
export const MAX_ADVANCE_MS = 400 * 24 * 3600 * 1000;

export interface ClockMove {
  /** Seconds to move forward… */
  seconds?: number;
  /** …or the instant to move to (epoch ms); never back. */
  toMs?: number;
}

/**
 * Moves a sandbox's test clock forward, then runs at once every build that is due by the new
 * time, so a debounce window or a maximum wait that has elapsed shows in the reply. Idempotency
 * records and billing periods follow the same clock. Answers the new time, the builds run and the
 * integration's billing state as of the new time.
 */
export async function advanceSandboxClock(
  ctx: CoreContext,
  builds: SandboxBuilds,
  sandbox: SandboxRecord,
  move: ClockMove,
): Promise<{ nowMs: number; clockOffsetMs: number; builds: number; billing: BillingStatus }> {
  if ((move.seconds === undefined) === (move.toMs === undefined)) {
    throw badRequest('Send exactly one of seconds or to');
  }
  const serverNowMs = ctx.clock.nowMs();
  const sandboxNowMs = serverNowMs + sandbox.clockOffsetMs;
  const targetMs = move.toMs ?? sandboxNowMs + Math.round((move.seconds as number) * 1000);
  if (targetMs < sandboxNowMs) {
    throw badRequest(`The test clock only moves forward; it is ${isoTime(sandboxNowMs)} now`);
  }
  if (targetMs - sandboxNowMs > MAX_ADVANCE_MS) {
    throw badRequest(`One move may go at most ${MAX_ADVANCE_MS / 1000} seconds forward`);
  }
  const clockOffsetMs = targetMs - serverNowMs;
  await ctx.store.setSandboxClockOffset(sandbox.integrationId, clockOffsetMs);
  const built = await builds.buildDue(sandbox.integrationId);
  const nowMs = ctx.clock.nowMs() + clockOffsetMs;
  const state = await ctx.store.getBuildState(sandbox.integrationId);
  if (!state) throw notFound(`No integration found with id: ${sandbox.integrationId}`);
  return { nowMs, clockOffsetMs, builds: built, billing: billingStatus(state, nowMs) };
}
