import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../../core/clock.js';
import type { Agreement, AgreementLine, PsaRef } from '../../../core/model.js';
import { createAgreement } from '../../../core/psa/create-agreement.js';
import { type AgreementLineInput, createAgreementLine } from '../../../core/psa/create-agreement-line.js';
import { deleteAgreement } from '../../../core/psa/delete-agreement.js';
import { deleteAgreementLine } from '../../../core/psa/delete-agreement-line.js';
import { renameAgreement } from '../../../core/psa/rename-agreement.js';
import { updateAgreementLine } from '../../../core/psa/update-agreement-line.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Quantity = Type.Number({ minimum: 0, description: 'Units billed; fractions allowed' });

/**
 * Where a ledger row comes from: `tally` (made by hand or CSV) or the PSA it was synced from, with
 * the PSA's own id and identifier. Synced rows are read-only here.
 */
export const presentSource = (row: { psa?: PsaRef }) => ({
  source: row.psa?.kind ?? 'tally',
  externalId: row.psa?.externalId ?? null,
  ...(row.psa?.code != null && { externalCode: row.psa.code }),
});

/** An agreement as the partner API shows it. */
export const presentAgreement = (a: Agreement) => ({
  id: a.id,
  name: a.name,
  companyId: a.companyId,
  createdAt: isoTime(a.createdAtMs),
  ...presentSource(a),
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
  ...presentSource(l),
});

/** Agreements (contracts with a company) and their lines (what they bill). */
export function partnerAgreementRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: PSA'];
  const security = PARTNER_SECURITY;
  const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

  app.get(
    '/api/partner/psa/agreements',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'List agreements',
        description: 'Ordered by company, then name.',
        querystring: Type.Object({ companyId: Type.Optional(Id) }),
      },
    },
    async (request) => {
      const { companyId } = request.query as { companyId?: string };
      return (await deps.ctx.store.listAgreements(partnerOf(request).id, { companyId })).map(
        presentAgreement,
      );
    },
  );

  app.post(
    '/api/partner/psa/agreements',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Create an agreement with a company',
        body: Type.Object({ name: Name, companyId: Id }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; companyId: string };
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
        summary: 'Rename an agreement',
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
      },
    },
    async (request) =>
      presentAgreement(
        await renameAgreement(
          deps.ctx,
          partnerOf(request).id,
          idOf(request),
          request.body as { name: string },
        ),
      ),
  );

  app.delete(
    '/api/partner/psa/agreements/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Delete an agreement',
        description: '409 while it has lines.',
        params: IdParams,
      },
    },
    async (request, reply) => {
      await deleteAgreement(deps.ctx, partnerOf(request).id, idOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/partner/psa/agreement-lines',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'List agreement lines',
        description: 'Active and inactive lines, oldest first; filter by company, product or agreement.',
        querystring: Type.Object({
          companyId: Type.Optional(Id),
          productId: Type.Optional(Id),
          agreementId: Type.Optional(Id),
        }),
      },
    },
    async (request) => {
      const filter = request.query as { companyId?: string; productId?: string; agreementId?: string };
      return (await deps.ctx.store.listAgreementLines(partnerOf(request).id, filter)).map(presentLine);
    },
  );

  app.post(
    '/api/partner/psa/agreement-lines',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Add a line to an agreement',
        description: 'The line bills the agreement’s company; active defaults to true.',
        body: Type.Object(
          { agreementId: Id, productId: Id, quantity: Quantity, active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const line = await createAgreementLine(
        deps.ctx,
        partnerOf(request).id,
        request.body as AgreementLineInput,
      );
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
        summary: 'Change a line’s quantity or active flag',
        params: IdParams,
        body: Type.Object(
          { quantity: Type.Optional(Quantity), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      presentLine(
        await updateAgreementLine(
          deps.ctx,
          partnerOf(request).id,
          idOf(request),
          request.body as { quantity?: number; active?: boolean },
        ),
      ),
  );

  app.delete(
    '/api/partner/psa/agreement-lines/:id',
    { onRequest, schema: { tags, security, summary: 'Delete an agreement line', params: IdParams } },
    async (request, reply) => {
      await deleteAgreementLine(deps.ctx, partnerOf(request).id, idOf(request));
      return reply.code(204).send();
    },
  );
}
