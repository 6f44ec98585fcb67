import type { AdapterOptions, PsaAdapter } from '../adapter.js';
import { PsaError } from '../../core/psa-connector/port.js';

/** Placeholder until the Autotask client lands: every call says the PSA is not supported yet. */
export function autotaskAdapter(_options: AdapterOptions): PsaAdapter<'autotask'> {
  const unsupported = (): never => {
    throw new PsaError('Autotask is not supported yet', true);
  };
  return { fromInput: unsupported, fromConnection: unsupported };
}
