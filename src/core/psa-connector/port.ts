import type { PsaKind } from '../model.js';

/**
 * The PSA connector port: what Tally needs of a partner's PSA, whichever it is. The built-in "Tally
 * ledger" (hand edits and CSV imports) is one implementation; ConnectWise PSA, HaloPSA (a write
 * rewrites a whole recurring invoice) and Datto Autotask (a write is a relative adjustment that cannot
 * be read back) are the others: `setQuantity` always takes the absolute target, and a connector whose
 * PSA only takes deltas computes the delta from a fresh read right before it sends.
 */
export interface PsaConnector {
  readonly kind: PsaKind | 'tally';
  /** How the PSA takes a quantity; says what a retry has to guard against. */
  readonly writeStyle: 'absolute' | 'relative' | 'whole-invoice' | 'local';
  /** Proves the credentials and the address work; answers the PSA's name for the account. */
  test(): Promise<{ accountName: string }>;
  /**
   * Streams the PSA's ledger a page at a time, companies and products before agreements, agreements
   * before their lines. With `sinceMs`, only rows changed since then (a delta sync).
   */
  read(options: {
    sinceMs: number | null;
    /** For a delta: the agreements already in the ledger, whose lines may have changed too. */
    knownAgreementIds?: string[];
  }): AsyncIterable<SyncBatch>;
  /** The line as the PSA holds it now; null when it is gone. */
  readLine(line: LineAddress): Promise<RemoteLine | null>;
  /** The active lines of one product in one agreement (finds a line an interrupted add created). */
  findLines(place: LinePlace): Promise<RemoteLine[]>;
  /** Sets a line's quantity; answers the line as the PSA confirms it. */
  setQuantity(line: LineAddress, quantity: number, journal: WriteJournal): Promise<RemoteLine>;
  /** Adds a line (new revenue); answers the created line. */
  addLine(place: LinePlace, quantity: number, journal: WriteJournal): Promise<RemoteLine>;
}

/**
 * What the outbox knows of one write while a connector sends it. A PSA that takes relative changes
 * (Autotask) must never apply one twice: the connector saves the id of what it created with
 * `recordSent` before it does anything else, and a later attempt that finds `sentRef` set confirms
 * by reading instead of sending.
 */
export interface WriteJournal {
  /** What an earlier attempt of this write created in the PSA, when it got that far. */
  sentRef: string | null;
  /** Saves the PSA's id of what this attempt created; resolves once it is durable. */
  recordSent(ref: string): Promise<void>;
  /** The day the change takes effect (YYYY-MM-DD): the decision's effective date, else its own day. */
  effectiveDate: string;
}

/** A PSA's request budget as one connection uses it (shown on the PSA screen). */
export interface PsaBudgetReport {
  /** Requests this connection sent in the last hour. */
  usedLastHour: number;
  /** The share of the PSA's hourly limit this connection keeps to. */
  hourlyShare: number;
  /** Requests at once this connection keeps to. */
  maxInFlight: number;
  /**
   * ok; slowed when the PSA adds latency (it is near its own limit) or the share is nearly used;
   * spent when the share (or the PSA's limit) is used up until `resumesAtMs`.
   */
  state: 'ok' | 'slowed' | 'spent';
  resumesAtMs: number | null;
  /** The PSA's own count for the whole database (all integrations), when last probed. */
  psaWide?: { used: number; limit: number; atMs: number };
}

export interface LineAddress {
  agreementExternalId: string;
  lineExternalId: string;
}

export interface LinePlace {
  agreementExternalId: string;
  productExternalId: string;
}

export interface RemoteCompany {
  externalId: string;
  name: string;
  code: string | null;
}

export interface RemoteProduct {
  externalId: string;
  name: string;
  code: string | null;
  unitPriceMicros: number;
  unitCostMicros: number;
}

export interface RemoteAgreement {
  externalId: string;
  companyExternalId: string;
  name: string;
  /** Active and not cancelled; only active agreements take new lines. */
  active: boolean;
}

export interface RemoteLine {
  externalId: string;
  agreementExternalId: string;
  productExternalId: string;
  /** The product's short identifier, for messages. */
  productCode: string | null;
  quantity: number;
  /** Active and not cancelled; only active lines count toward what the partner bills. */
  active: boolean;
  /** Why the PSA will not take a quantity for this line (it computes the quantity itself). */
  lockedReason?: string;
}

export type SyncBatch =
  | { kind: 'companies'; rows: RemoteCompany[] }
  | { kind: 'products'; rows: RemoteProduct[] }
  | { kind: 'agreements'; rows: RemoteAgreement[] }
  | { kind: 'lines'; rows: RemoteLine[] };

/** A failure the PSA reported; `permanent` ones (bad request, auth, not found) are not retried. */
export class PsaError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /**
     * The PSA's own details, e.g. ConnectWise's errors[]. `retryAtMs`: a request budget is spent
     * until then (nothing was sent); the write waits for it instead of using up its attempts.
     */
    readonly details: { status?: number; code?: string; errors?: unknown[]; retryAtMs?: number } = {},
  ) {
    super(message);
    this.name = 'PsaError';
  }
}
