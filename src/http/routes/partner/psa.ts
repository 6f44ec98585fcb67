import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../../core/clock.js';
import type { Company, Product } from '../../../core/model.js';
import { createCompany } from '../../../core/psa/create-company.js';
import { type ProductInput, createProduct } from '../../../core/psa/create-product.js';
import { deleteCompany } from '../../../core/psa/delete-company.js';
import { deleteProduct } from '../../../core/psa/delete-product.js';
import { fromMicros } from '../../../core/psa/money.js';
import { renameCompany } from '../../../core/psa/rename-company.js';
import { updateProduct } from '../../../core/psa/update-product.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { partnerAgreementRoutes, presentSource } from './psa-agreements.js';
import { partnerImportRoutes } from './psa-import.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Money = Type.Union([Type.Number(), Type.String({ maxLength: 32 })], {
  description: 'An amount of at most 6 decimals, not negative, as a number or a decimal string; default 0',
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const presentCompany = (c: Company) => ({
  id: c.id,
  name: c.name,
  createdAt: isoTime(c.createdAtMs),
  ...presentSource(c),
});

const presentProduct = (p: Product) => ({
  id: p.id,
  name: p.name,
  unitPrice: fromMicros(p.unitPriceMicros),
  unitCost: fromMicros(p.unitCostMicros),
  createdAt: isoTime(p.createdAtMs),
  ...presentSource(p),
});

/** The partner's PSA ledger: companies (its customers) and products (what it bills per unit). */
export function partnerPsaRoutes(app: FastifyInstance, deps: HttpDeps): void {
  // Authentication runs before the body is read, so a caller without a token learns nothing.
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: PSA'];
  const security = PARTNER_SECURITY;

  app.post(
    '/api/partner/psa/companies',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Create a PSA company',
        body: Type.Object({ name: Name }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const company = await createCompany(deps.ctx, partnerOf(request).id, request.body as { name: string });
      return reply.code(201).send(presentCompany(company));
    },
  );

  app.get(
    '/api/partner/psa/companies',
    { onRequest, schema: { tags, security, summary: 'List PSA companies', description: 'Ordered by id.' } },
    async (request) => {
      const page = await deps.ctx.store.listCompanies(partnerOf(request).id, {});
      return page.rows.map(presentCompany);
    },
  );

  app.post(
    '/api/partner/psa/products',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Create a PSA product',
        body: Type.Object(
          { name: Name, unitPrice: Type.Optional(Money), unitCost: Type.Optional(Money) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const product = await createProduct(deps.ctx, partnerOf(request).id, request.body as ProductInput);
      return reply.code(201).send(presentProduct(product));
    },
  );

  app.get(
    '/api/partner/psa/products',
    { onRequest, schema: { tags, security, summary: 'List PSA products', description: 'Ordered by name.' } },
    async (request) => (await deps.ctx.store.listProducts(partnerOf(request).id)).map(presentProduct),
  );
  app.patch(
    '/api/partner/psa/companies/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Rename a PSA company',
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return presentCompany(
        await renameCompany(deps.ctx, partnerOf(request).id, id, request.body as { name: string }),
      );
    },
  );

  app.delete(
    '/api/partner/psa/companies/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Delete a PSA company',
        description: '409 while it has agreements or vendor accounts mapped to it.',
        params: IdParams,
      },
    },
    async (request, reply) => {
      await deleteCompany(deps.ctx, partnerOf(request).id, (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );

  app.patch(
    '/api/partner/psa/products/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Change a PSA product',
        description: 'Any of name, unitPrice and unitCost; the others keep their values.',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), unitPrice: Type.Optional(Money), unitCost: Type.Optional(Money) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return presentProduct(
        await updateProduct(deps.ctx, partnerOf(request).id, id, request.body as Partial<ProductInput>),
      );
    },
  );

  app.delete(
    '/api/partner/psa/products/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Delete a PSA product',
        description: '409 while agreement lines bill it or vendor services are mapped to it.',
        params: IdParams,
      },
    },
    async (request, reply) => {
      await deleteProduct(deps.ctx, partnerOf(request).id, (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );

  partnerAgreementRoutes(app, deps);
  partnerImportRoutes(app, deps);
}
