import { Type } from '@sinclair/typebox';
import { isoTime } from '../../../core/clock.js';
import type { Company, Product } from '../../../core/model.js';
import { createCompany } from '../../../core/psa/create-company.js';
import { createProduct } from '../../../core/psa/create-product.js';
import { deleteCompany } from '../../../core/psa/delete-company.js';
import { deleteProduct } from '../../../core/psa/delete-product.js';
import { listCompanies } from '../../../core/psa/list-companies.js';
import { listProducts } from '../../../core/psa/list-products.js';
import { fromMicros } from '../../../core/psa/money.js';
import { renameCompany } from '../../../core/psa/rename-company.js';
import { updateProduct } from '../../../core/psa/update-product.js';
import type { HttpDeps } from '../../deps.js';
import { NoContent, described, errors } from '../../schemas/common.js';
import { Company as CompanyReply, Product as ProductReply } from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { partnerAgreementRoutes } from './psa-agreements.js';
import { partnerImportRoutes } from './psa-import.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Money = Type.Union([Type.Number(), Type.String({ maxLength: 32 })], {
  description: 'An amount of at most 6 decimals, not negative, as a number or a decimal string; default 0',
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const presentCompany = (c: Company) => ({ id: c.id, name: c.name, createdAt: isoTime(c.createdAtMs) });

const presentProduct = (p: Product) => ({
  id: p.id,
  name: p.name,
  unitPrice: fromMicros(p.unitPriceMicros),
  unitCost: fromMicros(p.unitCostMicros),
  createdAt: isoTime(p.createdAtMs),
});

/** The partner's PSA ledger: companies (its customers) and products (what it bills per unit). */
export function partnerPsaRoutes(app: TypedApp, deps: HttpDeps): void {
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
        operationId: 'createCompany',
        summary: 'Create a PSA company',
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: described('The company', CompanyReply), ...errors(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const company = await createCompany(deps.ctx, partnerOf(request).id, request.body);
      return reply.code(201).send(presentCompany(company));
    },
  );

  app.get(
    '/api/partner/psa/companies',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listCompanies',
        summary: 'List PSA companies',
        description: 'Ordered by id.',
        response: { 200: described('The companies', Type.Array(CompanyReply)), ...errors(401, 403) },
      },
    },
    async (request) => {
      const page = await listCompanies(deps.ctx, partnerOf(request).id);
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
        operationId: 'createProduct',
        summary: 'Create a PSA product',
        body: Type.Object(
          { name: Name, unitPrice: Type.Optional(Money), unitCost: Type.Optional(Money) },
          { additionalProperties: false },
        ),
        response: { 201: described('The product', ProductReply), ...errors(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const product = await createProduct(deps.ctx, partnerOf(request).id, request.body);
      return reply.code(201).send(presentProduct(product));
    },
  );

  app.get(
    '/api/partner/psa/products',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listProducts',
        summary: 'List PSA products',
        description: 'Ordered by name.',
        response: { 200: described('The products', Type.Array(ProductReply)), ...errors(401, 403) },
      },
    },
    async (request) => (await listProducts(deps.ctx, partnerOf(request).id)).map(presentProduct),
  );
  app.patch(
    '/api/partner/psa/companies/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'renameCompany',
        summary: 'Rename a PSA company',
        params: IdParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: {
          200: described('The company renamed', CompanyReply),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      return presentCompany(await renameCompany(deps.ctx, partnerOf(request).id, id, request.body));
    },
  );

  app.delete(
    '/api/partner/psa/companies/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deleteCompany',
        summary: 'Delete a PSA company',
        description: '409 while it has agreements or vendor accounts mapped to it.',
        params: IdParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteCompany(deps.ctx, partnerOf(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/partner/psa/products/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'updateProduct',
        summary: 'Change a PSA product',
        description: 'Any of name, unitPrice and unitCost; the others keep their values.',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), unitPrice: Type.Optional(Money), unitCost: Type.Optional(Money) },
          { additionalProperties: false },
        ),
        response: {
          200: described('The product as changed', ProductReply),
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      return presentProduct(await updateProduct(deps.ctx, partnerOf(request).id, id, request.body));
    },
  );

  app.delete(
    '/api/partner/psa/products/:id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'deleteProduct',
        summary: 'Delete a PSA product',
        description: '409 while agreement lines bill it or vendor services are mapped to it.',
        params: IdParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteProduct(deps.ctx, partnerOf(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  partnerAgreementRoutes(app, deps);
  partnerImportRoutes(app, deps);
}
