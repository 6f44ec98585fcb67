/** Time source and timers; injected everywhere so tests step time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
  /** Calls fn once after delayMs; returns a handle for cancel. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export type TimerHandle = { readonly id: unknown };

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    // A pending build timer must not keep a stopping process alive.
    t.unref();
    return { id: t };
  },
  cancel(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};

/**
 * Per-integration time. Real integrations share the server's clock; a sandbox integration runs on a
 * test clock its vendor moves forward. Answers synchronously once it knows the integration.
 */
export interface ClockResolver {
  clockFor(integrationId: string): Clock | Promise<Clock>;
}

/** A clock running `offsetMs` ahead of `base`; timers still wait real time. */
export const offsetClock = (base: Clock, offsetMs: number): Clock =>
  offsetMs === 0
    ? base
    : {
        nowMs: () => base.nowMs() + offsetMs,
        setTimer: (delayMs, fn) => base.setTimer(delayMs, fn),
        cancel: (handle) => base.cancel(handle),
      };

/** ISO-8601 UTC with milliseconds, the timestamp shape of the vendor API. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** The timestamp the hosted original shows for "never". */
export const NEVER_ISO = '1900-01-01T00:00:00.000Z';
