import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigSchema } from '../../../config/config.js';
import { redactSetting } from '../../../config/redact.js';
import { isoTime } from '../../../core/clock.js';
import { badRequest } from '../../../core/errors.js';
import { connectIntegration } from '../../../core/integrations/connect.js';
import { createPartner } from '../../../core/partners/create-partner.js';
import { createSandboxVendor } from '../../../core/sandbox/create-sandbox.js';
import { addPartnerUser } from '../../../core/users/add-partner-user.js';
import { createVendor } from '../../../core/vendors/create-vendor.js';
import { reissueVendorKey } from '../../../core/vendors/reissue-vendor-key.js';
import { adminAuth } from '../../admin-auth.js';
import type { HttpDeps } from '../../deps.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Id = Type.String({ minLength: 1, maxLength: 64 });

/**
 * The operator's API under /api/admin, for the same jobs as the `tally` CLI: register vendors and
 * partners, connect them, read the configuration. Keys and tokens are answered once.
 */
export function adminApiRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = adminAuth(deps);
  const tags = ['Admin'];
  const security = [{ Bearer: [] }];

  app.get(
    '/api/admin/vendors',
    { onRequest, schema: { tags, security, summary: 'List vendors' } },
    async () => {
      const sandboxes = new Set(await deps.ctx.store.listSandboxVendorIds());
      return (await deps.ctx.store.listVendors()).map((v) => ({
        id: v.id,
        name: v.name,
        description: v.description,
        sandbox: sandboxes.has(v.id),
        createdAt: isoTime(v.createdAtMs),
      }));
    },
  );

  app.post(
    '/api/admin/vendors',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Register a vendor',
        description:
          'Answers the vendor key once; it is stored only as a digest. With `sandbox: true`, a sandbox vendor: ' +
          'Tally also makes the sandbox partner it alone connects to and answers the partner token, the ' +
          'integration, its partner key and the ready GRADIENT-TOKEN; with `userEmail`, also a web UI user of the ' +
          'sandbox partner (its password generated and answered once unless given).',
        body: Type.Object({
          name: Name,
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          sandbox: Type.Optional(Type.Boolean()),
          userEmail: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
          userName: Type.Optional(Type.String({ maxLength: 200 })),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body as {
        name: string;
        description?: string;
        sandbox?: boolean;
        userEmail?: string;
        userName?: string;
        password?: string;
      };
      if (body.sandbox === true) {
        const { vendor, ...made } = await createSandboxVendor(deps.ctx, body);
        return reply.code(201).send({ vendorId: vendor.id, sandbox: true, ...made });
      }
      if (body.userEmail !== undefined) throw badRequest('userEmail is only taken with sandbox: true');
      const { vendor, vendorKey } = await createVendor(deps.ctx, body);
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
        summary: 'Replace a vendor key',
        description: 'The old key is refused at once.',
        params: Type.Object({ vendorId: Id }),
      },
    },
    async (request) => reissueVendorKey(deps.ctx, (request.params as { vendorId: string }).vendorId),
  );

  app.get(
    '/api/admin/partners',
    { onRequest, schema: { tags, security, summary: 'List partners' } },
    async () =>
      (await deps.ctx.store.listPartners()).map((p) => ({
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
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; userEmail?: string; userName?: string; password?: string };
      const { partner, partnerToken } = await createPartner(deps.ctx, { name: body.name });
      const added =
        body.userEmail === undefined
          ? null
          : await addPartnerUser(deps.ctx, {
              partnerId: partner.id,
              email: body.userEmail,
              name: body.userName,
              password: body.password,
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
        summary: 'Connect a vendor to a partner',
        description:
          'Answers the partner key once; the GRADIENT-TOKEN is base64 of "<vendorKey>:<partnerKey>".',
        body: Type.Object({ vendorId: Id, partnerId: Id }),
      },
    },
    async (request, reply) => {
      const { integration, partnerKey } = await connectIntegration(
        deps.ctx,
        request.body as { vendorId: string; partnerId: string },
      );
      return reply.code(201).send({ integrationId: integration.id, partnerKey });
    },
  );

  app.get(
    '/api/admin/config',
    { onRequest, schema: { tags, security, summary: 'The effective configuration, secrets masked' } },
    async () => {
      const keys = Object.keys(ConfigSchema.properties) as (keyof Config)[];
      return Object.fromEntries(keys.map((key) => [key, redactSetting(key, deps.config[key])]));
    },
  );
}
