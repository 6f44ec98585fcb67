import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';
import { installErrorHandling } from './errors.js';
import { installJsonParser } from './json-parser.js';
import { installObservability } from './observability.js';
import { installNulRefusal } from './refuse-nul.js';
import { adminApiRoutes } from './routes/admin/index.js';
import { partnerApiRoutes } from './routes/partner/index.js';
import { vendorApiRoutes } from './routes/vendor-api/index.js';
import { webRoutes } from './routes/web.js';
import { API_GROUPS, API_TAGS } from './schemas/tags.js';

export interface HttpOptions {
  /** Pino logger options, or false for silence (tests). */
  logger: boolean | object;
}

/**
 * The HTTP application: the vendor API, partner API, admin API, OpenAPI document and health
 * routes over one set of dependencies. It does not listen; the caller decides where.
 */
export async function buildHttpApp(deps: HttpDeps, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    genReqId: () => deps.ctx.ids.uuid(),
    requestIdHeader: 'x-request-id',
    ajv: {
      // Bodies must arrive with their real types ("12" is not a count), so nothing is coerced.
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false },
    },
  });
  installJsonParser(app);
  installNulRefusal(app);
  installErrorHandling(app);
  installObservability(app, deps);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tally',
        version: '0.1.0',
        description:
          'Vendor usage sync and MSP billing reconciliation. The vendor API is compatible with the Synthesize API.',
      },
      tags: API_TAGS.map(({ name, description }) => ({ name, description })),
      components: {
        securitySchemes: {
          GradientToken: {
            type: 'apiKey',
            in: 'header',
            name: 'GRADIENT-TOKEN',
            description:
              'Vendor API: standard base64 of "<vendorApiKey>:<partnerApiKey>". Vendor-scoped routes accept ' +
              'an empty partner half ("<vendorApiKey>:").',
          },
          Bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Partner API: the partner token (scripts). Admin API: TALLY_ADMIN_TOKEN.',
          },
          SessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tally_session',
            description: 'Partner API: the session cookie POST /api/partner/session sets (the web UI).',
          },
        },
      },
    },
    // Tag groups (an extension documentation renderers read) gather the tags into the three APIs.
    transformObject: (document) =>
      'openapiObject' in document
        ? {
            ...document.openapiObject,
            'x-tagGroups': API_GROUPS.map((group) => ({
              name: group,
              tags: API_TAGS.filter((t) => t.group === group).map((t) => t.name),
            })),
          }
        : document.swaggerObject,
  });
  // Partner users sign in with a session cookie; scripts keep using bearer tokens.
  await app.register(cookie);
  await app.register(swaggerUi, { routePrefix: '/api-docs' });
  // @fastify/swagger-ui serves the document at /api-docs/json itself.

  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  vendorApiRoutes(typed, deps);
  partnerApiRoutes(typed, deps);
  adminApiRoutes(typed, deps);
  webRoutes(app);
  return app;
}
