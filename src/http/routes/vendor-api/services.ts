import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../../../core/limits/input-limits.js';
import { SERVICE_CATEGORIES, SERVICE_SUBCATEGORIES } from '../../../core/vendors/enums.js';
import {
  type ServiceFields,
  createService,
  getService,
  updateService,
} from '../../../core/vendors/services.js';
import type { HttpDeps } from '../../deps.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentVendor } from './present.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const serviceFields = {
  name: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH }),
  description: Type.String({ maxLength: MAX_DESCRIPTION_LENGTH }),
  category: literals(SERVICE_CATEGORIES),
  subcategory: literals(SERVICE_SUBCATEGORIES),
  supportArticle: Type.Optional(Type.String()),
  supportContact: Type.Optional(Type.String()),
};
const ServiceBody = Type.Object(serviceFields);
const ServicePatch = Type.Partial(Type.Object(serviceFields));
const ServiceParams = Type.Object({ serviceId: Type.String() });

/** Routes 3–5: the vendor's service catalogue (SKUs). */
export function serviceRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'vendor');
  const tags = ['Services'];

  app.post(
    '/api/vendor-api/service',
    { onRequest, schema: { tags, summary: 'Create Service', body: ServiceBody } },
    async (request, reply) => {
      const { vendor } = principalOf(request);
      await createService(deps.ctx, vendor, request.body as ServiceFields);
      // The original answers with the whole vendor, `skus` at the top level; clients read it there.
      return reply.code(201).send(presentVendor(vendor, await deps.ctx.store.listSkus(vendor.id)));
    },
  );

  app.get(
    '/api/vendor-api/service/:serviceId',
    { onRequest, schema: { tags, summary: 'Get Service', params: ServiceParams } },
    async (request) => {
      const { vendor } = principalOf(request);
      const sku = await getService(deps.ctx, vendor, (request.params as { serviceId: string }).serviceId);
      return { status: 200, data: presentVendor(vendor, [sku]), message: 'Success - Retrieved Service' };
    },
  );

  app.patch(
    '/api/vendor-api/service/:serviceId',
    { onRequest, schema: { tags, summary: 'Update Service', params: ServiceParams, body: ServicePatch } },
    async (request) => {
      const { vendor } = principalOf(request);
      const { serviceId } = request.params as { serviceId: string };
      const sku = await updateService(
        deps.ctx,
        vendor,
        serviceId,
        (request.body ?? {}) as Partial<ServiceFields>,
      );
      return { status: 200, data: presentVendor(vendor, [sku]), message: 'Success - Updated Service' };
    },
  );
}
