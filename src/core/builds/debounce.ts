/**
 * Pure transitions of an integration's build state. The store persists the result in the same
 * transaction as the event that caused it, so every process (and every restart) agrees on it.
 */
import type { BuildState } from '../model.js';

export interface DebounceWindow {
  /** A build waits until no count has arrived for this long… */
  quietMs: number;
  /** …but never longer than this after the first unbuilt change. */
  maxWaitMs: number;
}

export const initialBuildState = (integrationId: string): BuildState => ({
  integrationId,
  revision: 0,
  builtRevision: 0,
  unbuiltChanges: 0,
  firstUnbuiltAtMs: null,
  dueAtMs: null,
  buildingUntilMs: null,
  claimedRevision: 0,
  claimedChanges: 0,
  lastBuiltAtMs: null,
  builds: 0,
});

/**
 * An accepted count: one more revision and one more unbuilt change. With `schedule`, the trailing
 * debounce pushes the build back to a quiet window from now, capped by the maximum wait; without it
 * (`no_build=true`) an existing schedule is left as it is and none is made.
 */
export function countAccepted(
  state: BuildState,
  nowMs: number,
  schedule: boolean,
  window: DebounceWindow,
): BuildState {
  const firstUnbuiltAtMs = state.firstUnbuiltAtMs ?? nowMs;
  const dueAtMs = schedule
    ? Math.min(nowMs + window.quietMs, firstUnbuiltAtMs + window.maxWaitMs)
    : state.dueAtMs;
  return {
    ...state,
    revision: state.revision + 1,
    unbuiltChanges: state.unbuiltChanges + 1,
    firstUnbuiltAtMs,
    dueAtMs,
  };
}

/**
 * The partner changed what the view is built from (a mapping), not a count. It is still a new
 * revision and an unbuilt change, so flushes, follow-up builds and the maximum wait treat it like a
 * count; it always schedules, since no vendor asked to hold builds back.
 */
export function viewInputsChanged(state: BuildState, nowMs: number, window: DebounceWindow): BuildState {
  return countAccepted(state, nowMs, true, window);
}

/** A flush: everything unbuilt is due now. Nothing to do when nothing is unbuilt. */
export function flushRequested(state: BuildState, nowMs: number): BuildState {
  if (state.unbuiltChanges === 0) return state;
  return { ...state, dueAtMs: nowMs };
}

/** Whether a process may claim the build now: due and not held by a live lease, or a dead lease. */
export function isClaimable(state: BuildState, nowMs: number): boolean {
  if (state.buildingUntilMs !== null) return state.buildingUntilMs <= nowMs;
  return state.dueAtMs !== null && state.dueAtMs <= nowMs;
}

/**
 * A process takes the build. It covers every change so far (and those of a build whose lease ran
 * out, which never finished); changes that arrive from now on wait for exactly one follow-up build.
 */
export function claimBuild(state: BuildState, nowMs: number, leaseMs: number): BuildState {
  const abandoned = state.buildingUntilMs !== null ? state.claimedChanges : 0;
  return {
    ...state,
    buildingUntilMs: nowMs + leaseMs,
    claimedRevision: state.revision,
    claimedChanges: state.unbuiltChanges + abandoned,
    unbuiltChanges: 0,
    firstUnbuiltAtMs: null,
    dueAtMs: null,
  };
}

/** The build landed. A follow-up stays scheduled if counts arrived meanwhile. */
export function buildFinished(state: BuildState, nowMs: number): BuildState {
  return {
    ...state,
    builtRevision: state.claimedRevision,
    buildingUntilMs: null,
    claimedChanges: 0,
    lastBuiltAtMs: nowMs,
    builds: state.builds + 1,
  };
}

export type BillingStateName = 'idle' | 'scheduled' | 'building';

/** What a vendor sees of the build in `GET /organization`: `billing`. */
export interface BillingStatus {
  state: BillingStateName;
  unbuiltChanges: number;
  dueAtMs: number | null;
  lastBuiltAtMs: number | null;
  builtRevision: number;
  builds: number;
}

export function billingStatus(state: BuildState, nowMs: number): BillingStatus {
  const building = state.buildingUntilMs !== null && state.buildingUntilMs > nowMs;
  return {
    // A build whose lease ran out will be claimed again, so it counts as scheduled.
    state: building
      ? 'building'
      : state.dueAtMs !== null || state.buildingUntilMs !== null
        ? 'scheduled'
        : 'idle',
    unbuiltChanges: state.unbuiltChanges + (state.buildingUntilMs !== null ? state.claimedChanges : 0),
    dueAtMs: state.dueAtMs,
    lastBuiltAtMs: state.lastBuiltAtMs,
    builtRevision: state.builtRevision,
    builds: state.builds,
  };
}
