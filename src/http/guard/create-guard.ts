import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { VendorGuard } from '../deps.js';
import type { Metrics } from '../metrics.js';

export type ClosableGuard = VendorGuard & { close(): Promise<void> };

/**
 * Builds the vendor API guard. PLACEHOLDER until the rate limiter lands: admits everything.
 */
export async function createGuard(config: Config, _clock: Clock, _metrics: Metrics): Promise<ClosableGuard> {
  return {
    checkAddress: async () => {},
    recordAuthFailure: async () => {},
    admit: async () => ({
      limit: config.rateLimitPerSecond,
      remaining: config.rateLimitPerSecond,
      resetSeconds: 1,
    }),
    close: async () => {},
  };
}
