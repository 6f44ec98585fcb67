import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { LimitStore } from '../../core/limits/limit-store.js';
import { MemoryLimitStore } from '../../core/limits/memory-limit-store.js';
import { VendorLimits } from '../../core/limits/vendor-limits.js';
import type { VendorGuard } from '../deps.js';
import type { Metrics } from '../metrics.js';
import { RedisLimitStore } from './redis-limit-store.js';

export type ClosableGuard = VendorGuard & { close(): Promise<void> };

/**
 * Builds the vendor API guard: limits kept in Redis when `redisUrl` is set (shared by every process),
 * otherwise in this process's memory. Refusals are counted in the metrics.
 */
export async function createGuard(config: Config, clock: Clock, metrics: Metrics): Promise<ClosableGuard> {
  const store: LimitStore = config.redisUrl
    ? await RedisLimitStore.connect(config.redisUrl, config.redisKeyPrefix)
    : new MemoryLimitStore();
  return new VendorLimits(store, clock, config, {
    rateLimited: () => metrics.rateLimited.inc(),
    anomaly: (rule) => metrics.anomalies.inc({ rule }),
  });
}
