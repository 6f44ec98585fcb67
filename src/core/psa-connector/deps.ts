import type { PsaKind } from '../model.js';
import type { PsaConnectionInput } from './connection-input.js';
import type { PsaEvents } from './events.js';
import type { PsaBudgetReport, PsaConnector } from './port.js';
import type { PsaConnection } from './store.js';

export type { PsaConnectionInput } from './connection-input.js';

/** A connector for credentials not stored yet; settings it discovered (a codebase, a zone) come back. */
export type DiscoveringConnector = PsaConnector & { discovered(): Record<string, string> };

/** The PSA side of the composition root: adapters, the secret key and the event fan-out. */
export interface PsaDeps {
  /** A connector for fresh, checked credentials (before anything is stored). */
  connectorFrom(input: PsaConnectionInput): DiscoveringConnector;
  /** The connector of a stored connection (its secrets opened with the secret key). */
  connectorFor(connection: PsaConnection): PsaConnector;
  /** PSAs whose write rewrites a whole agreement (HaloPSA's invoice): one write per agreement at once. */
  wholeAgreementKinds: readonly PsaKind[];
  /** The connection's share of a request budget its PSA enforces (Autotask); undefined when none. */
  budgetOf(connection: PsaConnection): PsaBudgetReport | undefined;
  /** Seals credentials for storage; throws when no secret key is available. */
  seal(secrets: Record<string, string>): string;
  allowPrivateNetwork: boolean;
  fullSyncIntervalMs: number;
  events: PsaEvents;
}
