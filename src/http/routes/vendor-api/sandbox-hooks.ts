import { Type } from '@sinclair/typebox';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preValidationHookHandler,
  RouteOptions,
} from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitedError } from '../../../core/errors.js';
import { autoMapSandbox } from '../../../core/sandbox/auto-map.js';
import { drawFaults } from '../../../core/sandbox/faults.js';
import { recordSandboxRequest } from '../../../core/sandbox/request-log.js';
import type { SandboxRecord } from '../../../core/sandbox/store.js';
import type { HttpDeps } from '../../deps.js';
import { sendError } from '../../errors.js';
import { ErrorReply } from '../../schemas/common.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on vendor API requests of a sandbox vendor. */
    sandboxCall?: { sandbox: SandboxRecord; atMs: number; fault: string | null };
  }
}

/** The routes under which sandboxes are controlled; they take no faults and are not recorded. */
export const SANDBOX_PREFIX = '/api/vendor-api/sandbox';

const InternalError = Type.Object(ErrorReply.properties, {
  description: 'Internal server error; a sandbox vendor also gets it when it injects the fault',
});

/** Bodies are cut to this many characters in the log. */
const BODY_SNIPPET_CHARS = 4096;

/** Routes that create what the sandbox partner maps by itself. */
const CREATING_ROUTES = new Set([
  'POST /api/vendor-api/service',
  'POST /api/vendor-api/organization/accounts',
  'POST /api/vendor-api/organization/services',
]);

type Caller = { vendorId: string; integrationId: string | null };

/** A route's hooks of one kind with `hook` added last. */
const appended = <H>(existing: H | H[] | undefined, hook: H): H[] =>
  existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];

const snippet = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;
  return (text ?? JSON.stringify(value)).slice(0, BODY_SNIPPET_CHARS);
};

/**
 * What a sandbox adds to the ordinary vendor API routes: injected faults before a request is
 * handled (after authentication, like the real rate limit), the partner's mapping of what was just
 * created, and the request log, written before the reply leaves so a caller finds its request
 * there at once. Requests of real vendors pass through after one lookup in memory.
 */
export function installSandboxHooks(app: FastifyInstance, deps: HttpDeps): void {
  const { directory } = deps.sandbox;

  /**
   * Sets `sandboxCall` and injects the sandbox's faults. Resolves true when it has answered the
   * request itself (a 500); a 429 is thrown for the error handler to answer.
   */
  const injectFaults = async (
    request: FastifyRequest,
    reply: FastifyReply,
    who: Caller,
  ): Promise<boolean> => {
    const sandbox = await directory.sandboxOf(who);
    if (!sandbox) return false;
    const call = {
      sandbox,
      atMs: deps.ctx.clock.nowMs() + sandbox.clockOffsetMs,
      fault: null as string | null,
    };
    request.sandboxCall = call;
    if (!sandbox.faults) return false;
    const decision = await drawFaults(deps.ctx, { ...sandbox, faults: sandbox.faults });
    if (decision.delayMs > 0) {
      call.fault = 'latency';
      await sleep(decision.delayMs);
    }
    if (decision.reply === null) return false;
    call.fault = decision.reply.kind;
    reply.header('tally-sandbox-fault', decision.reply.kind);
    if (decision.reply.kind === 'server_error') {
      sendError(reply, 500, 'Internal server error');
      return true;
    }
    const rate = deps.config.rateLimitPerSecond;
    const retryAfterSeconds = decision.reply.retryAfterSeconds;
    throw new RateLimitedError(`Request limit reached (${rate} requests a second)`, retryAfterSeconds, {
      limit: rate,
      remaining: 0,
      resetSeconds: retryAfterSeconds,
    });
  };

  /** Maps what was just created, then records the request; never fails the reply it follows. */
  const keepBooks = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> => {
    const call = request.sandboxCall as NonNullable<FastifyRequest['sandboxCall']>;
    const { sandbox } = call;
    try {
      if (reply.statusCode < 300 && CREATING_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
        await autoMapSandbox(deps.ctx, sandbox);
      }
      await recordSandboxRequest(deps.ctx, {
        integrationId: sandbox.integrationId,
        atMs: call.atMs,
        method: request.method,
        path: request.url,
        route: request.routeOptions.url ?? request.url,
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
        fault: call.fault,
        requestId: request.id,
        requestBody: snippet(request.body),
        responseBody: snippet(payload),
      });
    } catch (error) {
      // The vendor's request itself was handled; the sandbox's bookkeeping must not turn it into a 500.
      request.log.error({ err: error }, 'sandbox bookkeeping failed');
    }
  };

  // Callback-style hooks: a real vendor's request passes both without a promise or a query.
  const preValidation: preValidationHookHandler = (request, reply, done) => {
    const principal = request.vendorPrincipal;
    if (!principal) return done();
    const who = { vendorId: principal.vendor.id, integrationId: principal.integration?.id ?? null };
    if (directory.knownReal(who)) return done();
    injectFaults(request, reply, who).then(
      (answered) => {
        // A hook that answered the request itself must not pass it on.
        if (!answered) done();
      },
      (error: Error) => done(error),
    );
  };
  const onSend: onSendHookHandler = (request, reply, payload, done) => {
    if (!request.sandboxCall) return done(null, payload);
    void keepBooks(request, reply, payload).then(() => done(null, payload));
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/vendor-api') || route.url.startsWith(SANDBOX_PREFIX)) return;
    // Any route may fail with a 500; a sandbox answers one on purpose, so the routes say so.
    const responses = route.schema?.response as Record<string, unknown> | undefined;
    if (responses && !('500' in responses)) responses['500'] = InternalError;
    route.preValidation = appended(route.preValidation, preValidation);
    route.onSend = appended(route.onSend, onSend);
  });
}
