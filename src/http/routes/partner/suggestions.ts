import { Type } from '@sinclair/typebox';
import { acceptSuggestions } from '../../../core/mappings/accept-suggestions.js';
import { DEFAULT_MIN_SCORE, suggestMappings } from '../../../core/mappings/suggestions.js';
import type { HttpDeps } from '../../deps.js';
import { offsetPage, pageQuery, setNextOffset } from '../../paging.js';
import { MAX_PAGE_SIZE } from '../../../core/limits/input-limits.js';
import { described, errors } from '../../schemas/common.js';
import { Suggestions, SuggestionsAccepted } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentBilling } from '../vendor-api/present.js';

const Id = Type.String({ minLength: 1, maxLength: 256 });
const IntegrationParams = Type.Object({ integrationId: Type.String({ minLength: 1, maxLength: 64 }) });

/** Exact-name mapping suggestions, and accepting them in one go. */
export function partnerSuggestionRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: integrations'];
  const security = PARTNER_SECURITY;
  const window = { quietMs: deps.config.buildQuietMs, maxWaitMs: deps.config.buildMaxWaitMs };

  app.get(
    '/api/partner/integrations/:integrationId/suggestions',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listSuggestions',
        summary: 'Mapping suggestions',
        description:
          'accounts and services: unmapped (and not excluded) items whose name equals, case included, the ' +
          'name of exactly one PSA company or product; accept takes these when no list is given. similar: ' +
          'the other unmapped items with their best company or product by normalised name (case, ' +
          'punctuation, accents, "&"/"and", legal forms such as Inc, Ltd, LLC, GmbH ignored) and letter-pair ' +
          `similarity, with its score (0–1), at or above minScore (default ${DEFAULT_MIN_SCORE}); they are ` +
          'mapped only when named in an accept request. Pages over the unmapped items (accounts, then ' +
          `services, by id): at most limit items (1–${MAX_PAGE_SIZE}, default ${MAX_PAGE_SIZE}) are looked at; ` +
          'X-Next-Cursor names the next page.',
        params: IntegrationParams,
        querystring: Type.Object({
          ...pageQuery(),
          minScore: Type.Optional(
            Type.String({
              pattern: '^(0?\\.[5-9][0-9]*|1(\\.0*)?)$',
              description: 'similarity threshold, 0.5–1',
            }),
          ),
        }),
        response: { 200: described('The suggestions', Suggestions), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { integrationId } = request.params;
      const { minScore } = request.query;
      const { nextOffset, ...suggestions } = await suggestMappings(
        deps.ctx.store,
        partnerOf(request).id,
        integrationId,
        {
          minScore: minScore === undefined ? undefined : Number(minScore),
          page: offsetPage(request),
        },
      );
      setNextOffset(request, reply, nextOffset);
      return suggestions;
    },
  );

  app.post(
    '/api/partner/integrations/:integrationId/suggestions/accept',
    {
      onRequest,
      // No body means "accept them all", the same as an empty object.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        security,
        operationId: 'acceptSuggestions',
        summary: 'Accept mapping suggestions',
        description:
          'Maps the given suggestions (exact or similar), or all exact ones of a kind when its list is left ' +
          'out; an empty body accepts every exact match. ' +
          'A pair that is not a current suggestion is a 400 and nothing is mapped.',
        params: IntegrationParams,
        body: Type.Object(
          {
            accounts: Type.Optional(
              Type.Array(Type.Object({ accountId: Id, companyId: Id }, { additionalProperties: false }), {
                maxItems: 10000,
              }),
            ),
            services: Type.Optional(
              Type.Array(Type.Object({ serviceId: Id, productId: Id }, { additionalProperties: false }), {
                maxItems: 10000,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: described('What was mapped; the billing view rebuilds', SuggestionsAccepted),
          ...errors(400, 401, 403, 404, 413, 415),
        },
      },
    },
    async (request) => {
      const { integrationId } = request.params;
      const body = request.body ?? {};
      const { mapped, build, waiting } = await acceptSuggestions(deps.ctx, window, {
        partnerId: partnerOf(request).id,
        integrationId,
        ...body,
      });
      if (build.dueAtMs !== null) deps.scheduler.wake(build.dueAtMs);
      return { mapped, billing: presentBilling(build), waiting };
    },
  );
}
