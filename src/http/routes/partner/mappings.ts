import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BillingStatus } from '../../../core/builds/debounce.js';
import { clearMapping } from '../../../core/mappings/clear-mapping.js';
import { setMapping, targetField } from '../../../core/mappings/set-mapping.js';
import type { Mapping, MappingKind } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentBilling } from '../vendor-api/present.js';

/** A mapping as the partner API shows it: `{ companyId | productId, excluded }`, or null for none. */
export const presentMapping = (kind: MappingKind, m: Mapping | null) =>
  m && { [targetField(kind)]: m.targetId, excluded: m.excluded };

const Id = Type.String({ minLength: 1, maxLength: 256 });

/** Each kind of item: where it lives in the URL and what it maps to. */
const KINDS = [
  { kind: 'account', path: 'accounts', param: 'accountId', what: 'PSA company' },
  { kind: 'service', path: 'services', param: 'serviceId', what: 'PSA product' },
] as const;

/** PUT and DELETE of the partner's mapping of one vendor account or service. */
export function partnerMappingRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: integrations'];
  const security = PARTNER_SECURITY;
  const window = { quietMs: deps.config.buildQuietMs, maxWaitMs: deps.config.buildMaxWaitMs };

  for (const { kind, path, param, what } of KINDS) {
    const target = targetField(kind);
    const url = `/api/partner/integrations/:integrationId/${path}/:${param}/mapping`;
    const params = Type.Object({ integrationId: Id, [param]: Id });
    const present = (itemId: string, mapping: Mapping | null, build: BillingStatus) => ({
      [param]: itemId,
      mapping: presentMapping(kind, mapping),
      billing: presentBilling(build),
    });
    const route = (request: { params: unknown }) => {
      const p = request.params as Record<string, string>;
      return { integrationId: p.integrationId as string, itemId: p[param] as string };
    };

    app.put(
      url,
      {
        onRequest,
        schema: {
          tags,
          security,
          summary: `Map a vendor ${kind} to a ${what}, or exclude it`,
          description: `Body: { ${target} } or { excluded: true }. The billing view rebuilds after the debounce.`,
          params,
          body: Type.Object(
            { [target]: Type.Optional(Id), excluded: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const { integrationId, itemId } = route(request);
        const body = request.body as Record<string, string | boolean | undefined>;
        const change = await setMapping(deps.ctx, window, {
          partnerId: partnerOf(request).id,
          integrationId,
          kind,
          itemId,
          targetId: body[target] as string | undefined,
          excluded: body.excluded as boolean | undefined,
        });
        // The change scheduled a build; the scheduler may be asleep until a later time.
        if (change.build.dueAtMs !== null) deps.scheduler.wake(change.build.dueAtMs);
        return { ...present(itemId, change.mapping, change.build), waiting: change.waiting };
      },
    );

    app.delete(
      url,
      {
        onRequest,
        schema: {
          tags,
          security,
          summary: `Remove the mapping of a vendor ${kind}`,
          description: 'Its counts are refused (and wait to be mapped) again. The billing view rebuilds.',
          params,
        },
      },
      async (request) => {
        const { integrationId, itemId } = route(request);
        const change = await clearMapping(deps.ctx, window, {
          partnerId: partnerOf(request).id,
          integrationId,
          kind,
          itemId,
        });
        if (change.build.dueAtMs !== null) deps.scheduler.wake(change.build.dueAtMs);
        return present(itemId, change.mapping, change.build);
      },
    );
  }
}
