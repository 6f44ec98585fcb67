import { Type } from '@sinclair/typebox';
import { type Config, ConfigSchema } from '../../../config/config.js';
import { redactSetting } from '../../../config/redact.js';
import { isoTime } from '../../../core/clock.js';
import { connectIntegration } from '../../../core/integrations/connect.js';
import { listPartners } from '../../../core/partners/list-partners.js';
import { registerPartner } from '../../../core/partners/register-partner.js';
import { listAllVendors } from '../../../core/vendors/list-all-vendors.js';
import { createVendor } from '../../../core/vendors/create-vendor.js';
import { reissueVendorKey } from '../../../core/vendors/reissue-vendor-key.js';
import { adminAuth } from '../../admin-auth.js';
import type { HttpDeps } from '../../deps.js';
import { IsoTime, described, errors } from '../../schemas/common.js';
import type { TypedApp } from '../../typed-app.js';

const VendorRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: IsoTime,
});
const PartnerRow = Type.Object({ id: Type.String(), name: Type.String(), createdAt: IsoTime });
const PartnerCreated = Type.Object({
  partnerId: Type.String(),
  partnerToken: Type.String({ description: 'The bearer token of the partner API; shown once' }),
  user: Type.Optional(
    Type.Object({
      id: Type.String(),
      email: Type.String(),
      password: Type.Optional(Type.String({ description: 'The generated password; shown once' })),
    }),
  ),
});

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Id = Type.String({ minLength: 1, maxLength: 64 });

/**
 * The operator's API under /api/admin, for the same jobs as the `tally` CLI: register vendors and
 * partners, connect them, read the configuration. Keys and tokens are answered once.
 */
export function adminApiRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = adminAuth(deps);
  const tags = ['Admin'];
  const security = [{ Bearer: [] }];

  app.get(
    '/api/admin/vendors',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminListVendors',
        summary: 'List vendors',
        response: { 200: described('Every vendor', Type.Array(VendorRow)), ...errors(401, 404) },
      },
    },
    async () =>
      (await listAllVendors(deps.ctx)).map((v) => ({
        id: v.id,
        name: v.name,
        description: v.description,
        createdAt: isoTime(v.createdAtMs),
      })),
  );

  app.post(
    '/api/admin/vendors',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminCreateVendor',
        summary: 'Register a vendor',
        description: 'Answers the vendor key once; it is stored only as a digest.',
        body: Type.Object({ name: Name, description: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: {
          201: described(
            'The vendor id and its key, shown once',
            Type.Object({ vendorId: Type.String(), vendorKey: Type.String() }),
          ),
          ...errors(400, 401, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { vendor, vendorKey } = await createVendor(deps.ctx, request.body);
      return reply.code(201).send({ vendorId: vendor.id, vendorKey });
    },
  );

  app.post(
    '/api/admin/vendors/:vendorId/rotate-key',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminRotateVendorKey',
        summary: 'Replace a vendor key',
        description: 'The old key is refused at once.',
        params: Type.Object({ vendorId: Id }),
        response: {
          200: described('The new key, shown once', Type.Object({ vendorKey: Type.String() })),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => reissueVendorKey(deps.ctx, request.params.vendorId),
  );

  app.get(
    '/api/admin/partners',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminListPartners',
        summary: 'List partners',
        response: { 200: described('Every partner', Type.Array(PartnerRow)), ...errors(401, 404) },
      },
    },
    async () =>
      (await listPartners(deps.ctx)).map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: isoTime(p.createdAtMs),
      })),
  );

  app.post(
    '/api/admin/partners',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminCreatePartner',
        summary: 'Register a partner (an MSP), optionally with its first user',
        description:
          'Answers the partner bearer token once. With userEmail, also creates the user who signs in to the web ' +
          'UI; a generated password is answered once when none is given.',
        body: Type.Object({
          name: Name,
          userEmail: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
          userName: Type.Optional(Type.String({ maxLength: 200 })),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: {
          201: described('The partner and its token (and user), shown once', PartnerCreated),
          ...errors(400, 401, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const {
        partner,
        partnerToken,
        user: added,
      } = await registerPartner(deps.ctx, {
        name: body.name,
        firstUser:
          body.userEmail === undefined
            ? undefined
            : { email: body.userEmail, name: body.userName, password: body.password },
      });
      return reply.code(201).send({
        partnerId: partner.id,
        partnerToken,
        ...(added && {
          user: {
            id: added.user.id,
            email: added.user.email,
            ...(added.generatedPassword !== null && { password: added.generatedPassword }),
          },
        }),
      });
    },
  );

  app.post(
    '/api/admin/integrations',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminConnectIntegration',
        summary: 'Connect a vendor to a partner',
        description:
          'Answers the partner key once; the GRADIENT-TOKEN is base64 of "<vendorKey>:<partnerKey>".',
        body: Type.Object({ vendorId: Id, partnerId: Id }),
        response: {
          201: described(
            'The integration and its partner key, shown once',
            Type.Object({ integrationId: Type.String(), partnerKey: Type.String() }),
          ),
          ...errors(400, 401, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { integration, partnerKey } = await connectIntegration(deps.ctx, request.body);
      return reply.code(201).send({ integrationId: integration.id, partnerKey });
    },
  );

  app.get(
    '/api/admin/config',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'adminGetConfig',
        summary: 'The effective configuration, secrets masked',
        response: {
          200: described(
            'Every setting by name',
            Type.Record(Type.String(), Type.Unknown(), { examples: [{ port: 3000, adminToken: '***' }] }),
          ),
          ...errors(401, 404),
        },
      },
    },
    async () => {
      const keys = Object.keys(ConfigSchema.properties) as (keyof Config)[];
      return Object.fromEntries(keys.map((key) => [key, redactSetting(key, deps.config[key])]));
    },
  );
}
