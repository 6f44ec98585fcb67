import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import {
  AnomalyError,
  type ErrorCode,
  FileRefusedError,
  PsaChoiceError,
  RateLimitedError,
  TallyError,
} from '../core/errors.js';
import { setRateLimitHeaders } from './guard/rate-limit-headers.js';

/** The one place where domain errors become HTTP statuses. */
const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_id: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  rate_limited: 429,
};

export const statusOf = (code: ErrorCode): number => STATUS_OF[code];

/** The error body every route uses: `{ statusCode, message, error }`. */
export const errorBody = (statusCode: number, message: string) => ({
  statusCode,
  message,
  error: STATUS_CODES[statusCode] ?? 'Error',
});

export function sendError(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(errorBody(statusCode, message));
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  schemaPath: string;
}

/** "/0/id" reads "[0].id" and "/lines/2/qty" reads "lines[2].qty". */
const fieldName = (e: AjvError, context: string): string => {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
  const missing = e.params.missingProperty as string | undefined;
  if (missing) return path ? `${path}.${missing}` : missing;
  return path || context;
};

const isUnion = (e: AjvError) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const depth = (e: AjvError) => e.instancePath.split('/').length;
/** "a string", "an integer", and plain "null". */
const withArticle = (type: string) =>
  type === 'null' ? type : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/** `#/anyOf/2/properties/kind/const` → `#/anyOf/2/`: the union branch an error belongs to. */
const branchOf = (e: AjvError) => /^(.*\/(?:anyOf|oneOf)\/\d+\/)/.exec(e.schemaPath)?.[1];

/**
 * A union of objects told apart by a constant field (a PSA connection's kind): once one branch's
 * constant matched, the errors of the branches whose constant did not are noise.
 */
function outsideRejectedBranches(errors: AjvError[]): AjvError[] {
  const rejected = new Set(errors.filter((e) => e.keyword === 'const').map(branchOf));
  const branches = new Set(errors.map(branchOf).filter((b) => b !== undefined));
  if (rejected.size === 0 || [...branches].every((b) => rejected.has(b))) return errors;
  return errors.filter((e) => !rejected.has(branchOf(e)));
}

/**
 * The error that says the most. A union (e.g. "an array or one object") reports every branch; a type
 * mismatch at the union's own place only means "not this branch", while an error inside the branch
 * whose type did match names what is really wrong. When every branch failed on its type, the deepest
 * place is the one to name.
 */
function mostTelling(all: AjvError[]): AjvError | undefined {
  const errors = outsideRejectedBranches(all);
  const unionPaths = new Set(errors.filter(isUnion).map((e) => e.instancePath));
  const concrete = errors.filter((e) => !isUnion(e));
  const inside = concrete.find((e) => !(e.keyword === 'type' && unionPaths.has(e.instancePath)));
  if (inside || unionPaths.size === 0) return inside ?? concrete[0] ?? errors[0];
  return concrete.reduce<AjvError | undefined>(
    (best, e) => (best && depth(best) >= depth(e) ? best : e),
    undefined,
  );
}

/** Turns a schema failure into a sentence that names the field, e.g. "unitCount must be a number". */
export function validationMessage(errors: AjvError[], context: string): string {
  const e = mostTelling(errors);
  if (!e) return 'Invalid request';
  const field = fieldName(e, context);
  switch (e.keyword) {
    case 'required':
      return `${field} is required`;
    case 'type': {
      // Every type a union would have taken at this place: "id must be a string or an integer".
      const types = errors
        .filter((x) => x.keyword === 'type' && x.instancePath === e.instancePath)
        .map((x) => String(x.params.type).split(',')[0] as string);
      return `${field} must be ${[...new Set(types)].map(withArticle).join(' or ')}`;
    }
    case 'enum':
      return `${field} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    case 'const': {
      // A union of literals reports one const per branch; together they are the allowed values.
      const allowed = errors
        .filter((x) => x.keyword === 'const' && x.instancePath === e.instancePath)
        .map((x) => String(x.params.allowedValue));
      return `${field} must be one of: ${[...new Set(allowed)].join(', ')}`;
    }
    case 'additionalProperties':
      return `${field} has an unknown property: ${String(e.params.additionalProperty)}`;
    default:
      return `${field} ${e.message ?? 'is invalid'}`;
  }
}

/** Installs the error and not-found handlers so every failure has the documented shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | TallyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof TallyError) {
      const status = STATUS_OF[error.code];
      if (error instanceof RateLimitedError) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        setRateLimitHeaders(reply, error.rateLimit);
      }
      if (error instanceof AnomalyError && error.retryAfterSeconds !== null) {
        reply.header('retry-after', String(error.retryAfterSeconds));
      }
      if (status === 403) {
        const anomaly = error instanceof AnomalyError ? error.anomaly : undefined;
        request.log.warn({ anomaly, reason: error.message }, 'forbidden');
      }
      // A whole-file refusal (a CSV import) lists every bad line beside the message.
      if (error instanceof FileRefusedError) {
        return reply
          .code(status)
          .type('application/json; charset=utf-8')
          .send({ ...errorBody(status, error.message), errors: error.lineErrors });
      }
      // An ambiguous PSA write lists the lines or agreements to choose from.
      if (error instanceof PsaChoiceError) {
        return reply
          .code(status)
          .type('application/json; charset=utf-8')
          .send({ ...errorBody(status, error.message), candidates: error.candidates });
      }
      return sendError(reply, status, error.message);
    }
    const fe = error as FastifyError;
    if (fe.validation)
      return sendError(
        reply,
        400,
        validationMessage(fe.validation as AjvError[], fe.validationContext ?? 'body'),
      );
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'Request body is too large');
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendError(reply, 415, 'Send the body as application/json');
    const status = fe.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, 500, 'Internal server error');
    }
    return sendError(reply, status, fe.message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `Route ${request.method}:${request.url.split('?')[0]} not found`),
  );
}
