import { Type } from '@sinclair/typebox';
import type { BillingStatus } from '../../../core/builds/debounce.js';
import { clearMapping } from '../../../core/mappings/clear-mapping.js';
import { setMapping } from '../../../core/mappings/set-mapping.js';
import type { Mapping, MappingKind } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { described, errors } from '../../schemas/common.js';
import { AccountMappingChange, ServiceMappingChange } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { presentBilling } from '../vendor-api/present.js';

/** An account's mapping as the partner API shows it: `{ companyId, excluded }`, or null for none. */
export const presentAccountMapping = (m: Mapping | null) =>
  m && { companyId: m.targetId, excluded: m.excluded };

/** A service's mapping as the partner API shows it: `{ productId, excluded }`, or null for none. */
export const presentServiceMapping = (m: Mapping | null) =>
  m && { productId: m.targetId, excluded: m.excluded };

const Id = Type.String({ minLength: 1, maxLength: 256 });
const Excluded = Type.Optional(
  Type.Boolean({ description: 'true: the item is not billed and not suggested' }),
);

/** PUT and DELETE of the partner's mapping of one vendor account or service. */
export function partnerMappingRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: integrations'];
  const security = PARTNER_SECURITY;
  const window = { quietMs: deps.config.buildQuietMs, maxWaitMs: deps.config.buildMaxWaitMs };
  const setErrors = errors(400, 401, 403, 404, 409, 413, 415);
  const clearErrors = errors(400, 401, 403, 404);

  /** Sets or clears one mapping; the change scheduled a build, and the scheduler may be asleep. */
  const set = async (
    partnerId: string,
    integrationId: string,
    kind: MappingKind,
    itemId: string,
    change: { targetId?: string; excluded?: boolean },
  ) => {
    const done = await setMapping(deps.ctx, window, { partnerId, integrationId, kind, itemId, ...change });
    if (done.build.dueAtMs !== null) deps.scheduler.wake(done.build.dueAtMs);
    return done;
  };
  const clear = async (partnerId: string, integrationId: string, kind: MappingKind, itemId: string) => {
    const done = await clearMapping(deps.ctx, window, { partnerId, integrationId, kind, itemId });
    if (done.build.dueAtMs !== null) deps.scheduler.wake(done.build.dueAtMs);
    return done;
  };
  const billing = (build: BillingStatus) => presentBilling(build);

  const accountUrl = '/api/partner/integrations/:integrationId/accounts/:accountId/mapping';
  const accountParams = Type.Object({ integrationId: Id, accountId: Id });
  const serviceUrl = '/api/partner/integrations/:integrationId/services/:serviceId/mapping';
  const serviceParams = Type.Object({ integrationId: Id, serviceId: Id });
  const setDescription = (field: string) =>
    `Body: { ${field} } or { excluded: true }. The billing view rebuilds after the debounce.`;
  const clearDescription = 'Its counts are refused (and wait to be mapped) again. The billing view rebuilds.';

  app.put(
    accountUrl,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'setAccountMapping',
        summary: 'Map a vendor account to a PSA company, or exclude it',
        description: setDescription('companyId'),
        params: accountParams,
        body: Type.Object(
          { companyId: Type.Optional(Id), excluded: Excluded },
          { additionalProperties: false },
        ),
        response: { 200: described('The mapping as it is now', AccountMappingChange), ...setErrors },
      },
    },
    async (request) => {
      const { integrationId, accountId } = request.params;
      const { companyId, excluded } = request.body;
      const done = await set(partnerOf(request).id, integrationId, 'account', accountId, {
        targetId: companyId,
        excluded,
      });
      return { accountId, mapping: presentAccountMapping(done.mapping), billing: billing(done.build) };
    },
  );

  app.delete(
    accountUrl,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'clearAccountMapping',
        summary: 'Remove the mapping of a vendor account',
        description: clearDescription,
        params: accountParams,
        response: { 200: described('The account, now unmapped', AccountMappingChange), ...clearErrors },
      },
    },
    async (request) => {
      const { integrationId, accountId } = request.params;
      const done = await clear(partnerOf(request).id, integrationId, 'account', accountId);
      return { accountId, mapping: presentAccountMapping(done.mapping), billing: billing(done.build) };
    },
  );

  app.put(
    serviceUrl,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'setServiceMapping',
        summary: 'Map a vendor service to a PSA product, or exclude it',
        description: setDescription('productId'),
        params: serviceParams,
        body: Type.Object(
          { productId: Type.Optional(Id), excluded: Excluded },
          { additionalProperties: false },
        ),
        response: { 200: described('The mapping as it is now', ServiceMappingChange), ...setErrors },
      },
    },
    async (request) => {
      const { integrationId, serviceId } = request.params;
      const { productId, excluded } = request.body;
      const done = await set(partnerOf(request).id, integrationId, 'service', serviceId, {
        targetId: productId,
        excluded,
      });
      return { serviceId, mapping: presentServiceMapping(done.mapping), billing: billing(done.build) };
    },
  );

  app.delete(
    serviceUrl,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'clearServiceMapping',
        summary: 'Remove the mapping of a vendor service',
        description: clearDescription,
        params: serviceParams,
        response: { 200: described('The service, now unmapped', ServiceMappingChange), ...clearErrors },
      },
    },
    async (request) => {
      const { integrationId, serviceId } = request.params;
      const done = await clear(partnerOf(request).id, integrationId, 'service', serviceId);
      return { serviceId, mapping: presentServiceMapping(done.mapping), billing: billing(done.build) };
    },
  );
}
