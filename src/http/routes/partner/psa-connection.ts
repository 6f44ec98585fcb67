import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { conflict, notFound } from '../../../core/errors.js';
import {
  AUTOTASK_HOURLY_LIMIT,
  AUTOTASK_THREAD_LIMIT,
} from '../../../core/psa-connector/connection-input.js';
import { connectPsa } from '../../../core/psa-connector/connect-psa.js';
import { disconnectPsa } from '../../../core/psa-connector/disconnect-psa.js';
import { PSA_WRITE_STATES } from '../../../core/psa-connector/store.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { PsaConnectionSchema } from '../../schemas/partner.js';
import { PsaWriteDetailSchema, presentConnection, presentWriteDetail } from './present-psa.js';

const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  message: Type.String(),
  error: Type.Optional(Type.String()),
});
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const DEFAULT_WRITES = 100;

const ConnectBody = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('connectwise'),
      site: Text(300),
      companyId: Text(100),
      publicKey: Text(200),
      privateKey: Text(200),
      clientId: Text(100),
    },
    { additionalProperties: false, title: 'ConnectWise PSA' },
  ),
  Type.Object(
    {
      kind: Type.Literal('halo'),
      site: Text(300),
      authUrl: Type.Optional(Text(300)),
      clientId: Text(200),
      clientSecret: Text(500),
      tenant: Type.Optional(Text(100)),
    },
    { additionalProperties: false, title: 'HaloPSA (client credentials application)' },
  ),
  Type.Object(
    {
      kind: Type.Literal('autotask'),
      username: Text(200),
      secret: Text(500),
      integrationCode: Text(200),
      site: Type.Optional(Text(300)),
      requestsPerHour: Type.Optional(Type.Integer({ minimum: 1, maximum: AUTOTASK_HOURLY_LIMIT })),
      maxInFlight: Type.Optional(Type.Integer({ minimum: 1, maximum: AUTOTASK_THREAD_LIMIT })),
    },
    { additionalProperties: false, title: 'Datto Autotask (API-only user)' },
  ),
]);

/** The partner's PSA connection: connect, look, disconnect, sync, and the writes sent to it. */
export function partnerPsaConnectionRoutes(parent: FastifyInstance, deps: HttpDeps): void {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: PSA connection'];
  const security = PARTNER_SECURITY;
  const { store, clock } = deps.ctx;

  const current = async (partnerId: string) => {
    const connection = await store.getPsaConnection(partnerId);
    if (!connection) throw notFound('No PSA is connected');
    const budget = deps.psa.deps.budgetOf(connection);
    return presentConnection(connection, await store.latestPsaSync(partnerId), budget, clock.nowMs());
  };

  app.put(
    '/api/partner/psa/connection',
    {
      onRequest,
      schema: {
        operationId: 'connectPsa',
        tags,
        security,
        summary: 'Connect the partner’s PSA (ConnectWise PSA, HaloPSA or Datto Autotask)',
        description:
          'The credentials are tested first; a failed test answers 400 with the PSA’s reason and stores ' +
          'nothing. The keys are kept encrypted and are never returned. Addresses must be https (plain ' +
          'http only to loopback); private-network addresses need TALLY_PSA_ALLOW_PRIVATE_NETWORK=true. ' +
          'Connecting a different PSA than before fails its pending writes and keeps the mappings whose ' +
          'company and product the new PSA has under the same name (see GET /api/partner/psa/remap).',
        body: ConnectBody,
        response: { 200: PsaConnectionSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (request) => {
      const partnerId = partnerOf(request).id;
      await connectPsa(deps.ctx, deps.psa.deps, partnerId, request.body);
      return current(partnerId);
    },
  );

  app.get(
    '/api/partner/psa/connection',
    {
      onRequest,
      schema: {
        operationId: 'getPsaConnection',
        tags,
        security,
        summary: 'The PSA connection and its last sync',
        response: { 200: PsaConnectionSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => current(partnerOf(request).id),
  );

  app.delete(
    '/api/partner/psa/connection',
    {
      onRequest,
      schema: {
        operationId: 'disconnectPsa',
        tags,
        security,
        summary: 'Disconnect the PSA',
        description:
          'Synced rows stay in the ledger, read-only; writes not yet sent fail (retry after reconnecting).',
        response: { 204: Type.Null(), 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      await disconnectPsa(deps.ctx, partnerOf(request).id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/partner/psa/connection/sync',
    {
      onRequest,
      schema: {
        operationId: 'syncPsa',
        tags,
        security,
        summary: 'Sync from the PSA now',
        description:
          'A delta sync reads what changed since the last one; full=true reads everything and marks what ' +
          'the PSA no longer lists as inactive (the first sync is always full). Progress shows on ' +
          '/api/partner/events as `psa-sync` and in GET /api/partner/psa/connection. A sync already running ' +
          'answers its own id.',
        body: Type.Optional(
          Type.Object({ full: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: { 202: Type.Object({ syncId: Type.String() }), 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const syncId = await deps.psa.syncs.startSync(partnerOf(request).id, request.body?.full === true);
      return reply.code(202).send({ syncId });
    },
  );

  app.get(
    '/api/partner/psa/writes',
    {
      onRequest,
      schema: {
        operationId: 'listPsaWrites',
        tags,
        security,
        summary: 'Quantities written (or waiting to be written) to the PSA',
        description: 'Newest first.',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(PSA_WRITE_STATES.map((s) => Type.Literal(s)))),
            // Query values arrive as text and nothing is coerced.
            limit: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,4}$', description: '1–1000; default 100' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ writes: Type.Array(PsaWriteDetailSchema) }), 401: ErrorSchema },
      },
    },
    async (request) => {
      const writes = await store.listPsaWrites(partnerOf(request).id, {
        state: request.query.state,
        limit: Math.min(Math.max(Number(request.query.limit ?? DEFAULT_WRITES), 1), 1000),
      });
      return { writes: writes.map(presentWriteDetail) };
    },
  );

  app.post(
    '/api/partner/psa/writes/:id/retry',
    {
      onRequest,
      schema: {
        operationId: 'retryPsaWrite',
        tags,
        security,
        summary: 'Send a failed write again',
        description:
          'The PSA is read first: a write that already landed is not sent twice. 409 unless it failed.',
        params: Type.Object({ id: Text(64) }),
        response: { 200: PsaWriteDetailSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const partnerId = partnerOf(request).id;
      const write = await store.getPsaWrite(partnerId, request.params.id);
      if (!write) throw notFound(`No PSA write found with id: ${request.params.id}`);
      if (!(await store.retryPsaWrite(partnerId, write.id, clock.nowMs()))) {
        throw conflict(`This write is ${write.state}; only a failed write can be retried`);
      }
      deps.psa.writes.kick();
      const again = await store.getPsaWrite(partnerId, write.id);
      return presentWriteDetail(again ?? write);
    },
  );
}
