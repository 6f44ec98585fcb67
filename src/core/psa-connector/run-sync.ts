import type { CoreContext } from '../context.js';
import type { PsaKind } from '../model.js';
import { PsaError, type PsaConnector, type SyncBatch } from './port.js';
import type { PsaSync } from './store.js';

/**
 * How far a delta sync reaches back before the previous sync's start: the PSA stamps changes with
 * its own clock, and a change made while the previous sync ran must not fall between the two.
 */
export const DELTA_OVERLAP_MS = 5 * 60_000;

/** Progress is shown and saved at most this often. */
const PROGRESS_EVERY_MS = 250;

export interface SyncHooks {
  /** Called with the sync's state as it moves (throttled), and once at the end. */
  progress(sync: PsaSync): void;
  /** How long the running sync's lease is extended each time its progress is saved. */
  leaseMs: number;
}

/** Where synced agreements are in the ledger, kept while the sync runs so lines need no lookup. */
interface AgreementPlace {
  id: string;
  companyId: string;
  active: boolean;
}

/**
 * Brings the PSA's companies, products, agreements and lines into the ledger, a page at a time (each
 * page in its own transaction, so memory stays flat and a failure keeps what landed). A full sync
 * then marks agreements and lines the PSA no longer lists as inactive; a delta sync reads only what
 * changed since the last one.
 */
export async function runPsaSync(
  ctx: CoreContext,
  connector: PsaConnector & { kind: PsaKind },
  sync: PsaSync,
  sinceMs: number | null,
  hooks: SyncHooks,
): Promise<PsaSync> {
  const { partnerId } = sync;
  const kind = connector.kind;
  const newId = () => ctx.ids.objectId();
  const agreements = new Map<string, AgreementPlace>();
  const seenAgreements = new Set<string>();
  const seenLines = new Set<string>();
  let current: PsaSync = { ...sync, leaseUntilMs: ctx.clock.nowMs() + hooks.leaseMs };
  let lastReportMs = 0;

  const report = async (force = false) => {
    const nowMs = ctx.clock.nowMs();
    if (!force && nowMs - lastReportMs < PROGRESS_EVERY_MS) return;
    lastReportMs = nowMs;
    current = { ...current, leaseUntilMs: nowMs + hooks.leaseMs };
    await ctx.store.updatePsaSync(current);
    hooks.progress(current);
  };

  const land = async (batch: SyncBatch) => {
    const nowMs = ctx.clock.nowMs();
    const counts = { ...current.counts };
    await ctx.store.transaction(async (tx) => {
      switch (batch.kind) {
        case 'companies':
          await tx.upsertSyncedCompanies(partnerId, kind, batch.rows, nowMs, newId);
          counts.companies += batch.rows.length;
          break;
        case 'products':
          await tx.upsertSyncedProducts(partnerId, kind, batch.rows, nowMs, newId);
          counts.products += batch.rows.length;
          break;
        case 'agreements': {
          const companyIds = await tx.localIdsOf(
            partnerId,
            kind,
            'company',
            batch.rows.map((a) => a.companyExternalId),
          );
          const rows = batch.rows.flatMap((a) => {
            const companyId = companyIds.get(a.companyExternalId);
            return companyId === undefined ? [] : [{ ...a, companyId }];
          });
          const ids = await tx.upsertSyncedAgreements(partnerId, kind, rows, nowMs, newId);
          for (const a of rows) {
            const id = ids.get(a.externalId);
            if (id !== undefined)
              agreements.set(a.externalId, { id, companyId: a.companyId, active: a.active });
            if (a.active) seenAgreements.add(a.externalId);
          }
          counts.agreements += rows.length;
          break;
        }
        case 'lines': {
          const productIds = await tx.localIdsOf(
            partnerId,
            kind,
            'product',
            batch.rows.map((l) => l.productExternalId),
          );
          const rows = batch.rows.flatMap((l) => {
            const agreement = agreements.get(l.agreementExternalId);
            const productId = productIds.get(l.productExternalId);
            if (agreement === undefined || productId === undefined) return [];
            // A line of an agreement that is no longer active bills nothing.
            const active = l.active && agreement.active;
            return [{ ...l, active, agreementId: agreement.id, companyId: agreement.companyId, productId }];
          });
          await tx.upsertSyncedLines(partnerId, kind, rows, nowMs, newId);
          for (const l of rows) if (l.active) seenLines.add(l.externalId);
          counts.lines += rows.length;
          break;
        }
      }
    });
    current = { ...current, counts };
  };

  try {
    let knownAgreementIds: string[] | undefined;
    if (sinceMs !== null) {
      // A delta's lines may belong to agreements that did not change themselves.
      const known = await ctx.store.listSyncedAgreements(partnerId, kind);
      for (const a of known)
        agreements.set(a.externalId, { id: a.id, companyId: a.companyId, active: a.active });
      knownAgreementIds = known.filter((a) => a.active).map((a) => a.externalId);
    }
    for await (const batch of connector.read({ sinceMs, knownAgreementIds })) {
      await land(batch);
      await report();
    }
    if (sinceMs === null) {
      const nowMs = ctx.clock.nowMs();
      await ctx.store.deactivateSyncedNotIn(partnerId, kind, 'agreement', seenAgreements, nowMs);
      await ctx.store.deactivateSyncedNotIn(partnerId, kind, 'line', seenLines, nowMs);
    }
    await ctx.store.setPsaDeltaSince(partnerId, sync.startedAtMs - DELTA_OVERLAP_MS);
    current = { ...current, state: 'succeeded', finishedAtMs: ctx.clock.nowMs(), leaseUntilMs: null };
  } catch (error) {
    const message =
      error instanceof PsaError || error instanceof Error
        ? error.message
        : 'The sync failed for an unknown reason';
    current = {
      ...current,
      state: 'failed',
      error: message,
      finishedAtMs: ctx.clock.nowMs(),
      leaseUntilMs: null,
    };
  }
  await ctx.store.updatePsaSync(current);
  hooks.progress(current);
  return current;
}
