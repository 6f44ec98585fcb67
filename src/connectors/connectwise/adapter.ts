import type { AdapterOptions, PsaAdapter } from '../adapter.js';
import { connectWiseConnector } from './connector.js';

/** ConnectWise PSA: the codebase found on first contact is kept with the connection. */
export function connectWiseAdapter(options: AdapterOptions): PsaAdapter<'connectwise'> {
  return {
    writeStyle: 'absolute',
    fromInput(input) {
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
    fromConnection(connection, secrets) {
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
  };
}
