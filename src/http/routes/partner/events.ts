import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import type { HttpDeps } from '../../deps.js';
import { authenticatePartner } from '../../../core/auth/authenticate-partner.js';
import { errors } from '../../schemas/common.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, SESSION_COOKIE, bearerOf, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentSync, presentWrite } from './present-psa.js';

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/**
 * How often an open stream checks that the session (or token) that opened it is still good: a
 * sign-out or password change in any process ends the stream within this time.
 */
const CREDENTIAL_CHECK_MS = 2_000;

/** Server-sent events: one `build` event each time a billing view of the partner lands. */
export function partnerEventsRoutes(app: TypedApp, deps: HttpDeps): void {
  // Open streams never go idle, so the server would wait for them forever on shutdown: end them first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/api/partner/events',
    {
      onRequest: partnerAuth(deps),
      schema: {
        tags: ['Partner: billing'],
        operationId: 'streamBuildEvents',
        summary: 'Build completions, PSA sync progress and PSA write states (text/event-stream)',
        description:
          'A server-sent event stream: `event: build` with data `{ integrationId, builtRevision, builtAt }` ' +
          "each time one of the partner's billing views lands; `event: psa-sync` with the PSA sync's state as it runs; " +
          '`event: psa-write` with `{ cardId, id, state, attempts, lastError, updatedAt }` when a PSA write changes state.',
        security: PARTNER_SECURITY,
        response: {
          200: {
            description: 'The event stream; it stays open',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...errors(401, 403),
        },
      },
    },
    async (request, reply) => {
      const partner = partnerOf(request);
      const credentials = {
        bearer: bearerOf(request),
        sessionToken: request.partnerUser ? request.cookies[SESSION_COOKIE] : undefined,
      };
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write(`retry: 3000\n: connected\n\n`);
      const unsubscribe = deps.ctx.events.subscribe((event) => {
        if (event.partnerId !== partner.id) return;
        const data = {
          integrationId: event.integrationId,
          builtRevision: event.builtRevision,
          builtAt: isoTime(event.builtAtMs),
        };
        out.write(`event: build\ndata: ${JSON.stringify(data)}\n\n`);
      });
      // PSA syncs report their progress, and writes their state, on the same stream.
      const unsubscribePsa = deps.psa.deps.events.subscribe((event) => {
        if (event.type === 'sync' && event.sync.partnerId === partner.id) {
          out.write(
            `event: psa-sync\ndata: ${JSON.stringify(presentSync(event.sync, deps.ctx.clock.nowMs()))}\n\n`,
          );
        } else if (event.type === 'write' && event.write.partnerId === partner.id) {
          const data = { cardId: event.write.cardId, ...presentWrite(event.write) };
          out.write(`event: psa-write\ndata: ${JSON.stringify(data)}\n\n`);
        }
      });
      // Real time, not the injected clock: this only keeps the connection warm.
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const check = setInterval(() => {
        authenticatePartner(deps.ctx, credentials).then(
          (principal) => {
            if (principal.partner.id !== partner.id) end();
          },
          () => end(),
        );
      }, CREDENTIAL_CHECK_MS);
      check.unref();
      const end = () => {
        clearInterval(heartbeat);
        clearInterval(check);
        unsubscribe();
        unsubscribePsa();
        open.delete(end);
        out.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );
}
