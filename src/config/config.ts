import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every setting Tally reads, with its default. Parsed once at boot; nothing else reads process.env. */
export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1', description: 'Address to listen on' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'Port to listen on' }),
  sqliteFile: Type.String({ default: 'data/tally.db', description: 'Embedded database file (TALLY_DB)' }),
  sqliteSynchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL')], {
    default: 'FULL',
    description: 'FULL: each 201 is on disk; NORMAL: survives a process crash, not a power cut',
  }),
  databaseUrl: Type.Union([Type.String(), Type.Null()], { default: null, description: 'PostgreSQL URL' }),
  redisUrl: Type.Union([Type.String(), Type.Null()], {
    default: null,
    description: 'Redis URL for shared limits',
  }),
  redisKeyPrefix: Type.String({
    default: 'tally:',
    description: 'Prefix of every Redis key, so several deployments can share one Redis',
  }),
  buildQuietMs: Type.Integer({ minimum: 0, default: 2000, description: 'Debounce quiet window' }),
  buildMaxWaitMs: Type.Integer({
    minimum: 0,
    default: 30000,
    description: 'Longest wait from first unbuilt change',
  }),
  buildLeaseMs: Type.Integer({
    minimum: 1000,
    default: 60000,
    description: 'After this, a silent build is retried',
  }),
  buildPollMs: Type.Integer({
    minimum: 50,
    default: 1000,
    description: 'How often due builds are looked for',
  }),
  alertPollMs: Type.Integer({
    minimum: 10,
    default: 1000,
    description: 'How often queued vendor alerts are turned into tickets',
  }),
  countLanes: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 1,
    description:
      'PostgreSQL only: count batches committed side by side; one lane gathers the most counts per statement (SQLite has one writer)',
  }),
  rateLimitPerSecond: Type.Integer({
    minimum: 1,
    default: 100,
    description: 'Vendor API requests per token',
  }),
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1048576, description: 'Largest accepted body' }),
  authFailureLimit: Type.Integer({
    minimum: 1,
    default: 30,
    description: '401s from one address before a block',
  }),
  authFailureWindowMs: Type.Integer({ minimum: 1, default: 60000 }),
  authBlockMs: Type.Integer({
    minimum: 1,
    default: 300000,
    description: 'How long a guessing address is blocked',
  }),
  rateLimitAbuseLimit: Type.Integer({
    minimum: 1,
    default: 300,
    description: '429s to one token before a block',
  }),
  rateLimitAbuseWindowMs: Type.Integer({ minimum: 1, default: 60000 }),
  rateLimitAbuseBlockMs: Type.Integer({ minimum: 1, default: 60000 }),
  idempotencyTtlMs: Type.Integer({ minimum: 1, default: 86400000, description: 'How long a key replays' }),
  adminToken: Type.Union([Type.String({ minLength: 16 }), Type.Null()], {
    default: null,
    description: 'Bearer token for /api/admin; the admin API is off without it',
  }),
  trustProxy: Type.Boolean({ default: false, description: 'Take client addresses from X-Forwarded-For' }),
  sessionLifetimeMs: Type.Integer({
    minimum: 60000,
    default: 43200000,
    description: 'How long a partner user stays signed in',
  }),
  importMaxBytes: Type.Integer({
    minimum: 1024,
    default: 67108864,
    description: 'Largest CSV file a PSA import accepts (it is streamed; a commit keeps its valid rows)',
  }),
  secretKey: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
    default: null,
    description:
      'Key sealing PSA credentials (AES-256-GCM; 32 bytes as base64 or hex). Required with PostgreSQL; ' +
      'the embedded default generates one into the data folder',
  }),
  psaAllowPrivateNetwork: Type.Boolean({
    default: false,
    description: 'Allow PSA addresses on private networks (on-premises PSAs)',
  }),
  psaMaxInFlight: Type.Integer({
    minimum: 1,
    maximum: 32,
    default: 4,
    description: 'Requests in flight at once per PSA connection',
  }),
  psaFullSyncIntervalMs: Type.Integer({
    minimum: 60000,
    default: 86400000,
    description: 'How often a full PSA sync runs on its own (deletions and cancellations show then)',
  }),
  psaWritePollMs: Type.Integer({
    minimum: 10,
    default: 1000,
    description: 'How often queued PSA writes are looked for',
  }),
  psaWriteLeaseMs: Type.Integer({
    minimum: 1000,
    default: 60000,
    description: 'After this, a PSA write whose worker went silent is taken over',
  }),
  webhookPollMs: Type.Integer({
    minimum: 10,
    default: 200,
    description: 'How often queued webhook deliveries are looked for',
  }),
  webhookLeaseMs: Type.Integer({
    minimum: 1000,
    default: 30000,
    description: 'After this, a webhook delivery whose process went silent is sent again',
  }),
  webhookTimeoutMs: Type.Integer({
    minimum: 100,
    default: 5000,
    description: 'How long a webhook receiver has to answer',
  }),
  webhookMaxInFlight: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 4,
    description: 'Deliveries on their way to one webhook endpoint at once',
  }),
  webhookRetryBaseMs: Type.Integer({
    minimum: 1,
    default: 30000,
    description: 'Delay before the first webhook retry (jitter takes up to half off); it doubles per failure',
  }),
  webhookRetryMaxDelayMs: Type.Integer({
    minimum: 1,
    default: 21600000,
    description: 'Longest delay between two webhook attempts',
  }),
  webhookRetryForMs: Type.Integer({
    minimum: 1,
    default: 259200000,
    description: 'How long a webhook delivery is retried before it is marked failed',
  }),
  webhookDisableAfterMs: Type.Integer({
    minimum: 1,
    default: 259200000,
    description: 'A webhook endpoint whose every attempt failed for this long is disabled',
  }),
  webhookAllowPrivateNetworks: Type.Boolean({
    default: false,
    description: 'Let webhook URLs reach private network addresses (loopback is always allowed)',
  }),
  webhookUnmappedWindowMs: Type.Integer({
    minimum: 0,
    default: 3600000,
    description: 'count.unmapped is sent at most once per account and service in this window',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

export type Config = Static<typeof ConfigSchema>;

/** Environment variable for each setting that can come from the environment. */
const ENV_NAMES: Partial<Record<keyof Config, string>> = {
  host: 'TALLY_HOST',
  port: 'PORT',
  sqliteFile: 'TALLY_DB',
  sqliteSynchronous: 'TALLY_SQLITE_SYNCHRONOUS',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  redisKeyPrefix: 'TALLY_REDIS_KEY_PREFIX',
  buildQuietMs: 'TALLY_BUILD_QUIET_MS',
  buildMaxWaitMs: 'TALLY_BUILD_MAX_WAIT_MS',
  buildLeaseMs: 'TALLY_BUILD_LEASE_MS',
  buildPollMs: 'TALLY_BUILD_POLL_MS',
  alertPollMs: 'TALLY_ALERT_POLL_MS',
  countLanes: 'TALLY_COUNT_LANES',
  rateLimitPerSecond: 'TALLY_RATE_LIMIT_PER_SECOND',
  bodyLimitBytes: 'TALLY_BODY_LIMIT_BYTES',
  authFailureLimit: 'TALLY_AUTH_FAILURE_LIMIT',
  authFailureWindowMs: 'TALLY_AUTH_FAILURE_WINDOW_MS',
  authBlockMs: 'TALLY_AUTH_BLOCK_MS',
  rateLimitAbuseLimit: 'TALLY_RATE_LIMIT_ABUSE_LIMIT',
  rateLimitAbuseWindowMs: 'TALLY_RATE_LIMIT_ABUSE_WINDOW_MS',
  rateLimitAbuseBlockMs: 'TALLY_RATE_LIMIT_ABUSE_BLOCK_MS',
  adminToken: 'TALLY_ADMIN_TOKEN',
  trustProxy: 'TALLY_TRUST_PROXY',
  sessionLifetimeMs: 'TALLY_SESSION_LIFETIME_MS',
  importMaxBytes: 'TALLY_IMPORT_MAX_BYTES',
  secretKey: 'TALLY_SECRET_KEY',
  psaAllowPrivateNetwork: 'TALLY_PSA_ALLOW_PRIVATE_NETWORK',
  psaMaxInFlight: 'TALLY_PSA_MAX_IN_FLIGHT',
  psaFullSyncIntervalMs: 'TALLY_PSA_FULL_SYNC_INTERVAL_MS',
  psaWritePollMs: 'TALLY_PSA_WRITE_POLL_MS',
  psaWriteLeaseMs: 'TALLY_PSA_WRITE_LEASE_MS',
  webhookPollMs: 'TALLY_WEBHOOK_POLL_MS',
  webhookLeaseMs: 'TALLY_WEBHOOK_LEASE_MS',
  webhookTimeoutMs: 'TALLY_WEBHOOK_TIMEOUT_MS',
  webhookMaxInFlight: 'TALLY_WEBHOOK_MAX_IN_FLIGHT',
  webhookRetryBaseMs: 'TALLY_WEBHOOK_RETRY_BASE_MS',
  webhookRetryMaxDelayMs: 'TALLY_WEBHOOK_RETRY_MAX_DELAY_MS',
  webhookRetryForMs: 'TALLY_WEBHOOK_RETRY_FOR_MS',
  webhookDisableAfterMs: 'TALLY_WEBHOOK_DISABLE_AFTER_MS',
  webhookAllowPrivateNetworks: 'TALLY_WEBHOOK_ALLOW_PRIVATE_NETWORKS',
  webhookUnmappedWindowMs: 'TALLY_WEBHOOK_UNMAPPED_WINDOW_MS',
  logLevel: 'TALLY_LOG_LEVEL',
};

export const envNameOf = (key: keyof Config): string | undefined => ENV_NAMES[key];

/**
 * Builds the configuration from defaults, then the environment, then explicit overrides (CLI flags),
 * and fails with every bad setting named.
 */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const value = env[envName];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const withDefaults = Value.Default(ConfigSchema, raw);
  const converted = Value.Convert(ConfigSchema, withDefaults);
  const errors = [...Value.Errors(ConfigSchema, converted)];
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const key = e.path.slice(1) as keyof Config;
      const envName = ENV_NAMES[key];
      return `  ${key}${envName ? ` (${envName})` : ''}: ${e.message}, got ${JSON.stringify(e.value)}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return converted as Config;
}
