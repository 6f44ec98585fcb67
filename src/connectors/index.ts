import { PsaEvents } from '../core/psa-connector/events.js';
import type { PsaDeps } from '../core/psa-connector/deps.js';
import { openSecrets, sealSecrets } from '../core/psa-connector/secret-box.js';
import { connectWiseConnector } from './connectwise/connector.js';

export interface PsaAdapterOptions {
  /** The key sealing credentials; throws when none is available. */
  secretKey: () => Buffer;
  allowPrivateNetwork: boolean;
  maxInFlight: number;
  fullSyncIntervalMs: number;
  /** Test seam: backoff and Retry-After waits of the PSA clients. */
  sleep?: (ms: number) => Promise<void>;
}

/** The PSA adapters behind the connector port, for the composition root. */
export function psaAdapters(options: PsaAdapterOptions): PsaDeps {
  return {
    connectorFrom(input) {
      const connector = connectWiseConnector({
        ...input,
        maxInFlight: options.maxInFlight,
        sleep: options.sleep,
      });
      const discovered = (): Record<string, string> => {
        const codebase = connector.client.codebase;
        return codebase === null ? {} : { codebase };
      };
      return { ...connector, discovered };
    },
    connectorFor(connection) {
      const secrets = openSecrets(options.secretKey(), connection.secretBox);
      return connectWiseConnector({
        site: connection.site,
        companyId: connection.account,
        clientId: connection.settings.clientId ?? '',
        publicKey: secrets.publicKey ?? '',
        privateKey: secrets.privateKey ?? '',
        codebase: connection.settings.codebase,
        maxInFlight: options.maxInFlight,
        sleep: options.sleep,
      });
    },
    seal: (secrets) => sealSecrets(options.secretKey(), secrets),
    allowPrivateNetwork: options.allowPrivateNetwork,
    fullSyncIntervalMs: options.fullSyncIntervalMs,
    events: new PsaEvents(),
  };
}
