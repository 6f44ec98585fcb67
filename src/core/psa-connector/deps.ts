import type { PsaKind } from '../model.js';
import type { PsaEvents } from './events.js';
import type { PsaConnector } from './port.js';
import type { PsaConnection } from './store.js';

/** What a partner sends to connect ConnectWise PSA. */
export interface ConnectWiseInput {
  kind: 'connectwise';
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export type PsaConnectionInput = ConnectWiseInput;

/** The PSA side of the composition root: adapters, the secret key and the event fan-out. */
export interface PsaDeps {
  /** A connector for fresh credentials (before anything is stored); settings it discovered come back. */
  connectorFrom(input: PsaConnectionInput): PsaConnector & { discovered(): Record<string, string> };
  /** The connector of a stored connection (its secrets opened with the secret key). */
  connectorFor(connection: PsaConnection): PsaConnector;
  /** Seals credentials for storage; throws when no secret key is available. */
  seal(secrets: Record<string, string>): string;
  allowPrivateNetwork: boolean;
  fullSyncIntervalMs: number;
  events: PsaEvents;
}

export const SECRET_FIELDS: Record<PsaKind, string[]> = { connectwise: ['publicKey', 'privateKey'] };
