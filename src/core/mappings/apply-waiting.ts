import { countAccepted, type DebounceWindow } from '../builds/debounce.js';
import type { Integration, WaitingCount } from '../model.js';
import type { Repo } from '../ports.js';

/**
 * The request id of a history entry written from a waiting count: it names the instant the vendor
 * sent the value, so the history can say "applied from a count sent at T while unmapped".
 */
const WAITING_PREFIX = 'waiting:';
export const waitingRequestId = (sentAtMs: number): string => `${WAITING_PREFIX}${sentAtMs}`;

/** When the vendor sent the value a history entry applied from waiting; null for any other entry. */
export function waitingSentAtMs(requestId: string): number | null {
  if (!requestId.startsWith(WAITING_PREFIX)) return null;
  const ms = Number(requestId.slice(WAITING_PREFIX.length));
  return Number.isSafeInteger(ms) ? ms : null;
}

/** The first instant of the calendar month (UTC) of `ms`: the start of the current period. */
export const periodStartMs = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** A waiting value sent before the current period is offered to the partner, never applied by itself. */
export const isStale = (waiting: WaitingCount, nowMs: number): boolean =>
  waiting.lastAttemptAtMs < periodStartMs(nowMs);

export interface ApplyWaitingResult {
  /** Waiting counts that became current counts. */
  applied: WaitingCount[];
  /** Waiting counts whose pair is mapped now but that are older than the period: left for the partner. */
  offered: WaitingCount[];
}

/** Whether both the account and the service of a waiting count are mapped to a target now. */
async function pairMapped(tx: Repo, integration: Integration, w: WaitingCount): Promise<boolean> {
  const account = await tx.getMappedAccount(integration.id, w.accountId);
  const accountMap = account?.account.isActive ? account.mapping : undefined;
  if (!accountMap || accountMap.excluded || accountMap.targetId === null) return false;
  const service = await tx.getServiceFacts(integration.id, integration.vendorId, w.serviceId);
  if (service.orgServiceActive === false) return false;
  return service.mapping !== undefined && !service.mapping.excluded && service.mapping.targetId !== null;
}

/**
 * A count refused for want of a mapping is the vendor's latest statement about the pair. Once the
 * partner maps the pair, the value becomes the current count (with a history entry naming when it
 * was sent) and a build is scheduled, so the card appears now instead of after the vendor's next
 * push. Values sent before the current period are only applied when `pairs` names them explicitly
 * (the partner accepted the offer). Runs in the caller's transaction.
 */
export async function applyWaiting(
  tx: Repo,
  integration: Integration,
  nowMs: number,
  window: DebounceWindow,
  pairs?: { accountId: string; serviceId: string }[],
): Promise<ApplyWaitingResult> {
  const named = pairs && new Set(pairs.map((p) => `${p.accountId}\u0000${p.serviceId}`));
  const result: ApplyWaitingResult = { applied: [], offered: [] };
  for (const w of await tx.listWaiting(integration.id)) {
    if (named && !named.has(`${w.accountId}\u0000${w.serviceId}`)) continue;
    if (!(await pairMapped(tx, integration, w))) continue;
    if (!named && isStale(w, nowMs)) {
      result.offered.push(w);
      continue;
    }
    const state = await tx.lockBuildState(integration.id);
    if (!state) throw new Error(`Integration ${integration.id} has no build state`);
    const next = countAccepted(state, nowMs, true, window);
    const count = { integrationId: integration.id, accountId: w.accountId, serviceId: w.serviceId };
    await tx.recordCount(
      { ...count, unitCount: w.unitCount, revision: next.revision, updatedAtMs: nowMs },
      {
        ...count,
        atMs: nowMs,
        unitCount: w.unitCount,
        revision: next.revision,
        requestId: waitingRequestId(w.lastAttemptAtMs),
        idempotencyKey: null,
      },
    );
    await tx.updateBuildState(next);
    result.applied.push(w);
  }
  return result;
}
