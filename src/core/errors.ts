/**
 * The closed set of failures the domain can report. HTTP status codes are chosen for these in exactly
 * one place (src/http/errors.ts); nothing else in the code base maps errors to statuses. Failures that
 * carry facts beyond the message (seconds to wait, the anomaly rule, the bad lines of a file) are
 * subclasses with typed fields, so the HTTP layer, the CLI and the metrics read fields, not strings.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_id'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_mismatch'
  | 'rate_limited';

/** A failure with a code from the closed set and a message meant for the API caller. */
export class TallyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TallyError';
  }
}

/** The standard RateLimit-* values at the moment of a refusal. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Over the rate limit (429): wait `retryAfterSeconds`; `rateLimit` repeats the RateLimit-* values. */
export class RateLimitedError extends TallyError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly rateLimit: RateLimitState,
  ) {
    super('rate_limited', message);
    this.name = 'RateLimitedError';
  }
}

/** Why a caller with valid credentials is refused (403); each is counted and logged by name. */
export type AnomalyRule =
  'auth_failures' | 'rate_limit_abuse' | 'integration_disconnected' | 'integration_paused';

/** A refusal by an anomaly rule (403); a block that ends says when in `retryAfterSeconds`. */
export class AnomalyError extends TallyError {
  constructor(
    message: string,
    readonly anomaly: AnomalyRule,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super('forbidden', message);
    this.name = 'AnomalyError';
  }
}

/** Why a count was refused with 404: the vendor cannot see mappings, so it is normal traffic. */
export type CountRefusal = 'account_unmapped' | 'service_unmapped';

export class UnmappedCountError extends TallyError {
  constructor(
    message: string,
    readonly reason: CountRefusal,
  ) {
    super('not_found', message);
    this.name = 'UnmappedCountError';
  }
}

/** One bad line of a refused file. */
export interface LineError {
  line: number;
  reason: string;
}

/** A whole file refused (400) with every bad line, e.g. a CSV import committed with errors. */
export class FileRefusedError extends TallyError {
  constructor(
    message: string,
    readonly lineErrors: LineError[],
  ) {
    super('bad_request', message);
    this.name = 'FileRefusedError';
  }
}

export const badRequest = (message: string): TallyError => new TallyError('bad_request', message);
export const notFound = (message: string): TallyError => new TallyError('not_found', message);
export const conflict = (message: string): TallyError => new TallyError('conflict', message);
export const unauthorized = (): TallyError => new TallyError('unauthorized', 'Unauthorized');
export const forbidden = (message: string): TallyError => new TallyError('forbidden', message);
export const invalidId = (): TallyError =>
  new TallyError('invalid_id', 'You have provided an invalid Id type');

/**
 * The value, or the 404 that names what was looked for ("No company found with id: 42"). A record of
 * another partner is passed in as undefined by the caller, so it answers exactly like an unknown id.
 */
export function found<T>(value: T | null | undefined, what: string, id: string): T {
  if (value === null || value === undefined) throw notFound(`No ${what} found with id: ${id}`);
  return value;
}
