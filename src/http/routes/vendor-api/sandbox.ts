import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { billingBoard } from '../../../core/billing/billing-board.js';
import { parsePeriod, periodOf } from '../../../core/billing/period.js';
import { isoTime } from '../../../core/clock.js';
import { badRequest, notFound } from '../../../core/errors.js';
import { advanceSandboxClock, MAX_ADVANCE_MS } from '../../../core/sandbox/advance-clock.js';
import { MAX_LATENCY_MS, setSandboxFaults } from '../../../core/sandbox/faults.js';
import { listSandboxRequests } from '../../../core/sandbox/request-log.js';
import { resetSandbox } from '../../../core/sandbox/reset-sandbox.js';
import type { SandboxRecord } from '../../../core/sandbox/store.js';
import type { HttpDeps } from '../../deps.js';
import { errors, IsoTime } from '../../schemas/common.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentBilling } from './present.js';
import { SANDBOX_PREFIX } from './sandbox-hooks.js';

const EXTENSION =
  'Tally extension, not part of the Synthesize API. Answers 404 for vendors that are not sandboxes.';

/** What every sandbox route can refuse with, in the vendor API's error shape… */
const refusals = errors(400, 401, 403, 404, 429);
/** …and those that read a body. */
const bodyRefusals = errors(400, 401, 403, 404, 413, 415, 429);

const Time = IsoTime;
const ClockReply = Type.Object({
  now: Time,
  offsetMs: Type.Integer({ description: 'How far the test clock runs ahead of the server' }),
  period: Type.String({ description: 'The billing period (YYYY-MM) the test clock is in' }),
});
const BillingReply = Type.Object({
  state: Type.Union([Type.Literal('idle'), Type.Literal('scheduled'), Type.Literal('building')]),
  unbuiltChanges: Type.Integer(),
  dueAt: Type.Union([Time, Type.Null()]),
  lastBuiltAt: Type.Union([Time, Type.Null()]),
  builtRevision: Type.Integer(),
  builds: Type.Integer(),
});
const AdvanceBody = Type.Object(
  {
    seconds: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_ADVANCE_MS / 1000 })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An ISO-8601 time' })),
  },
  { additionalProperties: false },
);

const trigger = {
  everyNth: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The Nth, 2Nth … request' }),
  ),
  probability: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: 'Each request, drawn from the seed' }),
  ),
};
const Latency = Type.Integer({ minimum: 0, maximum: MAX_LATENCY_MS });
const FaultFields = {
  rateLimit: Type.Optional(
    Type.Object(
      { ...trigger, retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })) },
      { additionalProperties: false },
    ),
  ),
  serverError: Type.Optional(Type.Object(trigger, { additionalProperties: false })),
  latencyMs: Type.Optional(
    Type.Union([Latency, Type.Object({ ms: Latency, ...trigger }, { additionalProperties: false })], {
      description: 'A delay in ms before every reply, or { ms, everyNth | probability } for some',
    }),
  ),
};
const FaultsBody = Type.Object(
  { ...FaultFields, seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })) },
  { additionalProperties: false },
);
const FaultsReply = Type.Object({
  faults: Type.Union([Type.Object({ ...FaultFields, seed: Type.Integer() }), Type.Null()]),
});

const RequestEntry = Type.Object({
  id: Type.Integer(),
  at: Time,
  method: Type.String(),
  path: Type.String(),
  route: Type.String(),
  statusCode: Type.Integer(),
  durationMs: Type.Number(),
  fault: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.String(),
  requestBody: Type.Union([Type.String(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()]),
});
const Digits = Type.String({ pattern: '^[0-9]{1,15}$' });

const Card = Type.Object({
  id: Type.String(),
  companyName: Type.String(),
  productName: Type.String(),
  vendorQuantity: Type.Number(),
  psaQuantity: Type.Number(),
  state: Type.String(),
  lastChangedAt: Time,
  decision: Type.Union([Type.String(), Type.Null()]),
});

/**
 * The sandbox's own routes under /api/vendor-api/sandbox: the test clock, fault injection, reset,
 * the request log and the cards its counts built. Any token of the sandbox vendor works (with or
 * without the partner half); for every other vendor they do not exist.
 */
export function sandboxRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = vendorAuth(deps, 'vendor');
  const tags = ['Sandbox'];
  const security = [{ GradientToken: [] }];
  const { directory, builds } = deps.sandbox;

  const sandboxOf = async (request: FastifyRequest): Promise<SandboxRecord> => {
    const { vendor, integration } = principalOf(request);
    const sandbox = await directory.sandboxOf({
      vendorId: vendor.id,
      integrationId: integration?.id ?? null,
    });
    // The same answer as for a route that does not exist: real vendors learn nothing here.
    if (!sandbox) throw notFound(`Route ${request.method}:${request.url.split('?')[0]} not found`);
    return sandbox;
  };
  const clockReply = (nowMs: number, offsetMs: number) => ({
    now: isoTime(nowMs),
    offsetMs,
    period: periodOf(nowMs),
  });

  r.get(
    `${SANDBOX_PREFIX}/clock`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxGetClock',
        summary: 'Read the test clock',
        description: `The sandbox integration's time. ${EXTENSION}`,
        response: { 200: ClockReply, ...refusals },
      },
    },
    async (request) => {
      const sandbox = await sandboxOf(request);
      return clockReply(deps.ctx.clock.nowMs() + sandbox.clockOffsetMs, sandbox.clockOffsetMs);
    },
  );

  r.post(
    `${SANDBOX_PREFIX}/clock/advance`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxAdvanceClock',
        summary: 'Move the test clock forward',
        description:
          'Moves the time of the sandbox integration forward by `seconds`, or to `to`; never back. Every ' +
          'build due by then (a quiet window or a maximum wait that elapsed) has run when this answers; ' +
          'Idempotency-Key records expire and billing periods turn over on the same clock. ' +
          EXTENSION,
        body: AdvanceBody,
        response: {
          200: Type.Object({
            ...ClockReply.properties,
            buildsRun: Type.Integer({ description: 'Builds that ran because of this move' }),
            billing: BillingReply,
          }),
          ...bodyRefusals,
        },
      },
    },
    async (request) => {
      const sandbox = await sandboxOf(request);
      const { seconds, to } = request.body;
      let toMs: number | undefined;
      if (to !== undefined) {
        toMs = Date.parse(to);
        if (Number.isNaN(toMs))
          throw badRequest('to must be an ISO-8601 time, like 2026-12-01T00:00:00.000Z');
      }
      const moved = await advanceSandboxClock(deps.ctx, builds, sandbox, { seconds, toMs });
      return {
        ...clockReply(moved.nowMs, moved.clockOffsetMs),
        buildsRun: moved.builds,
        billing: presentBilling(moved.billing),
      };
    },
  );

  r.get(
    `${SANDBOX_PREFIX}/faults`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxGetFaults',
        summary: 'Read the injected faults',
        description: EXTENSION,
        response: { 200: FaultsReply, ...refusals },
      },
    },
    async (request) => ({ faults: (await sandboxOf(request)).faults }),
  );

  r.put(
    `${SANDBOX_PREFIX}/faults`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxSetFaults',
        summary: 'Inject faults into the vendor API',
        description:
          'From now on, the sandbox answers some vendor API requests with a 429 (with Retry-After and the ' +
          'RateLimit headers), a 500, or a delay. `everyNth` picks the Nth, 2Nth … request after this call; ' +
          '`probability` draws each request from `seed` (default 0), so the same seed and the same requests ' +
          'give the same faults. A faulted request is answered before it is handled: nothing is written. ' +
          'Such replies carry `Tally-Sandbox-Fault`. `{}` removes every fault. ' +
          EXTENSION,
        body: FaultsBody,
        response: { 200: FaultsReply, ...bodyRefusals },
      },
    },
    async (request) => {
      const sandbox = await sandboxOf(request);
      return { faults: await setSandboxFaults(deps.ctx, sandbox, request.body) };
    },
  );

  r.post(
    `${SANDBOX_PREFIX}/reset`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxReset',
        summary: 'Empty the sandbox',
        description:
          'Deletes services, accounts, counts and their history, cards, the sandbox partner ledger, faults and ' +
          'the request log, and puts the test clock back on the server time. Keys keep working. ' +
          EXTENSION,
        response: { 200: Type.Object({ reset: Type.Boolean(), ...ClockReply.properties }), ...refusals },
      },
    },
    async (request) => {
      await resetSandbox(deps.ctx, await sandboxOf(request));
      return { reset: true, ...clockReply(deps.ctx.clock.nowMs(), 0) };
    },
  );

  r.get(
    `${SANDBOX_PREFIX}/requests`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxListRequests',
        summary: 'The recorded requests',
        description:
          `The sandbox's vendor API requests, newest first (the last ${1000} are kept): method, path, status, ` +
          'duration, injected fault, and the bodies cut to 4 KB. A request is recorded before its reply is ' +
          'sent. `afterId` returns only later ones. Requests refused before authentication are not recorded. ' +
          EXTENSION,
        querystring: Type.Object({ afterId: Type.Optional(Digits), limit: Type.Optional(Digits) }),
        response: { 200: Type.Object({ requests: Type.Array(RequestEntry) }), ...refusals },
      },
    },
    async (request) => {
      const sandbox = await sandboxOf(request);
      const rows = await listSandboxRequests(deps.ctx, sandbox, {
        afterId: request.query.afterId === undefined ? undefined : Number(request.query.afterId),
        limit: request.query.limit === undefined ? 100 : Number(request.query.limit),
      });
      return {
        requests: rows.map(({ integrationId: _integrationId, atMs, ...row }) => ({
          ...row,
          at: isoTime(atMs),
        })),
      };
    },
  );

  r.get(
    `${SANDBOX_PREFIX}/billing`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'sandboxGetBilling',
        summary: "The sandbox partner's billing cards",
        description:
          'The cards the sandbox counts built, as the sandbox partner sees them, for the billing period the test ' +
          'clock is in (or `period`, YYYY-MM). `decision` is the partner decision standing in that period. ' +
          EXTENSION,
        querystring: Type.Object({ period: Type.Optional(Type.String({ maxLength: 7 })) }),
        response: {
          200: Type.Object({
            period: Type.String(),
            builtAt: Type.Union([Time, Type.Null()]),
            cards: Type.Array(Card),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const sandbox = await sandboxOf(request);
      const period = parsePeriod(request.query.period, deps.ctx.clock.nowMs() + sandbox.clockOffsetMs);
      const board = await billingBoard(deps.ctx, sandbox.partnerId, period, { includeActioned: true });
      return {
        period: board.period,
        builtAt: board.builtAtMs === null ? null : isoTime(board.builtAtMs),
        cards: board.cards.map((c) => ({
          id: c.id,
          companyName: c.companyName,
          productName: c.productName,
          vendorQuantity: c.vendorQuantity,
          psaQuantity: c.psaQuantity,
          state: c.state,
          lastChangedAt: isoTime(c.lastChangedAtMs),
          decision: c.action?.action ?? null,
        })),
      };
    },
  );
}
