import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import type { Agreement, AgreementLine } from '../../../core/model.js';
import { createAgreement } from '../../../core/psa/create-agreement.js';
import { createAgreementLine } from '../../../core/psa/create-agreement-line.js';
import { deleteAgreement } from '../../../core/psa/delete-agreement.js';
import { deleteAgreementLine } from '../../../core/psa/delete-agreement-line.js';
import { listAgreementLines } from '../../../core/psa/list-agreement-lines.js';
import { listAgreements } from '../../../core/psa/list-agreements.js';
import { renameAgreement } from '../../../core/psa/rename-agreement.js';
import { updateAgreementLine } from '../../../core/psa/update-agreement-line.js';
import type { HttpDeps } from '../../deps.js';
import { NoContent, described, errors } from '../../schemas/common.js';
import { Agreement as AgreementReply, AgreementLine as LineReply } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Quantity = Type.Number({ minimum: 0, description: 'Units billed; fractions allowed' });

/** An agreement as the partner API shows it. */
export const presentAgreement = (a: Agreement) => ({
  id: a.id,
  name: a.name,
  companyId: a.companyId,
  createdAt: isoTime(a.createdAtMs),
});

/** An agreement line as the partner API shows it. */
export const presentLine = (l: AgreementLine) => ({
  id: l.id,
  agreementId: l.agreementId,
  companyId: l.companyId,
  productId: l.productId,
  quantity: l.quantity,
  active: l.active,
  updatedAt: isoTime(l.updatedAtMs),
});

/** Agreements (contracts with a company) and their lines (what they bill). */
export function partnerAgreementRoutes(app: TypedApp, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: PSA'];
  const security = PARTNER_SECURITY;

  app.get(
    '/api/partner/psa/agreements',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listAgreements',
        summary: 'List agreements',
        description: 'Ordered by company, then name.',
        querystring: Type.Object({ companyId: Type.Optional(Id) }),
        response: {
          200: described('The agreements', Type.Array(AgreementReply)),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { companyId } = request.query;
      return (await listAgreements(deps.ctx, partnerOf(request).id, { companyId })).map(presentAgreement);
    },
  );

  app.post(
    '/api/partner/psa/agreements',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'createAgreement',
        summary: 'Create an agreement with a company',
        body: Type.Object({ name: Name, companyId: Id }, { additionalProperties: false }),
        response: {
          201: described('The agreement', AgreementReply),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return reply
        .code(201)
        .send(presentAgreement(await createAgreement(deps.ctx, partnerOf(request).id, body)));
    },
  );

  app.patch(
    '/api/partner/psa/agreements/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'renameAgreement',
        summary: 'Rename an agreement',
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: {
          200: described('The agreement renamed', AgreementReply),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) =>
      presentAgreement(
        await renameAgreement(deps.ctx, partnerOf(request).id, request.params.id, request.body),
      ),
  );

  app.delete(
    '/api/partner/psa/agreements/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deleteAgreement',
        summary: 'Delete an agreement',
        description: '409 while it has lines.',
        params: IdParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteAgreement(deps.ctx, partnerOf(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/partner/psa/agreement-lines',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listAgreementLines',
        summary: 'List agreement lines',
        description: 'Active and inactive lines, oldest first; filter by company, product or agreement.',
        querystring: Type.Object({
          companyId: Type.Optional(Id),
          productId: Type.Optional(Id),
          agreementId: Type.Optional(Id),
        }),
        response: { 200: described('The lines', Type.Array(LineReply)), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const filter = request.query;
      return (await listAgreementLines(deps.ctx, partnerOf(request).id, filter)).map(presentLine);
    },
  );

  app.post(
    '/api/partner/psa/agreement-lines',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'createAgreementLine',
        summary: 'Add a line to an agreement',
        description: 'The line bills the agreement’s company; active defaults to true.',
        body: Type.Object(
          { agreementId: Id, productId: Id, quantity: Quantity, active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: described('The line', LineReply), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const line = await createAgreementLine(deps.ctx, partnerOf(request).id, request.body);
      return reply.code(201).send(presentLine(line));
    },
  );

  app.patch(
    '/api/partner/psa/agreement-lines/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'updateAgreementLine',
        summary: 'Change a line’s quantity or active flag',
        params: IdParams,
        body: Type.Object(
          { quantity: Type.Optional(Quantity), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: {
          200: described('The line as changed', LineReply),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) =>
      presentLine(
        await updateAgreementLine(deps.ctx, partnerOf(request).id, request.params.id, request.body),
      ),
  );

  app.delete(
    '/api/partner/psa/agreement-lines/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deleteAgreementLine',
        summary: 'Delete an agreement line',
        params: IdParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteAgreementLine(deps.ctx, partnerOf(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
