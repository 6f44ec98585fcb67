/**
 * The closed set of failures the domain can report. HTTP status codes are chosen for these in exactly
 * one place (src/http/errors.ts); nothing else in the code base maps errors to statuses.
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
    /** Extra facts for the caller, e.g. the ids that conflicted or seconds to wait. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TallyError';
  }
}

export const badRequest = (message: string): TallyError => new TallyError('bad_request', message);
export const notFound = (message: string): TallyError => new TallyError('not_found', message);
export const conflict = (message: string, details: Record<string, unknown> = {}): TallyError =>
  new TallyError('conflict', message, details);
export const unauthorized = (): TallyError => new TallyError('unauthorized', 'Unauthorized');
export const forbidden = (message: string): TallyError => new TallyError('forbidden', message);
export const invalidId = (): TallyError =>
  new TallyError('invalid_id', 'You have provided an invalid Id type');
