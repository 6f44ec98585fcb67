/**
 * Reply shapes of the webhook routes (partner API and the vendor API extension). The web UI takes
 * its types from here.
 */
import { type Static, Type } from '@sinclair/typebox';
import { IsoTime, Nullable } from './common.js';

export const WebhookEndpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Type.String(),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Type.String()),
  failingSince: Nullable(IsoTime),
  secretRotatedUntil: Nullable(IsoTime),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const CreatedWebhookEndpoint = Type.Composite([
  WebhookEndpoint,
  Type.Object({ secret: Type.String({ description: 'whsec_…; shown only in this answer' }) }),
]);

export const WebhookAttempt = Type.Object({
  at: IsoTime,
  statusCode: Nullable(Type.Integer()),
  latencyMs: Type.Integer(),
  error: Nullable(Type.String()),
  responseSnippet: Type.String(),
});

export const WebhookDelivery = Type.Object({
  id: Type.Integer(),
  eventId: Type.String({ description: 'The webhook-id header' }),
  type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Array(WebhookAttempt),
  nextAttemptAt: Nullable(IsoTime),
  createdAt: IsoTime,
  deliveredAt: Nullable(IsoTime),
});

export const SecretRotated = Type.Object({ secret: Type.String(), previousSecretValidUntil: IsoTime });
export const TestEventQueued = Type.Object({ eventId: Type.String() });
export const ReplayQueued = Type.Object({ queued: Type.Integer(), truncated: Type.Boolean() });

export type WebhookEndpointReply = Static<typeof WebhookEndpoint>;
export type CreatedWebhookEndpointReply = Static<typeof CreatedWebhookEndpoint>;
export type WebhookDeliveryReply = Static<typeof WebhookDelivery>;
export type SecretRotatedReply = Static<typeof SecretRotated>;
export type TestEventQueuedReply = Static<typeof TestEventQueued>;
export type ReplayQueuedReply = Static<typeof ReplayQueued>;
