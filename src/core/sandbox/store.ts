/** What the store keeps for vendor sandboxes: one row per sandbox, and its recorded requests. */

/** How an injected fault picks its requests: every Nth one, or each one with a probability. */
export interface FaultTrigger {
  everyNth?: number;
  probability?: number;
}

/** Faults a sandbox injects into its vendor API replies, reproducibly from `seed`. */
export interface SandboxFaults {
  /** 429 with Retry-After (seconds, 1 by default) and the RateLimit headers. */
  rateLimit?: FaultTrigger & { retryAfterSeconds?: number };
  /** 500 in the error shape. */
  serverError?: FaultTrigger;
  /** A delay before the reply: of every request, or of those the trigger picks. */
  latencyMs?: number | (FaultTrigger & { ms: number });
  /** Same seed and same sequence of requests: the same faults. */
  seed: number;
}

/** A vendor sandbox: its one integration with the sandbox partner made for it. */
export interface SandboxRecord {
  integrationId: string;
  vendorId: string;
  partnerId: string;
  /** How far the integration's test clock runs ahead of the server's clock. */
  clockOffsetMs: number;
  faults: SandboxFaults | null;
  /** Requests counted toward the faults since they were last set. */
  faultSequence: number;
  createdAtMs: number;
}

/** One vendor API request a sandbox answered. */
export interface SandboxRequest {
  id: number;
  integrationId: string;
  /** When it arrived, on the sandbox's test clock. */
  atMs: number;
  method: string;
  /** The path with its query string. */
  path: string;
  /** The route pattern that answered, e.g. /api/vendor-api/service/:serviceId/count. */
  route: string;
  statusCode: number;
  durationMs: number;
  /** The injected fault, if any: rate_limit, server_error or latency. */
  fault: string | null;
  requestId: string;
  /** The bodies as sent and answered, cut to a few kilobytes. */
  requestBody: string | null;
  responseBody: string | null;
}

export interface SandboxStore {
  insertSandbox(sandbox: SandboxRecord): Promise<void>;
  getSandbox(integrationId: string): Promise<SandboxRecord | undefined>;
  findSandboxOfVendor(vendorId: string): Promise<SandboxRecord | undefined>;
  findSandboxOfPartner(partnerId: string): Promise<SandboxRecord | undefined>;
  listSandboxVendorIds(): Promise<string[]>;
  setSandboxClockOffset(integrationId: string, clockOffsetMs: number): Promise<void>;
  /** Replaces the faults (null: none) and restarts their request sequence. */
  setSandboxFaults(integrationId: string, faults: SandboxFaults | null): Promise<void>;
  /** Counts one more request toward the faults and answers its number (1 for the first). */
  nextFaultSequence(integrationId: string): Promise<number>;
  /** Records a request, keeping the newest `keep` of the sandbox. */
  insertSandboxRequest(request: Omit<SandboxRequest, 'id'>, keep: number): Promise<void>;
  /** Newest first; `afterId` keeps only requests recorded after that one. */
  listSandboxRequests(
    integrationId: string,
    options: { afterId?: number; limit: number },
  ): Promise<SandboxRequest[]>;
  /**
   * Sandbox integrations whose build is due by their own test clock at server time `nowMs` (due
   * time, or a lapsed lease, minus the clock's offset).
   */
  listDueSandboxBuilds(nowMs: number, limit: number): Promise<string[]>;
  /**
   * Deletes everything the sandbox holds: the vendor's services, the integration's accounts,
   * counts and their history, mappings, billing rows, idempotency records, alerts, the sandbox
   * partner's ledger and decisions, and the request log. Keys, the vendor and the rows that tie
   * them together stay.
   */
  wipeSandbox(sandbox: SandboxRecord): Promise<void>;
}
