import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isoTime } from '../../core/clock.js';
import { badRequest } from '../../core/errors.js';
import { createWebhookEndpoint } from '../../core/webhooks/create-endpoint.js';
import { deleteWebhookEndpoint } from '../../core/webhooks/delete-endpoint.js';
import { deliveryLog } from '../../core/webhooks/delivery-log.js';
import { subscribableTypes } from '../../core/webhooks/events.js';
import type { EndpointOwner } from '../../core/webhooks/owner.js';
import { ownedEndpoint } from '../../core/webhooks/owner.js';
import { replayEvent, replaySince } from '../../core/webhooks/replay.js';
import { rotateWebhookSecret } from '../../core/webhooks/rotate-secret.js';
import { sendTestEvent } from '../../core/webhooks/send-test-event.js';
import type { WebhookEndpoint as Endpoint } from '../../core/webhooks/store.js';
import { updateWebhookEndpoint } from '../../core/webhooks/update-endpoint.js';
import type { HttpDeps } from '../deps.js';
import { errors as errorReplies, NoContent } from '../schemas/common.js';
import {
  CreatedWebhookEndpoint,
  ReplayQueued,
  SecretRotated,
  TestEventQueued,
  WebhookDelivery,
  WebhookEndpoint,
} from '../schemas/webhooks.js';
import { listWebhookEndpoints } from '../../core/webhooks/list-endpoints.js';

const EndpointBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    eventTypes: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 32 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const EndpointPatch = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    eventTypes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 32 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ endpointId: Type.String({ maxLength: 64 }) });

const ReplayBody = Type.Union([
  Type.Object({ eventId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object(
    { since: Type.String({ description: 'ISO-8601 time; every event from then on is sent again' }) },
    { additionalProperties: false },
  ),
]);

const present = (e: Endpoint, nowMs: number) => ({
  id: e.id,
  url: e.url,
  eventTypes: e.eventTypes,
  description: e.description,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  failingSince: e.failingSinceMs === null ? null : isoTime(e.failingSinceMs),
  secretRotatedUntil:
    e.previousSecretUntilMs !== null && e.previousSecretUntilMs > nowMs
      ? isoTime(e.previousSecretUntilMs)
      : null,
  createdAt: isoTime(e.createdAtMs),
  updatedAt: isoTime(e.updatedAtMs),
});

export interface WebhookRouteOptions {
  /** Where the routes live, e.g. /api/partner/webhooks. */
  prefix: string;
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  owner: (request: FastifyRequest) => EndpointOwner;
  tags: string[];
  security: Record<string, string[]>[];
  /** Prefix of operation ids, e.g. partner → partnerCreateWebhook. */
  operationPrefix: string;
  /** Said in every operation's description, e.g. that the vendor routes are a Tally extension. */
  note: string;
}

/** Webhook endpoint management, the same for partners and vendors; only the owner differs. */
export function webhookRoutes(parent: FastifyInstance, deps: HttpDeps, options: WebhookRouteOptions): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { prefix, onRequest, tags, security, note } = options;
  const op = (name: string) => `${options.operationPrefix}${name}`;
  const policy = { allowPrivateNetworks: deps.config.webhookAllowPrivateNetworks };
  const errors = errorReplies(400, 401, 403, 404, 409, 413, 415, 429);
  const now = () => deps.ctx.clock.nowMs();

  app.get(
    `${prefix}/event-types`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('ListWebhookEventTypes'),
        summary: 'List the event types an endpoint may subscribe to',
        description: note,
        response: { 200: Type.Array(Type.String()), ...errors },
      },
    },
    async (request) => subscribableTypes(options.owner(request).kind),
  );

  app.post(
    prefix,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('CreateWebhook'),
        summary: 'Create a webhook endpoint',
        description: `${note} The answer carries the signing secret (whsec_…); it is not shown again.`,
        body: EndpointBody,
        response: { 201: CreatedWebhookEndpoint, ...errors },
      },
    },
    async (request, reply) => {
      const endpoint = await createWebhookEndpoint(deps.ctx, options.owner(request), request.body, policy);
      return reply.code(201).send({ ...present(endpoint, now()), secret: endpoint.secret });
    },
  );

  app.get(
    prefix,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('ListWebhooks'),
        summary: 'List webhook endpoints',
        description: `${note} Secrets are never listed.`,
        response: { 200: Type.Array(WebhookEndpoint), ...errors },
      },
    },
    async (request) => {
      const owner = options.owner(request);
      const endpoints = await listWebhookEndpoints(deps.ctx, owner);
      return endpoints.map((e) => present(e, now()));
    },
  );

  app.get(
    `${prefix}/:endpointId`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('GetWebhook'),
        summary: 'Get a webhook endpoint',
        description: note,
        params: Params,
        response: { 200: WebhookEndpoint, ...errors },
      },
    },
    async (request) =>
      present(await ownedEndpoint(deps.ctx.store, options.owner(request), request.params.endpointId), now()),
  );

  app.patch(
    `${prefix}/:endpointId`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('UpdateWebhook'),
        summary: 'Update, disable or enable a webhook endpoint',
        description: `${note} enabled: false stops deliveries (they wait); enabled: true resumes them and clears the failure record.`,
        params: Params,
        body: EndpointPatch,
        response: { 200: WebhookEndpoint, ...errors },
      },
    },
    async (request) => {
      const updated = await updateWebhookEndpoint(
        deps.ctx,
        options.owner(request),
        request.params.endpointId,
        request.body,
        policy,
      );
      deps.webhooks.wake();
      return present(updated, now());
    },
  );

  app.delete(
    `${prefix}/:endpointId`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('DeleteWebhook'),
        summary: 'Delete a webhook endpoint with its queued deliveries and log',
        description: note,
        params: Params,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await deleteWebhookEndpoint(deps.ctx, options.owner(request), request.params.endpointId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${prefix}/:endpointId/rotate-secret`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('RotateWebhookSecret'),
        summary: 'Issue a new signing secret',
        description: `${note} The previous secret keeps signing beside the new one for 24 hours.`,
        params: Params,
        response: { 200: SecretRotated, ...errors },
      },
    },
    async (request) => {
      const rotated = await rotateWebhookSecret(deps.ctx, options.owner(request), request.params.endpointId);
      return {
        secret: rotated.secret,
        previousSecretValidUntil: isoTime(rotated.previousSecretUntilMs ?? now()),
      };
    },
  );

  app.post(
    `${prefix}/:endpointId/test`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('SendWebhookTestEvent'),
        summary: 'Send a webhook.test event to this endpoint',
        description: note,
        params: Params,
        response: { 202: TestEventQueued, ...errors },
      },
    },
    async (request, reply) => {
      const sent = await sendTestEvent(deps.ctx, options.owner(request), request.params.endpointId);
      deps.webhooks.wake();
      return reply.code(202).send(sent);
    },
  );

  app.get(
    `${prefix}/:endpointId/deliveries`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('ListWebhookDeliveries'),
        summary: "An endpoint's delivery log, newest first",
        description: `${note} Each delivery with its attempts: status code, latency and the start of the answer.`,
        params: Params,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'Continue below this delivery id' })),
        }),
        response: { 200: Type.Array(WebhookDelivery), ...errors },
      },
    },
    async (request) => {
      const log = await deliveryLog(deps.ctx, options.owner(request), request.params.endpointId, {
        limit: request.query.limit ?? 50,
        ...(request.query.before !== undefined && { beforeId: request.query.before }),
      });
      return log.map(({ delivery, type, attempts }) => ({
        id: delivery.id,
        eventId: delivery.eventId,
        type,
        status: delivery.status,
        attempts: attempts.map((a) => ({
          at: isoTime(a.atMs),
          statusCode: a.statusCode,
          latencyMs: a.latencyMs,
          error: a.error,
          responseSnippet: a.responseSnippet,
        })),
        nextAttemptAt: delivery.status === 'pending' ? isoTime(delivery.nextAttemptAtMs) : null,
        createdAt: isoTime(delivery.createdAtMs),
        deliveredAt: delivery.deliveredAtMs === null ? null : isoTime(delivery.deliveredAtMs),
      }));
    },
  );

  app.post(
    `${prefix}/:endpointId/replay`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: op('ReplayWebhookEvents'),
        summary: 'Send one event, or every event since a time, again',
        description: `${note} Replays keep the original webhook-id, so receivers can tell a replay from a new event.`,
        params: Params,
        body: ReplayBody,
        response: { 202: ReplayQueued, ...errors },
      },
    },
    async (request, reply) => {
      const owner = options.owner(request);
      const { endpointId } = request.params;
      let result: { queued: number; truncated: boolean };
      if ('eventId' in request.body) {
        await replayEvent(deps.ctx, owner, endpointId, request.body.eventId);
        result = { queued: 1, truncated: false };
      } else {
        const sinceMs = Date.parse(request.body.since);
        if (Number.isNaN(sinceMs)) throw badRequest('since must be an ISO-8601 time');
        result = await replaySince(deps.ctx, owner, endpointId, sinceMs);
      }
      deps.webhooks.wake();
      return reply.code(202).send(result);
    },
  );
}
