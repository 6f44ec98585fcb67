import type { PsaConnectionInput } from '../core/psa-connector/connection-input.js';
import type { DiscoveringConnector } from '../core/psa-connector/deps.js';
import type { PsaBudgetReport, PsaConnector } from '../core/psa-connector/port.js';
import type { PsaConnection } from '../core/psa-connector/store.js';
import type { PsaKind } from '../core/model.js';

/** What every PSA adapter is given by the composition root. */
export interface AdapterOptions {
  /** Requests in flight per connection (ConnectWise and HaloPSA; Autotask keeps its own setting). */
  maxInFlight: number;
  /** Test seam: backoff and Retry-After waits of the PSA clients. */
  sleep?: (ms: number) => Promise<void>;
  /** Test seam: the clock budgets and token expiry are measured on. */
  nowMs?: () => number;
}

/** One PSA's adapter: a connector for fresh credentials, and one for a stored connection. */
export interface PsaAdapter<K extends PsaKind> {
  /** How its connectors take a quantity (the same as their own writeStyle). */
  readonly writeStyle: PsaConnector['writeStyle'];
  fromInput(input: Extract<PsaConnectionInput, { kind: K }>): DiscoveringConnector;
  fromConnection(connection: PsaConnection, secrets: Record<string, string>): PsaConnector;
  /** The connection's share of the request budget the PSA enforces, when it enforces one. */
  budget?(connection: PsaConnection): PsaBudgetReport;
}
