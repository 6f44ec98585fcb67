import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import type { FaultTrigger, SandboxFaults, SandboxRecord } from './store.js';

/** What the faults do to one request. */
export interface FaultDecision {
  /** Wait this long before answering (0: none). */
  delayMs: number;
  /** Answer this instead of handling the request; null: handle it. */
  reply: { kind: 'rate_limit'; retryAfterSeconds: number } | { kind: 'server_error' } | null;
}

/** The longest injected delay; longer ones would only tie up connections. */
export const MAX_LATENCY_MS = 30_000;

/** A 32-bit integer mixer (xorshift-multiply rounds): well spread, and the same on every machine. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A number in [0, 1) fixed by the seed, the request number and which fault asks. */
export const draw = (seed: number, sequence: number, salt: number): number =>
  mix(mix(mix(seed >>> 0) ^ salt) ^ sequence) / 2 ** 32;

const SALT = { rateLimit: 0x1a7e, serverError: 0x5e4e, latency: 0x1a7c } as const;

const fires = (trigger: FaultTrigger, seed: number, sequence: number, salt: number): boolean => {
  if (trigger.everyNth !== undefined) return sequence % trigger.everyNth === 0;
  return trigger.probability !== undefined && draw(seed, sequence, salt) < trigger.probability;
};

/**
 * The faults of the `sequence`-th request since they were set (1 for the first). A pure function
 * of the faults and the number, so a seed replays the same faults for the same requests. A rate
 * limit wins over a server error; a delay applies to either.
 */
export function decideFaults(faults: SandboxFaults, sequence: number): FaultDecision {
  const latency = faults.latencyMs;
  const delayMs =
    latency === undefined
      ? 0
      : typeof latency === 'number'
        ? latency
        : fires(latency, faults.seed, sequence, SALT.latency)
          ? latency.ms
          : 0;
  if (faults.rateLimit && fires(faults.rateLimit, faults.seed, sequence, SALT.rateLimit)) {
    return {
      delayMs,
      reply: { kind: 'rate_limit', retryAfterSeconds: faults.rateLimit.retryAfterSeconds ?? 1 },
    };
  }
  if (faults.serverError && fires(faults.serverError, faults.seed, sequence, SALT.serverError)) {
    return { delayMs, reply: { kind: 'server_error' } };
  }
  return { delayMs, reply: null };
}

const checkTrigger = (trigger: FaultTrigger, name: string): void => {
  const given = [trigger.everyNth, trigger.probability].filter((v) => v !== undefined).length;
  if (given !== 1) throw badRequest(`${name} needs exactly one of everyNth or probability`);
};

/**
 * Checks faults as a vendor sent them (the HTTP schema has checked the types and ranges) and
 * fills in the defaults. No fault at all means none.
 */
/** Sets a sandbox's faults as its vendor sent them (checked, defaults filled in); answers what is now set. */
export async function setSandboxFaults(
  ctx: CoreContext,
  sandbox: SandboxRecord,
  input: Omit<SandboxFaults, 'seed'> & { seed?: number },
): Promise<SandboxFaults | null> {
  const faults = normalizeFaults(input);
  await ctx.store.setSandboxFaults(sandbox.integrationId, faults);
  return faults;
}

/** What the faults do to the sandbox's next request (each request counts toward them). */
export async function drawFaults(ctx: CoreContext, sandbox: SandboxRecord & { faults: SandboxFaults }) {
  return decideFaults(sandbox.faults, await ctx.store.nextFaultSequence(sandbox.integrationId));
}

export function normalizeFaults(
  input: Omit<SandboxFaults, 'seed'> & { seed?: number },
): SandboxFaults | null {
  if (input.rateLimit) checkTrigger(input.rateLimit, 'rateLimit');
  if (input.serverError) checkTrigger(input.serverError, 'serverError');
  if (input.latencyMs !== undefined && typeof input.latencyMs !== 'number') {
    // A delay with no trigger applies to every request, like a plain number.
    if (input.latencyMs.everyNth !== undefined && input.latencyMs.probability !== undefined)
      throw badRequest('latencyMs takes one of everyNth or probability, not both');
  }
  if (!input.rateLimit && !input.serverError && input.latencyMs === undefined) return null;
  return { ...input, seed: input.seed ?? 0 };
}
