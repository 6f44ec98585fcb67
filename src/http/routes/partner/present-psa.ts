import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import type { PsaBudgetReport } from '../../../core/psa-connector/port.js';
import type { PsaConnection, PsaSync, PsaWrite } from '../../../core/psa-connector/store.js';

export const PsaWriteSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('written'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PsaWriteDetailSchema = Type.Composite([
  PsaWriteSchema,
  Type.Object({
    op: Type.Union([Type.Literal('set_quantity'), Type.Literal('add_line')]),
    cardId: Type.String(),
    period: Type.String(),
    companyId: Type.String(),
    productId: Type.String(),
    agreementLineId: Type.Union([Type.String(), Type.Null()]),
    agreementId: Type.Union([Type.String(), Type.Null()]),
    quantity: Type.Number(),
    createdAt: Type.String({ format: 'date-time' }),
  }),
]);

/** A sync whose process died while it ran shows as failed, not as running forever. */
export function presentSync(sync: PsaSync, nowMs: number) {
  const stale = sync.state === 'running' && sync.leaseUntilMs !== null && sync.leaseUntilMs < nowMs;
  return {
    id: sync.id,
    state: stale ? ('failed' as const) : sync.state,
    full: sync.full,
    startedAt: isoTime(sync.startedAtMs),
    finishedAt: sync.finishedAtMs === null ? null : isoTime(sync.finishedAtMs),
    counts: sync.counts,
    error: stale ? 'The sync stopped when the process running it ended' : sync.error,
  };
}

/** The connection as the partner API shows it: never its secrets. */
export function presentConnection(
  connection: PsaConnection,
  lastSync: PsaSync | undefined,
  budget: PsaBudgetReport | undefined,
  nowMs: number,
) {
  const sync = lastSync === undefined ? null : presentSync(lastSync, nowMs);
  return {
    kind: connection.kind,
    site: connection.site,
    account: connection.account,
    settings: connection.settings,
    budget:
      budget === undefined
        ? null
        : {
            usedLastHour: budget.usedLastHour,
            hourlyShare: budget.hourlyShare,
            maxInFlight: budget.maxInFlight,
            state: budget.state,
            resumesAt: budget.resumesAtMs === null ? null : isoTime(budget.resumesAtMs),
            psaWide:
              budget.psaWide === undefined
                ? null
                : {
                    used: budget.psaWide.used,
                    limit: budget.psaWide.limit,
                    at: isoTime(budget.psaWide.atMs),
                  },
          },
    status:
      sync?.state === 'running'
        ? ('syncing' as const)
        : sync?.state === 'failed'
          ? ('error' as const)
          : ('connected' as const),
    lastSync: sync,
  };
}

/** A write's state, as cards carry it. */
export const presentWrite = (w: PsaWrite) => ({
  id: w.id,
  state: w.state,
  attempts: w.attempts,
  lastError: w.lastError,
  updatedAt: isoTime(w.updatedAtMs),
});

/** A write job with what it writes where. */
export const presentWriteDetail = (w: PsaWrite) => ({
  ...presentWrite(w),
  op: w.op,
  cardId: w.cardId,
  period: w.period,
  companyId: w.companyId,
  productId: w.productId,
  agreementLineId: w.lineId,
  agreementId: w.agreementId,
  quantity: w.targetQuantity,
  createdAt: isoTime(w.createdAtMs),
});
