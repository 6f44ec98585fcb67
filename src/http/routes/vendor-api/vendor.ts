import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../../../core/limits/input-limits.js';
import { updateVendor } from '../../../core/vendors/update-vendor.js';
import type { HttpDeps } from '../../deps.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentVendor } from './present.js';

const VendorPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH })),
  description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH })),
  vendorSupportPageUrl: Type.Optional(Type.String()),
  integrationPortalUrl: Type.Optional(Type.String()),
});

/** Routes 1–2: the vendor reads and edits itself. */
export function vendorRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'vendor');
  const tags = ['Vendor'];

  app.get('/api/vendor-api', { onRequest, schema: { tags, summary: 'Get Vendor' } }, async (request) => {
    const { vendor } = principalOf(request);
    const skus = await deps.ctx.store.listSkus(vendor.id);
    return { status: 200, data: presentVendor(vendor, skus), message: 'Success - Retrieved Vendor' };
  });

  app.patch(
    '/api/vendor-api',
    { onRequest, schema: { tags, summary: 'Update Vendor', body: VendorPatch } },
    async (request) => {
      const updated = await updateVendor(
        deps.ctx,
        principalOf(request).vendor,
        (request.body ?? {}) as object,
      );
      const skus = await deps.ctx.store.listSkus(updated.id);
      return { status: 200, data: presentVendor(updated, skus), message: 'Success - Updated Vendor' };
    },
  );
}
