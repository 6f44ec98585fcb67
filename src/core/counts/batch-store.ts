import type {
  BuildState,
  CurrentCount,
  HistoryEntry,
  IntegrationStatus,
  Mapping,
  WaitingCount,
} from '../model.js';

/** One count's keys, as the batch read needs them. */
export interface CountKey {
  integrationId: string;
  vendorId: string;
  accountId: string;
  serviceId: string;
}

/** An integration as its locked build-state row sees it, with the key digests that admit its vendor. */
export interface LockedIntegration {
  state: BuildState;
  status: IntegrationStatus;
  pausedAtMs: number | null;
  disconnectedAtMs: number | null;
  partnerKeyHash: string;
  vendorKeyHash: string;
}

/** What a service id names for one integration, and the partner's mapping of it. */
export interface ServiceFactsRow {
  orgServiceActive: boolean | null;
  skuExists: boolean;
  mapping: Mapping | undefined;
}

/**
 * Everything a batch of counts reads, taken after its integrations are locked. Maps are keyed by
 * `pairKey` / `countKey` below.
 */
export interface CountSnapshot {
  integrations: Map<string, LockedIntegration>;
  accounts: Map<string, { isActive: boolean; mapping: Mapping | undefined }>;
  services: Map<string, ServiceFactsRow>;
  /** Current unit counts of the batch's (integration, account, service) triples that have one. */
  counts: Map<string, number>;
}

/** Everything a batch of counts writes, in one go. */
export interface CountWrites {
  /** Final value of each triple (one row per triple). */
  counts: CurrentCount[];
  /** One entry per accepted count, in acceptance order. */
  history: Omit<HistoryEntry, 'id'>[];
  /** Triples whose waiting entry an accepted count replaces. */
  forget: { integrationId: string; accountId: string; serviceId: string }[];
  /** Waiting entries, one per triple; `attempts` is how many refused counts this batch adds. */
  remember: WaitingCount[];
  states: BuildState[];
  /** Last accepted count per integration; `activate` switches a new or pending integration on. */
  syncs: { integrationId: string; atMs: number; activate: boolean }[];
}

export const pairKey = (integrationId: string, itemId: string): string => `${integrationId}\u0000${itemId}`;
export const countKey = (integrationId: string, accountId: string, serviceId: string): string =>
  `${integrationId}\u0000${accountId}\u0000${serviceId}`;

/**
 * The count path's own port: a whole batch of counts in one transaction with a fixed, small number
 * of statements, whatever the batch's size. The store locks the batch's integrations (in id order,
 * so concurrent batches never deadlock), reads the snapshot, hands it to `plan` (pure domain rules,
 * in src/core) and writes what `plan` returns, then commits. Nothing is written if `plan` throws.
 * The promise resolves once the batch is durable; `committed`, if given, is called as soon as it is
 * committed and visible to the next batch, which may be earlier (SQLite flushes its log after the
 * commit, off the event loop).
 */
export interface CountBatchStore {
  writeCountBatch<T>(
    keys: CountKey[],
    plan: (snapshot: CountSnapshot) => { writes: CountWrites; value: T },
    committed?: () => void,
  ): Promise<T>;
}
