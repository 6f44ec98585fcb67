import type { Clock, ClockResolver } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { EventBus, Store } from './ports.js';

/** What every domain verb may use; built once by the composition root. */
export interface CoreContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventBus;
  /** Per-integration clocks (sandbox test clocks); without it every integration uses `clock`. */
  clocks?: ClockResolver;
}

/** The clock an integration's counts, builds and idempotency records are timed by. */
export const clockOf = (ctx: CoreContext, integrationId: string): Clock | Promise<Clock> =>
  ctx.clocks ? ctx.clocks.clockFor(integrationId) : ctx.clock;

/**
 * The clocks of several integrations, resolved up front: a transaction must not wait on reads made
 * outside it (SQLite has one connection).
 */
export async function clocksOf(ctx: CoreContext, integrationIds: string[]): Promise<(id: string) => Clock> {
  if (!ctx.clocks) return () => ctx.clock;
  const clocks = new Map<string, Clock>();
  for (const id of integrationIds) if (!clocks.has(id)) clocks.set(id, await ctx.clocks.clockFor(id));
  return (id) => clocks.get(id) ?? ctx.clock;
}
