import type { AdapterOptions, PsaAdapter } from '../adapter.js';
import { haloConnector } from './connector.js';
import { KeyedLock } from '../http/keyed-lock.js';

/**
 * HaloPSA: a client-credentials application. The connection keeps the client id as its account,
 * the authorisation address and tenant as settings, and the secret sealed. Halo enforces no
 * published request budget, so there is none to report.
 */
export function haloAdapter(options: AdapterOptions): PsaAdapter<'halo'> {
  // One per process: writes to the same recurring invoice take turns, whichever connector sends them.
  const locks = new KeyedLock();
  const common = {
    maxInFlight: options.maxInFlight,
    sleep: options.sleep,
    nowMs: options.nowMs,
    locks,
  };
  return {
    writeStyle: 'whole-invoice',
    fromInput(input) {
      const connector = haloConnector({
        site: input.site,
        authUrl: input.authUrl ?? `${input.site}/auth`,
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        tenant: input.tenant,
        ...common,
      });
      return { ...connector, discovered: () => ({}) };
    },
    fromConnection(connection, secrets) {
      return haloConnector({
        site: connection.site,
        authUrl: connection.settings.authUrl ?? `${connection.site}/auth`,
        clientId: connection.account,
        clientSecret: secrets.clientSecret ?? '',
        tenant: connection.settings.tenant,
        ...common,
      });
    },
  };
}
