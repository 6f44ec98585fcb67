import type { AdapterOptions, PsaAdapter } from '../adapter.js';
import { PsaError } from '../../core/psa-connector/port.js';

/** Placeholder until the Halo client lands: every call says the PSA is not supported yet. */
export function haloAdapter(_options: AdapterOptions): PsaAdapter<'halo'> {
  const unsupported = (): never => {
    throw new PsaError('Halo is not supported yet', true);
  };
  return { fromInput: unsupported, fromConnection: unsupported };
}
