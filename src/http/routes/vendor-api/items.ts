/**
 * Accounts and organization services are the same kind of thing to the vendor API: items with
 * vendor-chosen ids inside one integration. Their routes differ only in names and in how a create
 * treats an existing id, so both are registered from here.
 */
import { type Static, type TOptional, Type } from '@sinclair/typebox';
import { itemId } from '../../../core/accounts/create-items.js';
import { listItems, type MappedItem, withMappings } from '../../../core/accounts/list-items.js';
import { type ItemUpdate, updateItems } from '../../../core/accounts/update-items.js';
import type { CoreContext } from '../../../core/context.js';
import { badRequest } from '../../../core/errors.js';
import type { Account, Integration, MappingKind, OrgService } from '../../../core/model.js';
import type { ItemInput } from '../../../core/ports.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import { ItemRow, ItemRows } from '../../schemas/vendor.js';
import type { TypedApp } from '../../typed-app.js';
import { integrationOf, vendorAuth } from '../../vendor-auth.js';
import { presentItem } from './present.js';

/**
 * A number id is kept as its decimal string. Numbers beyond the safe-integer range have already lost
 * digits in JSON parsing, so they are refused rather than silently naming a different item.
 */
const ItemId = Type.Union(
  [
    Type.String({ minLength: 1, maxLength: 256 }),
    Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
  ],
  { description: 'The vendor’s own id, a string or an integer; 101 and "101" are the same item' },
);

const fields = {
  name: Type.String({ minLength: 1 }),
  // null is read as "no description": dynamic-language clients send it for an empty optional field.
  description: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean({ description: 'false: counts are refused (404) and billing views drop it' }),
  isArrears: Type.Boolean(),
};

const NewItem = Type.Object({
  id: ItemId,
  name: fields.name,
  description: Type.Optional(fields.description),
  isArrears: Type.Optional(fields.isArrears),
});
const ItemPatch = Type.Object({
  name: Type.Optional(fields.name),
  description: Type.Optional(fields.description),
  isActive: Type.Optional(fields.isActive),
  isArrears: Type.Optional(fields.isArrears),
});
const ItemUpdateBody = Type.Object({ id: ItemId, ...ItemPatch.properties });

const IdList = Type.Union([Type.String(), Type.Array(Type.String())], {
  description: 'Repeat the parameter or separate ids with commas',
});

/** One list of ids from repeated and comma-separated parameters; undefined when none is named. */
const parseIds = (values: (string | string[] | undefined)[]): string[] | undefined => {
  const ids = values
    .flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return ids.length > 0 ? [...new Set(ids)] : undefined;
};

/** PowerShell turns $false into "False", so the flag is read without regard to case. */
const parseReturnUnmapped = (value: string | undefined): boolean => {
  if (value === undefined) return true;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  throw badRequest('returnUnmapped must be true or false');
};

const toPatch = (body: Static<typeof ItemPatch>) => ({
  name: body.name,
  description: body.description === null ? '' : body.description,
  isActive: body.isActive,
  isArrears: body.isArrears,
});

const toInput = (body: Static<typeof NewItem>): ItemInput => ({
  id: itemId(body.id),
  name: body.name,
  description: body.description === null ? '' : body.description,
  isArrears: body.isArrears,
});

/** A bare object stands for a one-element list: some clients send one new item that way. */
const asList = <T>(body: T | T[]): T[] => (Array.isArray(body) ? body : [body]);

const present = (rows: MappedItem[]) => rows.map((r) => presentItem(r.item, r.mapping));

/** What distinguishes accounts from organization services on the wire. */
export interface ItemRouteSpec {
  kind: MappingKind;
  /** Collection path under /api/vendor-api/organization. */
  path: string;
  tags: string[];
  /** Path parameter naming one item. */
  idParam: string;
  /** Query parameters that filter the list by id; the first is the documented one. */
  idFilters: string[];
  summaries: { list: string; create: string; updateOne: string; updateMany: string };
  /** Stable OpenAPI operation ids, e.g. listAccounts. */
  operationIds: { list: string; create: string; updateOne: string; updateMany: string };
  createDescription: string;
  create(ctx: CoreContext, integration: Integration, inputs: ItemInput[]): Promise<(Account | OrgService)[]>;
}

/** Registers the list, create, update-one and bulk-update routes of one item kind. */
export function registerItemRoutes(app: TypedApp, deps: HttpDeps, spec: ItemRouteSpec): void {
  // Authentication runs on request, before the body is parsed or validated, so a caller without a
  // valid token learns nothing from error messages about its body (contract order: 401 before 400).
  const onRequest = vendorAuth(deps, 'integration');
  const { kind, tags, operationIds } = spec;
  const security = [{ GradientToken: [] }];
  const noun = kind === 'account' ? 'accounts' : 'organization services';
  const collection = `/api/vendor-api/organization/${spec.path}`;
  const idFilters: Record<string, TOptional<typeof IdList>> = Object.fromEntries(
    spec.idFilters.map((name) => [name, Type.Optional(IdList)]),
  );

  app.get(
    collection,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: operationIds.list,
        summary: spec.summaries.list,
        querystring: Type.Object({
          ...idFilters,
          returnUnmapped: Type.Optional(
            Type.String({ description: 'true (default): all; false: only the ones the partner mapped' }),
          ),
        }),
        response: { 200: described(`The ${noun}, a bare array`, ItemRows), ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const query = request.query;
      // The id filters are named by the spec, so they are read by name.
      const byName: Record<string, string | string[] | undefined> = query;
      const rows = await listItems(deps.ctx, integrationOf(request), kind, {
        ids: parseIds(spec.idFilters.map((name) => byName[name])),
        returnUnmapped: parseReturnUnmapped(query.returnUnmapped),
      });
      return present(rows);
    },
  );

  app.post(
    collection,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: operationIds.create,
        summary: spec.summaries.create,
        description: spec.createDescription,
        body: Type.Union([Type.Array(NewItem), NewItem]),
        response: {
          201: described(`The ${noun} written, a bare array`, ItemRows),
          ...errors(400, 401, 403, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const integration = integrationOf(request);
      const written = await spec.create(deps.ctx, integration, asList(request.body).map(toInput));
      return reply.code(201).send(present(await withMappings(deps.ctx, integration, kind, written)));
    },
  );

  app.patch(
    `${collection}/:${spec.idParam}`,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: operationIds.updateOne,
        summary: spec.summaries.updateOne,
        description: 'Any of name, description, isActive, isArrears; at least one.',
        params: Type.Object({ [spec.idParam]: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: ItemPatch,
        response: {
          200: described('The item as changed, a bare object', ItemRow),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const id = request.params[spec.idParam];
      if (id === undefined) throw new Error(`Route lacks its :${spec.idParam} parameter`);
      const update: ItemUpdate = { id, ...toPatch(request.body ?? {}) };
      const written = await updateItems(deps.ctx, integration, kind, [update]);
      const [row] = present(await withMappings(deps.ctx, integration, kind, written));
      if (!row) throw new Error('An update wrote no item');
      return row;
    },
  );

  app.patch(
    collection,
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: operationIds.updateMany,
        summary: spec.summaries.updateMany,
        description:
          'An array of { id, ...fields } (a single object is also accepted); all are applied or none.',
        body: Type.Union([Type.Array(ItemUpdateBody), ItemUpdateBody]),
        response: {
          200: described(`The ${noun} as changed, a bare array`, ItemRows),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const updates = asList(request.body).map((u): ItemUpdate => ({
        id: itemId(u.id),
        ...toPatch(u),
      }));
      const written = await updateItems(deps.ctx, integration, kind, updates);
      return present(await withMappings(deps.ctx, integration, kind, written));
    },
  );
}
