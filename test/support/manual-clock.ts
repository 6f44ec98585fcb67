import type { Clock, TimerHandle } from '../../src/core/clock.js';

/** A clock that only moves when a test says so; timers fire in due order as time is stepped. */
export class ManualClock implements Clock {
  private timers = new Map<number, { atMs: number; fn: () => void }>();
  private nextId = 1;

  constructor(private currentMs = Date.UTC(2026, 10, 2, 9, 0, 0)) {}

  nowMs(): number {
    return this.currentMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { atMs: this.currentMs + Math.max(0, delayMs), fn });
    return { id };
  }

  cancel(handle: TimerHandle): void {
    this.timers.delete(handle.id as number);
  }

  /** Moves time forward, firing each timer at its own moment. */
  advance(ms: number): void {
    const target = this.currentMs + ms;
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, t]) => t.atMs <= target)
        .sort((a, b) => a[1].atMs - b[1].atMs || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.currentMs = Math.max(this.currentMs, next[1].atMs);
      next[1].fn();
    }
    this.currentMs = target;
  }
}
