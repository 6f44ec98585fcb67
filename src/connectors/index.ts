import { PSA_KINDS } from '../core/model.js';
import { PsaEvents } from '../core/psa-connector/events.js';
import type { PsaDeps } from '../core/psa-connector/deps.js';
import { openSecrets, sealSecrets } from '../core/psa-connector/secret-box.js';
import type { AdapterOptions } from './adapter.js';
import { autotaskAdapter } from './autotask/adapter.js';
import { connectWiseAdapter } from './connectwise/adapter.js';
import { haloAdapter } from './halo/adapter.js';

export interface PsaAdapterOptions extends AdapterOptions {
  /** The key sealing credentials; throws when none is available. */
  secretKey: () => Buffer;
  allowPrivateNetwork: boolean;
  fullSyncIntervalMs: number;
}

/** The PSA adapters behind the connector port, for the composition root. */
export function psaAdapters(options: PsaAdapterOptions): PsaDeps {
  // One adapter of each PSA per process, so what a PSA's connections share (Autotask's request
  // budget) is shared by the sync runner, the write worker and the screens.
  const adapters = {
    connectwise: connectWiseAdapter(options),
    halo: haloAdapter(options),
    autotask: autotaskAdapter(options),
  };
  return {
    connectorFrom(input) {
      switch (input.kind) {
        case 'connectwise':
          return adapters.connectwise.fromInput(input);
        case 'halo':
          return adapters.halo.fromInput(input);
        case 'autotask':
          return adapters.autotask.fromInput(input);
      }
    },
    connectorFor(connection) {
      const secrets = openSecrets(options.secretKey(), connection.secretBox);
      return adapters[connection.kind].fromConnection(connection, secrets);
    },
    wholeAgreementKinds: PSA_KINDS.filter((kind) => adapters[kind].writeStyle === 'whole-invoice'),
    budgetOf: (connection) => adapters[connection.kind].budget?.(connection),
    seal: (secrets) => sealSecrets(options.secretKey(), secrets),
    allowPrivateNetwork: options.allowPrivateNetwork,
    fullSyncIntervalMs: options.fullSyncIntervalMs,
    events: new PsaEvents(),
  };
}
