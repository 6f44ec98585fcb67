/** Response pieces every API shares: the error shape, timestamps, "no content". */
import { CloneType, type TSchema, Type } from '@sinclair/typebox';

/** The one error shape of every route (docs/vendor-api.md §2). */
export const ErrorReply = Type.Object(
  {
    statusCode: Type.Integer({ description: 'The HTTP status again' }),
    message: Type.String({ description: 'What went wrong, naming the field or id' }),
    error: Type.Optional(Type.String({ description: 'The reason phrase, e.g. "Not Found"' })),
  },
  { examples: [{ statusCode: 404, message: 'No account map found with id: 101', error: 'Not Found' }] },
);

/** A refusal of a whole file (a CSV import): the shared shape plus every bad line. */
export const FileErrorReply = Type.Object(
  {
    ...ErrorReply.properties,
    errors: Type.Optional(Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() }))),
  },
  { description: 'Invalid input; a refused file lists every bad line in `errors`' },
);

/** What each error status means wherever it appears. */
const WHEN: Record<number, string> = {
  400: 'Invalid input; the message names the field',
  401: 'Missing, malformed or unknown credentials',
  403: 'Refused: see the message (a paused or disconnected integration, a blocked address or token, ...)',
  404: 'Not found; the message names the id',
  409: 'Conflicts with what exists; the message says with what',
  413: 'The body is larger than the configured limit',
  415: 'The body is not of a content type this route reads',
  422: 'The Idempotency-Key was already used with a different body',
  429: 'Rate limit reached; wait Retry-After seconds',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** The error responses of a route, each in the shared shape with its own description. */
export function errors<const S extends ErrorStatus>(...statuses: S[]): Record<S, typeof ErrorReply> {
  return Object.fromEntries(
    statuses.map((status) => [status, Type.Object(ErrorReply.properties, { description: WHEN[status] })]),
  ) as Record<S, typeof ErrorReply>;
}

/** A success response with its description for the OpenAPI document. */
export const described = <T extends TSchema>(description: string, schema: T): T =>
  CloneType(schema, { description });

/** An ISO-8601 UTC time with milliseconds. */
export const IsoTime = Type.String({ format: 'date-time', examples: ['2026-11-02T09:00:00.000Z'] });

/** The answer of a route that answers nothing. */
export const NoContent = Type.Null({ description: 'Done; no body' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
