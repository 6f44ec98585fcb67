import { Type } from '@sinclair/typebox';
import { listServices } from '../../../core/vendors/list-services.js';
import { updateVendor } from '../../../core/vendors/update-vendor.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { Envelope, Vendor } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { principalOf, vendorAuth } from '../../vendor-auth.js';
import { presentVendor } from './present.js';

const VendorPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1 })),
  description: Type.Optional(Type.String()),
  vendorSupportPageUrl: Type.Optional(Type.String()),
  integrationPortalUrl: Type.Optional(Type.String()),
});

/** Routes 1–2: the vendor reads and edits itself. */
export function vendorRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = vendorAuth(deps, 'vendor');
  const tags = ['Vendor'];
  const security = [{ GradientToken: [] }];

  app.get(
    '/api/vendor-api',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'getVendor',
        summary: 'Get Vendor',
        response: {
          200: described('The vendor with its SKUs', Envelope(200, Vendor, 'Success - Retrieved Vendor')),
          ...errors(401, 403, 429),
        },
      },
    },
    async (request) => {
      const { vendor } = principalOf(request);
      const skus = await listServices(deps.ctx, vendor.id);
      return {
        status: 200 as const,
        data: presentVendor(vendor, skus),
        message: 'Success - Retrieved Vendor',
      };
    },
  );

  app.patch(
    '/api/vendor-api',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'updateVendor',
        summary: 'Update Vendor',
        description: 'Any of name, description, vendorSupportPageUrl, integrationPortalUrl; at least one.',
        body: VendorPatch,
        response: {
          200: described('The vendor as changed', Envelope(200, Vendor, 'Success - Updated Vendor')),
          ...errors(400, 401, 403, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const updated = await updateVendor(deps.ctx, principalOf(request).vendor, request.body ?? {});
      const skus = await listServices(deps.ctx, updated.id);
      return {
        status: 200 as const,
        data: presentVendor(updated, skus),
        message: 'Success - Updated Vendor',
      };
    },
  );
}
