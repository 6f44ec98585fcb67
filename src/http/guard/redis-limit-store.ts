import { Redis } from 'ioredis';
import { intervalUs, toUs, type BucketStep, type Rate } from '../../core/limits/gcra.js';
import type { LimitStore } from '../../core/limits/limit-store.js';

/**
 * gcra.ts `consume`, line for line, run atomically inside Redis so that every process sharing the
 * server spends from one bucket. KEYS[1] = bucket; ARGV = now (µs), interval (µs), limit, expiry
 * slack (ms), weight (events). Replies { allowed (0|1), TAT (µs) }; all values are whole numbers, which Redis
 * returns exactly (it truncates Lua numbers to integers).
 */
const CONSUME_LUA = `
local nowUs = tonumber(ARGV[1])
local intervalUs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local stored = redis.call('GET', KEYS[1])
local fromUs = nowUs
if stored then fromUs = math.max(tonumber(stored), nowUs) end
local nextUs = fromUs + intervalUs * tonumber(ARGV[5])
if nextUs - nowUs > intervalUs * limit then
  return {0, fromUs}
end
redis.call('SET', KEYS[1], string.format('%d', nextUs), 'PX', math.ceil((nextUs - nowUs) / 1000) + tonumber(ARGV[4]))
return {1, nextUs}
`;

/**
 * Redis expires keys on its own wall clock while the algorithm runs on the caller's clock. Keys
 * live this much longer than the caller's arithmetic needs, so neither small clock skew between
 * hosts nor a slow stretch under a stepped test clock can drop a bucket that still matters.
 */
const EXPIRY_SLACK_MS = 60_000;

type WithConsume = Redis & {
  limitConsume(
    key: string,
    nowUs: string,
    intervalUs: string,
    limit: string,
    slackMs: string,
    weight: string,
  ): Promise<[number, number]>;
};

/** Buckets and blocks in Redis, so limits hold across every process of a cluster. */
export class RedisLimitStore implements LimitStore {
  private constructor(
    private readonly redis: WithConsume,
    private readonly keyPrefix: string,
  ) {}

  /** Connects (failing fast when Redis is unreachable) and registers the script. */
  static async connect(url: string, keyPrefix: string): Promise<RedisLimitStore> {
    // One retry, then a request fails (500, which clients retry) instead of waiting on a dead Redis.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true });
    let lastError: Error | undefined;
    // ioredis reconnects by itself; an outage surfaces as failed (and logged) requests, so the
    // connection events themselves are only kept to explain a failed start.
    redis.on('error', (error: Error) => {
      lastError = error;
    });
    redis.defineCommand('limitConsume', { numberOfKeys: 1, lua: CONSUME_LUA });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      // The URL may hold a password, so it is named by its setting, not printed.
      throw new Error(
        `Cannot reach Redis (REDIS_URL) for rate limits: ${(lastError ?? (error as Error)).message}`,
      );
    }
    return new RedisLimitStore(redis as WithConsume, keyPrefix);
  }

  async consume(key: string, rate: Rate, nowMs: number, weight = 1): Promise<BucketStep> {
    const [allowed, tatUs] = await this.redis.limitConsume(
      this.keyPrefix + key,
      String(toUs(nowMs)),
      String(intervalUs(rate)),
      String(rate.limit),
      String(EXPIRY_SLACK_MS),
      String(weight),
    );
    return { allowed: allowed === 1, tatUs };
  }

  async block(key: string, untilMs: number, nowMs: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, String(untilMs), 'PX', untilMs - nowMs + EXPIRY_SLACK_MS);
  }

  async blockedUntil(key: string, nowMs: number): Promise<number | null> {
    const stored = await this.redis.get(this.keyPrefix + key);
    const untilMs = stored === null ? null : Number(stored);
    return untilMs !== null && untilMs > nowMs ? untilMs : null;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
