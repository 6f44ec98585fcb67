/**
 * Accounts and organization services are the same kind of thing to the vendor API: items with
 * vendor-chosen ids inside one integration. Their routes differ only in names and in how a create
 * treats an existing id, so both are registered from here.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { itemId } from '../../../core/accounts/create-items.js';
import { listItems, type MappedItem, withMappings } from '../../../core/accounts/list-items.js';
import { type ItemUpdate, updateItems } from '../../../core/accounts/update-items.js';
import type { CoreContext } from '../../../core/context.js';
import { badRequest } from '../../../core/errors.js';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_ID_LENGTH,
  MAX_ITEMS_PER_REQUEST,
  MAX_NAME_LENGTH,
} from '../../../core/limits/input-limits.js';
import { pageOfList, pageQuery } from '../../paging.js';
import type { Account, Integration, MappingKind, OrgService } from '../../../core/model.js';
import type { ItemInput } from '../../../core/ports.js';
import type { HttpDeps } from '../../deps.js';
import { integrationOf, vendorAuth } from '../../vendor-auth.js';
import { presentItem } from './present.js';

/**
 * A number id is kept as its decimal string. Numbers beyond the safe-integer range have already lost
 * digits in JSON parsing, so they are refused rather than silently naming a different item.
 */
const ItemId = Type.Union(
  [
    Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }),
    Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
  ],
  { description: 'The vendor’s own id, a string or an integer; 101 and "101" are the same item' },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH }),
  // null is read as "no description": dynamic-language clients send it for an empty optional field.
  description: Type.Union([Type.String({ maxLength: MAX_DESCRIPTION_LENGTH }), Type.Null()]),
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

const ItemRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  isActive: Type.Boolean(),
  isArrears: Type.Boolean(),
  isMapped: Type.Boolean({ description: 'The partner has mapped it to a PSA company or product' }),
  mappingId: Type.Optional(Type.String({ description: 'The PSA company or product id it maps to' })),
});
const ItemRows = Type.Array(ItemRow);

const IdList = Type.Union([Type.String(), Type.Array(Type.String())], {
  description: 'Repeat the parameter or separate ids with commas',
});

type NewItemT = { id: string | number; name: string; description?: string | null; isArrears?: boolean };
type ItemPatchT = {
  name?: string;
  description?: string | null;
  isActive?: boolean;
  isArrears?: boolean;
};
type ItemUpdateT = ItemPatchT & { id: string | number };

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

const toPatch = (body: ItemPatchT) => ({
  name: body.name,
  description: body.description === null ? '' : body.description,
  isActive: body.isActive,
  isArrears: body.isArrears,
});

const toInput = (body: NewItemT): ItemInput => ({
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
  createDescription: string;
  create(ctx: CoreContext, integration: Integration, inputs: ItemInput[]): Promise<(Account | OrgService)[]>;
}

/** Registers the list, create, update-one and bulk-update routes of one item kind. */
export function registerItemRoutes(app: FastifyInstance, deps: HttpDeps, spec: ItemRouteSpec): void {
  // Authentication runs on request, before the body is parsed or validated, so a caller without a
  // valid token learns nothing from error messages about its body (contract order: 401 before 400).
  const onRequest = vendorAuth(deps, 'integration');
  const { kind, tags } = spec;
  const collection = `/api/vendor-api/organization/${spec.path}`;

  app.get(
    collection,
    {
      onRequest,
      schema: {
        tags,
        summary: spec.summaries.list,
        querystring: Type.Object({
          ...Object.fromEntries(spec.idFilters.map((name) => [name, Type.Optional(IdList)])),
          returnUnmapped: Type.Optional(
            Type.String({ description: 'true (default): all; false: only the ones the partner mapped' }),
          ),
          ...pageQuery(MAX_ITEMS_PER_REQUEST),
        }),
        response: { 200: ItemRows },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | string[] | undefined>;
      const rows = await listItems(deps.ctx, integrationOf(request), kind, {
        ids: parseIds(spec.idFilters.map((name) => query[name])),
        returnUnmapped: parseReturnUnmapped(query.returnUnmapped as string | undefined),
      });
      // As many per page as one bulk request may create, so a client that lists what it created
      // in one request sees it on one page.
      return present(pageOfList(request, reply, rows, MAX_ITEMS_PER_REQUEST));
    },
  );

  app.post(
    collection,
    {
      onRequest,
      schema: {
        tags,
        summary: spec.summaries.create,
        description: spec.createDescription,
        body: Type.Union([Type.Array(NewItem), NewItem]),
        response: { 201: ItemRows },
      },
    },
    async (request, reply) => {
      const integration = integrationOf(request);
      const written = await spec.create(
        deps.ctx,
        integration,
        asList(request.body as NewItemT | NewItemT[]).map(toInput),
      );
      return reply.code(201).send(present(await withMappings(deps.ctx, integration, kind, written)));
    },
  );

  app.patch(
    `${collection}/:${spec.idParam}`,
    {
      onRequest,
      schema: {
        tags,
        summary: spec.summaries.updateOne,
        description: 'Any of name, description, isActive, isArrears; at least one.',
        params: Type.Object({ [spec.idParam]: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }) }),
        body: ItemPatch,
        response: { 200: ItemRow },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const id = (request.params as Record<string, string>)[spec.idParam] as string;
      const update: ItemUpdate = { id, ...toPatch((request.body ?? {}) as ItemPatchT) };
      const written = await updateItems(deps.ctx, integration, kind, [update]);
      const [row] = present(await withMappings(deps.ctx, integration, kind, written));
      return row;
    },
  );

  app.patch(
    collection,
    {
      onRequest,
      schema: {
        tags,
        summary: spec.summaries.updateMany,
        description:
          'An array of { id, ...fields } (a single object is also accepted); all are applied or none.',
        body: Type.Union([Type.Array(ItemUpdateBody), ItemUpdateBody]),
        response: { 200: ItemRows },
      },
    },
    async (request) => {
      const integration = integrationOf(request);
      const updates = asList(request.body as ItemUpdateT | ItemUpdateT[]).map((u): ItemUpdate => ({
        id: itemId(u.id),
        ...toPatch(u),
      }));
      const written = await updateItems(deps.ctx, integration, kind, updates);
      return present(await withMappings(deps.ctx, integration, kind, written));
    },
  );
}
