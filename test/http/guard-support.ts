import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from '../../src/config/config.js';

/** Where Redis-backed guard tests connect; CI and the development machines run one here. */
export const TEST_REDIS_URL = process.env.TALLY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const reachable = async (url: string): Promise<boolean> => {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
};

/**
 * The skip reason for Redis tests: none when Redis answers, or in CI (where a missing Redis must
 * fail the run, not hide it).
 */
export async function redisSkipReason(): Promise<string | false> {
  if (process.env.CI === 'true' || (await reachable(TEST_REDIS_URL))) return false;
  const reason = `Redis is not reachable at ${TEST_REDIS_URL}; Redis guard tests SKIPPED (CI=true makes this fail)`;
  console.warn(reason);
  return reason;
}

/** One limit backend as a test sees it: config to start a server with, and cleanup afterwards. */
export interface GuardBackend {
  name: 'memory' | 'redis';
  /** Settings selecting the backend; a Redis backend gets a key prefix of its own. */
  config: Partial<Config>;
  /** Removes whatever the backend left behind. */
  cleanup(): Promise<void>;
}

/** A fresh memory backend, or a Redis one under a unique key prefix. */
export function guardBackend(name: GuardBackend['name']): GuardBackend {
  if (name === 'memory') return { name, config: {}, cleanup: async () => {} };
  const redisKeyPrefix = `tally-test:${randomBytes(6).toString('hex')}:`;
  return {
    name,
    config: { redisUrl: TEST_REDIS_URL, redisKeyPrefix },
    cleanup: async () => {
      await deleteKeys(redisKeyPrefix);
    },
  };
}

/** Deletes every key under a prefix and returns how many there were. */
export async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    await redis.quit();
  }
}

/** Both backends, with the skip reason for each (memory never skips). */
export async function guardBackends(): Promise<{ name: GuardBackend['name']; skip: string | false }[]> {
  return [
    { name: 'memory', skip: false },
    { name: 'redis', skip: await redisSkipReason() },
  ];
}
