import type { PsaKind } from '../model.js';
import type { RemoteAgreement, RemoteCompany, RemoteLine, RemoteProduct } from './port.js';

/** A partner's PSA connection; the secrets are kept sealed (see secret-box.ts). */
export interface PsaConnection {
  partnerId: string;
  kind: PsaKind;
  /** The PSA's address, e.g. https://api-na.myconnectwise.net. */
  site: string;
  /** The PSA's account name (ConnectWise companyId). */
  account: string;
  /** Settings that are not secret (ConnectWise clientId, discovered codebase). */
  settings: Record<string, string>;
  /** The sealed credentials. */
  secretBox: string;
  /** Where the next delta sync starts; null before the first full sync finished. */
  deltaSinceMs: number | null;
  /** When the scheduled full sync is due. */
  nextFullSyncAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type PsaSyncState = 'running' | 'succeeded' | 'failed';

export interface PsaSyncCounts {
  companies: number;
  products: number;
  agreements: number;
  lines: number;
}

export interface PsaSync {
  id: string;
  partnerId: string;
  kind: PsaKind;
  full: boolean;
  state: PsaSyncState;
  startedAtMs: number;
  finishedAtMs: number | null;
  counts: PsaSyncCounts;
  error: string | null;
  /** A running sync renews this; one past it died with its process. */
  leaseUntilMs: number | null;
}

export const PSA_WRITE_STATES = ['pending', 'written', 'failed'] as const;
export type PsaWriteState = (typeof PSA_WRITE_STATES)[number];

/** One quantity to write into the PSA: the outbox row an approve or adjust leaves. */
export interface PsaWrite {
  id: string;
  partnerId: string;
  kind: PsaKind;
  /** set_quantity changes an existing line; add_line creates one (new revenue). */
  op: 'set_quantity' | 'add_line';
  period: string;
  cardId: string;
  companyId: string;
  productId: string;
  /** The ledger line to change (set_quantity). */
  lineId: string | null;
  /** The agreement to add to (add_line). */
  agreementId: string | null;
  targetQuantity: number;
  state: PsaWriteState;
  attempts: number;
  lastError: string | null;
  nextAttemptAtMs: number;
  /** Held by a worker until then; null when nobody holds it. */
  leaseUntilMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  /**
   * The PSA's id of what an attempt already created (an Autotask adjustment's itemId), saved before
   * anything else can retry the write: a write that has one is confirmed by reading, never sent again.
   */
  remoteRef: string | null;
  /** The decision's effective date (YYYY-MM-DD); null when it gave none (the write's own day then). */
  effectiveDate: string | null;
}

export type SyncedTable = 'company' | 'product' | 'agreement' | 'line';

/** Store methods of PSA connections, their syncs and the write outbox. */
export interface PsaConnectorStore {
  getPsaConnection(partnerId: string): Promise<PsaConnection | undefined>;
  /** Creates or replaces the partner's connection. */
  putPsaConnection(connection: PsaConnection): Promise<void>;
  deletePsaConnection(partnerId: string): Promise<void>;
  listPsaConnections(): Promise<PsaConnection[]>;
  setPsaDeltaSince(partnerId: string, sinceMs: number): Promise<void>;
  /** Moves a due full sync to `nextAtMs`; false when another process already took it. */
  claimPsaFullSync(partnerId: string, dueAtMs: number, nextAtMs: number): Promise<boolean>;

  insertPsaSync(sync: PsaSync): Promise<void>;
  updatePsaSync(sync: PsaSync): Promise<void>;
  getPsaSync(partnerId: string, id: string): Promise<PsaSync | undefined>;
  latestPsaSync(partnerId: string): Promise<PsaSync | undefined>;

  /** Upserts synced rows by their PSA id and answers PSA id → ledger id for each. */
  upsertSyncedCompanies(
    partnerId: string,
    kind: PsaKind,
    rows: RemoteCompany[],
    nowMs: number,
    newId: () => string,
  ): Promise<Map<string, string>>;
  upsertSyncedProducts(
    partnerId: string,
    kind: PsaKind,
    rows: RemoteProduct[],
    nowMs: number,
    newId: () => string,
  ): Promise<Map<string, string>>;
  upsertSyncedAgreements(
    partnerId: string,
    kind: PsaKind,
    rows: (RemoteAgreement & { companyId: string })[],
    nowMs: number,
    newId: () => string,
  ): Promise<Map<string, string>>;
  upsertSyncedLines(
    partnerId: string,
    kind: PsaKind,
    rows: (RemoteLine & { agreementId: string; companyId: string; productId: string })[],
    nowMs: number,
    newId: () => string,
  ): Promise<Map<string, string>>;
  /** PSA id → ledger id of synced rows. */
  localIdsOf(
    partnerId: string,
    kind: PsaKind,
    table: SyncedTable,
    externalIds: string[],
  ): Promise<Map<string, string>>;
  /** Marks active synced agreements or lines the PSA no longer lists as inactive; answers how many. */
  deactivateSyncedNotIn(
    partnerId: string,
    kind: PsaKind,
    table: 'agreement' | 'line',
    seenExternalIds: Set<string>,
    nowMs: number,
  ): Promise<number>;
  /** Every synced agreement of the partner, active or not (a delta sync starts from them). */
  listSyncedAgreements(
    partnerId: string,
    kind: PsaKind,
  ): Promise<{ id: string; externalId: string; companyId: string; active: boolean }[]>;
  /** The synced agreements of a company that are active in the PSA. */
  listActiveSyncedAgreements(
    partnerId: string,
    kind: PsaKind,
    companyId: string,
  ): Promise<{ id: string; externalId: string; name: string }[]>;

  insertPsaWrite(write: PsaWrite): Promise<void>;
  getPsaWrite(partnerId: string, id: string): Promise<PsaWrite | undefined>;
  /** Newest first. */
  listPsaWrites(partnerId: string, filter: { state?: PsaWriteState; limit: number }): Promise<PsaWrite[]>;
  /** The newest write of each card of the period. */
  latestPsaWritesOfCards(partnerId: string, period: string): Promise<Map<string, PsaWrite>>;
  /**
   * Leases up to `limit` pending writes that are due and not held by a live lease. Each row is
   * taken with a compare-and-set, so two processes never hold the same write. Writes of the kinds in
   * `onePerAgreement` are not taken while another write of the same agreement is held: those PSAs
   * rewrite a whole agreement (HaloPSA's invoice), and two writes at once would undo each other.
   */
  claimPsaWrites(
    nowMs: number,
    leaseUntilMs: number,
    limit: number,
    onePerAgreement?: readonly PsaKind[],
  ): Promise<PsaWrite[]>;
  /** Writes a held write's new state; false when the lease was lost (another worker took it over). */
  settlePsaWrite(write: PsaWrite, heldLeaseUntilMs: number): Promise<boolean>;
  /** Puts a failed write back in the queue. */
  retryPsaWrite(partnerId: string, id: string, nowMs: number): Promise<boolean>;
  /** Fails every pending write of the partner (its PSA was disconnected). */
  failPendingPsaWrites(partnerId: string, reason: string, nowMs: number): Promise<number>;
  /** Ends every write lease at `nowMs` (a lone process at boot: whoever held them is gone). */
  expirePsaWriteLeases(nowMs: number): Promise<number>;
  /** The earliest time a pending write is due, for the worker's timer. */
  earliestPsaWriteDueAtMs(): Promise<number | null>;
}
