import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import type { HttpDeps } from '../../deps.js';
import { errors } from '../../schemas/common.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

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
        summary: 'Build completions (text/event-stream)',
        description:
          'A server-sent event stream: `event: build` with data `{ integrationId, builtRevision, builtAt }` ' +
          "each time one of the partner's billing views lands.",
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
      // Real time, not the injected clock: this only keeps the connection warm.
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        out.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );
}
