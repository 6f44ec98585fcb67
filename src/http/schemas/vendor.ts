/**
 * The vendor API's reply shapes (docs/vendor-api.md §2–4). Each lists every property the presenters
 * in routes/vendor-api/present.ts write: a response schema drops what it does not list.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { IsoTime, Nullable } from './common.js';

const ObjectId = Type.String({ pattern: '^[0-9a-f]{24}$', examples: ['6650f1c2a1b2c3d4e5f60718'] });

export const Sku = Type.Object({
  _id: ObjectId,
  id: ObjectId,
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  subcategory: Type.String(),
  supportArticle: Type.Optional(Type.String()),
  supportContact: Type.Optional(Type.String()),
  logo: Type.Optional(Type.String()),
});

export const Vendor = Type.Object({
  _id: ObjectId,
  id: ObjectId,
  name: Type.String(),
  description: Type.String(),
  integrationType: Type.String(),
  imageUri: Type.Optional(Type.String()),
  isDistributor: Type.Boolean(),
  integrationPortalUrl: Type.Optional(Type.String()),
  vendorSupportPageUrl: Type.Optional(Type.String()),
  externalIntegrationStatus: Type.String(),
  mappingResponsibilities: Type.Array(Type.String()),
  modules: Type.Array(Type.Object({ variation: Type.String() })),
  organizationId: Type.Optional(Type.String()),
  attributes: Type.Object({}, { additionalProperties: true }),
  skus: Type.Array(Sku),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  __v: Type.Integer(),
});

export const Billing = Type.Object(
  {
    state: Type.Union([Type.Literal('idle'), Type.Literal('scheduled'), Type.Literal('building')]),
    unbuiltChanges: Type.Integer({ description: 'Accepted changes not in the billing view yet' }),
    dueAt: Nullable(IsoTime),
    lastBuiltAt: Nullable(IsoTime),
    builtRevision: Type.Integer(),
    builds: Type.Integer({ description: 'Builds run for this integration so far' }),
  },
  { description: 'Where the billing-view build of the integration stands' },
);

export const Integration = Type.Object({
  organizationId: Type.String({ description: "The partner's id" }),
  name: Type.String({ description: "The partner's name" }),
  vendorId: Type.String(),
  vendorName: Type.String(),
  integrationId: Type.String(),
  status: Type.String({ examples: ['active'] }),
  lastSyncedAt: IsoTime,
  billing: Billing,
});

export const ItemRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  isActive: Type.Boolean(),
  isArrears: Type.Boolean(),
  isMapped: Type.Boolean({ description: 'The partner has mapped it to a PSA company or product' }),
  mappingId: Type.Optional(Type.String({ description: 'The PSA company or product id it maps to' })),
});
export const ItemRows = Type.Array(ItemRow);

/** `{ status, data, message }`: the envelope some routes of the original answer in. */
export const Envelope = <T extends TSchema>(status: number, data: T, message: string) =>
  Type.Object({
    status: Type.Literal(status),
    data,
    message: Type.String({ examples: [message] }),
  });

export const CountResult = Type.Object({
  accountId: Type.String(),
  serviceId: Type.String(),
  unitCount: Type.Number(),
  previousUnitCount: Nullable(Type.Number()),
  revision: Type.Integer(),
  build: Billing,
});

export const Clients = Type.Object({
  meta: Type.Object({ total: Type.Integer(), count: Type.Integer(), lastId: Nullable(Type.String()) }),
  clients: Type.Array(Type.Object({ _id: Type.String(), id: Type.String(), name: Type.String() })),
});

export const AlertCreated = Type.Object({
  messageId: Type.String({ format: 'uuid' }),
  alertId: Type.String(),
  correlationID: ObjectId,
});

export const AlertDebug = Type.Object({
  ticketId: Nullable(Type.String()),
  createdAt: Nullable(IsoTime),
  message: Type.String(),
  messageId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('success'), Type.Literal('failed')]),
  statusCode: Nullable(Type.Integer()),
  errors: Type.Array(Type.String()),
});

export type VendorReply = Static<typeof Vendor>;
export type IntegrationReply = Static<typeof Integration>;
export type BillingReply = Static<typeof Billing>;
