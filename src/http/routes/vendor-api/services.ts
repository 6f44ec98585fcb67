import { Type } from '@sinclair/typebox';
import { SERVICE_CATEGORIES, SERVICE_SUBCATEGORIES } from '../../../core/vendors/enums.js';
import { listServices } from '../../../core/vendors/list-services.js';
import { createService, getService, updateService } from '../../../core/vendors/services.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { Envelope, Vendor } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentVendor } from './present.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const serviceFields = {
  name: Type.String({ minLength: 1 }),
  description: Type.String(),
  category: literals(SERVICE_CATEGORIES),
  subcategory: literals(SERVICE_SUBCATEGORIES),
  supportArticle: Type.Optional(Type.String()),
  supportContact: Type.Optional(Type.String()),
};
const ServiceBody = Type.Object(serviceFields);
const ServicePatch = Type.Partial(Type.Object(serviceFields));
const ServiceParams = Type.Object({ serviceId: Type.String() });

/** Routes 3–5: the vendor's service catalogue (SKUs). */
export function serviceRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'vendor');
  const tags = ['Services'];
  const security = [{ GradientToken: [] }];

  app.post(
    '/api/vendor-api/service',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'createService',
        summary: 'Create Service',
        description: 'Answers the whole vendor, its SKUs at the top level (`skus`), the new one among them.',
        body: ServiceBody,
        response: {
          201: described('The vendor with every SKU', Vendor),
          ...errors(400, 401, 403, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const { vendor } = principalOf(request);
      await createService(deps.ctx, vendor, request.body);
      // The original answers with the whole vendor, `skus` at the top level; clients read it there.
      return reply.code(201).send(presentVendor(vendor, await listServices(deps.ctx, vendor.id)));
    },
  );

  app.get(
    '/api/vendor-api/service/:serviceId',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getService',
        summary: 'Get Service',
        description: 'The vendor with `skus` holding only this one.',
        params: ServiceParams,
        response: {
          200: described('The vendor with that SKU', Envelope(200, Vendor, 'Success - Retrieved Service')),
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (request) => {
      const { vendor } = principalOf(request);
      const sku = await getService(deps.ctx, vendor, request.params.serviceId);
      return {
        status: 200 as const,
        data: presentVendor(vendor, [sku]),
        message: 'Success - Retrieved Service',
      };
    },
  );

  app.patch(
    '/api/vendor-api/service/:serviceId',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'updateService',
        summary: 'Update Service',
        params: ServiceParams,
        body: ServicePatch,
        response: {
          200: described('The vendor with that SKU', Envelope(200, Vendor, 'Success - Updated Service')),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const { vendor } = principalOf(request);
      const sku = await updateService(deps.ctx, vendor, request.params.serviceId, request.body ?? {});
      return {
        status: 200 as const,
        data: presentVendor(vendor, [sku]),
        message: 'Success - Updated Service',
      };
    },
  );
}
