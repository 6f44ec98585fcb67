import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Asset, cachedBundle } from '../../web/bundle.js';
import { pageHtml } from '../../web/page.js';

/** The page and its assets only ever talk to this origin. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The partner web UI at `/`: one HTML page plus the script and stylesheet bundled from src/web/app. */
export function webRoutes(app: FastifyInstance): void {
  const bundle = cachedBundle();
  const hide = { schema: { hide: true } };

  app.get('/', hide, async (_request, reply) =>
    reply
      .headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' })
      .type('text/html; charset=utf-8')
      .send(pageHtml(await bundle())),
  );

  // The page names each asset by its hash, so the browser may keep it for good.
  const sendAsset = (reply: FastifyReply, asset: Asset, type: string) =>
    reply
      .headers({
        ...SECURITY_HEADERS,
        etag: `"${asset.hash}"`,
        'cache-control': 'public, max-age=31536000, immutable',
      })
      .type(type)
      .send(asset.body);

  app.get('/assets/app.js', hide, async (_request, reply) =>
    sendAsset(reply, (await bundle()).js, 'text/javascript; charset=utf-8'),
  );
  app.get('/assets/app.css', hide, async (_request, reply) =>
    sendAsset(reply, (await bundle()).css, 'text/css; charset=utf-8'),
  );
}
