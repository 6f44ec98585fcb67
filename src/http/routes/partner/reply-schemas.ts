import { Type } from '@sinclair/typebox';

/** The error body every route answers with (see src/http/errors.ts). */
export const ErrorReply = Type.Object({
  statusCode: Type.Integer(),
  message: Type.String(),
  error: Type.Optional(Type.String()),
});

/** The error statuses any signed-in partner route can answer. */
export const partnerErrors = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  429: ErrorReply,
  500: ErrorReply,
} as const;

/** The billing-status block of presentBilling (src/http/routes/vendor-api/present.ts). */
export const BillingStatusReply = Type.Object({
  state: Type.String(),
  unbuiltChanges: Type.Integer(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  lastBuiltAt: Type.Union([Type.String(), Type.Null()]),
  builtRevision: Type.Integer(),
  builds: Type.Integer(),
});
