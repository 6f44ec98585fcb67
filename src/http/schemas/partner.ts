/**
 * The partner API's reply shapes (docs/partner-api.md). The web UI takes its types from here, so the
 * server and the page cannot disagree about a field.
 */
import { type Static, Type } from '@sinclair/typebox';
import { AUDIT_ACTIONS, CARD_ACTIONS, PSA_KINDS } from '../../core/model.js';
import { IsoTime, Nullable } from './common.js';
import { Billing } from './vendor.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Money = Type.Number({ description: 'An amount in the currency of the PSA, up to 6 decimals' });

export const Session = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  partner: Type.Object({ id: Type.String(), name: Type.String() }),
});

export const PsaKindSchema = literals(PSA_KINDS);

export const CardStateSchema = literals(['new_revenue', 'reconcile', 'no_change'] as const);

export const CardSource = Type.Object({
  integrationId: Type.String(),
  vendorId: Type.String(),
  vendorName: Type.String(),
  vendorQuantity: Type.Number(),
});

export const CardDecision = Type.Object({
  action: literals(CARD_ACTIONS),
  at: IsoTime,
  by: Type.String({ description: "The user's email, or 'api token'" }),
  effectiveDate: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  quantity: Nullable(Type.Number()),
});

/** Where a ledger row comes from: Tally (hand-made or CSV) or the PSA it was synced from. */
const SourceFields = {
  source: literals(['tally', ...PSA_KINDS] as const),
  externalId: Nullable(Type.String({ description: "The PSA's id of the row; null for tally rows" })),
  externalCode: Type.Optional(Type.String({ description: "The PSA's short identifier, when it has one" })),
};

export const CardPsaWrite = Type.Object({
  id: Type.String(),
  state: literals(['pending', 'written', 'failed'] as const),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  updatedAt: IsoTime,
});

export const Card = Type.Object({
  id: Type.String(),
  companyId: Type.String(),
  companyName: Type.String(),
  productId: Type.String(),
  productName: Type.String(),
  vendorName: Type.String({ description: 'Every vendor of the card, comma separated' }),
  integrationId: Nullable(Type.String()),
  sources: Type.Array(CardSource),
  vendorQuantity: Type.Number(),
  psaQuantity: Type.Number(),
  difference: Type.Number(),
  state: CardStateSchema,
  unitPrice: Money,
  unitCost: Money,
  monthlyEffect: Money,
  marginEffect: Money,
  lastChangedAt: Nullable(IsoTime),
  vendorCounted: Type.Boolean({
    description: 'false: a vendor maps the product but sent no count for this company (it reports 0)',
  }),
  action: Nullable(CardDecision),
  psa: Nullable(
    Type.Object(
      { kind: PsaKindSchema, externalId: Type.String() },
      {
        description: "Cards of companies synced from the PSA: the company's PSA id",
      },
    ),
  ),
  psaWrite: Nullable(CardPsaWrite),
  psaLockedReason: Nullable(
    Type.String({
      description:
        'Why the PSA takes no quantity for this card’s line (HaloPSA computes it from licences or ' +
        'users): approving or adjusting it answers 409',
    }),
  ),
});

export const Board = Type.Object({
  period: Type.String({ examples: ['2026-11'] }),
  builtAt: Nullable(IsoTime),
  currency: Type.String({ description: 'ISO 4217 code of every amount (the partner setting)' }),
  totals: Type.Object({
    linesToReview: Type.Integer(),
    revenueFound: Money,
    marginFound: Money,
    revenueFoundLines: Type.Integer(),
    overBilled: Money,
    overBilledLines: Type.Integer(),
    net: Money,
    linesWithoutVendor: Type.Integer(),
    unitsHeldBack: Type.Number(),
    itemsHeldBack: Type.Integer(),
  }),
  cards: Type.Array(Card),
});

export const CardHistory = Type.Object({
  points: Type.Array(Type.Object({ at: IsoTime, vendorQuantity: Type.Number() })),
});

/** A line or agreement to choose when a PSA write is ambiguous. */
export const PsaCandidate = Type.Object({
  agreementLineId: Type.Optional(Type.String()),
  agreementId: Type.String(),
  agreementName: Nullable(Type.String()),
  quantity: Type.Optional(Type.Number()),
  externalId: Nullable(Type.String()),
});

export const CardActionResults = Type.Object({
  results: Type.Array(
    Type.Object({
      cardId: Type.String(),
      ok: Type.Boolean(),
      agreementLineId: Type.Optional(Type.String()),
      psaWriteId: Type.Optional(Type.String({ description: 'The write queued for the PSA' })),
      error: Type.Optional(Type.String()),
      candidates: Type.Optional(Type.Array(PsaCandidate)),
    }),
  ),
});

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: IsoTime,
  by: Type.String(),
  action: literals(AUDIT_ACTIONS),
  period: Type.String(),
  cardId: Type.String(),
  companyId: Type.String(),
  companyName: Nullable(Type.String()),
  productId: Type.String(),
  productName: Nullable(Type.String()),
  fromQuantity: Type.Number(),
  toQuantity: Nullable(Type.Number()),
  effectiveDate: Nullable(Type.String()),
  agreementLineId: Nullable(Type.String()),
});
export const AuditLog = Type.Object({ entries: Type.Array(AuditEntry) });

export const CountHistory = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      accountId: Type.String(),
      serviceId: Type.String(),
      at: IsoTime,
      unitCount: Type.Number(),
      previousUnitCount: Nullable(Type.Number()),
      revision: Type.Integer(),
      requestId: Type.String(),
      idempotencyKey: Nullable(Type.String()),
      note: Nullable(
        Type.String({
          description: '"applied from a count sent at T while unmapped" for an applied waiting count',
        }),
      ),
    }),
  ),
  nextBefore: Nullable(Type.String({ description: 'Pass as before= for the next page' })),
});

export const IntegrationRow = Type.Object({
  id: Type.String(),
  vendorId: Type.String(),
  vendorName: Type.String(),
  status: Type.String(),
  lastSyncedAt: Nullable(IsoTime),
  disconnectedAt: Nullable(IsoTime),
  pausedAt: Nullable(IsoTime),
  createdAt: IsoTime,
  billing: Billing,
});

export const Waiting = Type.Object({
  accountId: Type.String(),
  serviceId: Type.String(),
  unitCount: Type.Number(),
  reason: literals(['account_unmapped', 'service_unmapped'] as const),
  attempts: Type.Integer(),
  lastAttemptAt: IsoTime,
  olderThanPeriod: Type.Boolean({
    description: 'Sent before this period: mapping offers it, not applies it',
  }),
});

const WaitingApplied = Type.Object({ applied: Type.Integer(), offered: Type.Integer() });

export const AccountMapping = Type.Object({ companyId: Nullable(Type.String()), excluded: Type.Boolean() });
export const ServiceMapping = Type.Object({ productId: Nullable(Type.String()), excluded: Type.Boolean() });

export const MappableAccount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  isActive: Type.Boolean(),
  mapping: Nullable(AccountMapping),
  waiting: Type.Array(Waiting),
});

export const MappableService = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  source: literals(['vendor', 'organization'] as const),
  isActive: Type.Boolean(),
  mapping: Nullable(ServiceMapping),
  waiting: Type.Array(Waiting),
});

export const AccountMappingChange = Type.Object({
  accountId: Type.String(),
  mapping: Nullable(AccountMapping),
  billing: Billing,
  waiting: Type.Optional(WaitingApplied),
});
export const ServiceMappingChange = Type.Object({
  serviceId: Type.String(),
  mapping: Nullable(ServiceMapping),
  billing: Billing,
  waiting: Type.Optional(WaitingApplied),
});

const SimilarMatch = Type.Object({
  itemId: Type.String(),
  itemName: Type.String(),
  targetId: Type.String(),
  targetName: Type.String(),
  score: Type.Number({ description: '1 for equal normalised names, else letter-pair similarity' }),
});
export const Suggestions = Type.Object({
  accounts: Type.Array(Type.Object({ accountId: Type.String(), companyId: Type.String() })),
  services: Type.Array(Type.Object({ serviceId: Type.String(), productId: Type.String() })),
  similar: Type.Object({ accounts: Type.Array(SimilarMatch), services: Type.Array(SimilarMatch) }),
});
export const SuggestionsAccepted = Type.Object({
  mapped: Type.Object({ accounts: Type.Integer(), services: Type.Integer() }),
  billing: Billing,
  waiting: WaitingApplied,
});

export const ConnectableVendor = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  connected: Type.Boolean(),
});
const TokenRecipe = Type.String({ description: 'How to build the GRADIENT-TOKEN from the two keys' });
export const Connected = Type.Object({
  integrationId: Type.String(),
  partnerKey: Type.String({ description: 'Shown once' }),
  tokenRecipe: TokenRecipe,
});
export const KeyRotated = Type.Object({ partnerKey: Type.String(), tokenRecipe: TokenRecipe });
export const PauseState = Type.Object({
  id: Type.String(),
  status: Type.String(),
  pausedAt: Nullable(IsoTime),
});
export const Disconnected = Type.Object({
  id: Type.String(),
  status: Type.String(),
  disconnectedAt: Nullable(IsoTime),
  removed: Type.Object({
    accounts: Type.Integer(),
    services: Type.Integer(),
    counts: Type.Integer(),
    mappings: Type.Integer(),
  }),
});

export const Company = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: IsoTime,
  ...SourceFields,
});
export const Product = Type.Object({
  id: Type.String(),
  name: Type.String(),
  unitPrice: Money,
  unitCost: Money,
  createdAt: IsoTime,
  ...SourceFields,
});
export const Agreement = Type.Object({
  id: Type.String(),
  name: Type.String(),
  companyId: Type.String(),
  createdAt: IsoTime,
  ...SourceFields,
});
export const AgreementLine = Type.Object({
  id: Type.String(),
  agreementId: Type.String(),
  companyId: Type.String(),
  productId: Type.String(),
  quantity: Type.Number(),
  active: Type.Boolean(),
  updatedAt: IsoTime,
  ...SourceFields,
});

const LineError = Type.Object({ line: Type.Integer(), reason: Type.String() });
export const ImportPreview = Type.Object({
  rows: Type.Integer(),
  valid: Type.Integer(),
  errors: Type.Array(LineError),
  sample: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  changes: Type.Optional(
    Type.Object({
      created: Type.Integer(),
      changed: Type.Integer(),
      unchanged: Type.Integer(),
      duplicates: Type.Integer(),
      examples: Type.Array(
        Type.Object({
          line: Type.Integer(),
          change: literals(['created', 'changed', 'unchanged', 'duplicate'] as const),
          record: Type.String(),
          from: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          to: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          sameAsLine: Type.Optional(Type.Integer()),
        }),
      ),
    }),
  ),
});
export const ImportCommitted = Type.Object({
  imported: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Optional(
    Type.Object({ rows: Type.Integer(), errors: Type.Array(LineError), csv: Type.String() }),
  ),
});

/** The partner's PSA connection as GET /api/partner/psa/connection shows it (never its secrets). */
export const PsaSyncSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  full: Type.Boolean(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  counts: Type.Object({
    companies: Type.Integer(),
    products: Type.Integer(),
    agreements: Type.Integer(),
    lines: Type.Integer(),
  }),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const PsaBudgetSchema = Type.Object(
  {
    usedLastHour: Type.Integer({ description: 'Requests Tally sent to the PSA in the last hour' }),
    hourlyShare: Type.Integer({ description: 'The share of the PSA’s hourly limit Tally keeps to' }),
    maxInFlight: Type.Integer({ description: 'Requests at once Tally keeps to' }),
    state: Type.Union([Type.Literal('ok'), Type.Literal('slowed'), Type.Literal('spent')], {
      description:
        'slowed: the PSA adds latency or the share is nearly used, so Tally paces itself; spent: ' +
        'Tally waits until resumesAt and then goes on by itself',
    }),
    resumesAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    psaWide: Type.Union([
      Type.Object({
        used: Type.Integer(),
        limit: Type.Integer(),
        at: Type.String({ format: 'date-time' }),
      }),
      Type.Null(),
    ]),
  },
  { description: 'Datto Autotask: the request budget all integrations of the database share' },
);

export const PsaConnectionSchema = Type.Object({
  kind: PsaKindSchema,
  site: Type.String({ description: 'The PSA’s address (Autotask: where its zone is looked up)' }),
  account: Type.String({
    description: 'Whose the connection is: ConnectWise company id, HaloPSA client id, Autotask API user',
  }),
  settings: Type.Record(Type.String(), Type.String(), {
    description:
      'Settings that are not secret: ConnectWise clientId; HaloPSA authUrl and tenant; Autotask ' +
      'requestsPerHour and maxInFlight',
  }),
  budget: Type.Union([PsaBudgetSchema, Type.Null()]),
  status: Type.Union([Type.Literal('connected'), Type.Literal('syncing'), Type.Literal('error')], {
    description: 'syncing while a sync runs; error when the last sync failed',
  }),
  lastSync: Type.Union([PsaSyncSchema, Type.Null()]),
});

const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const MappingToRemapSchema = Type.Object({
  integrationId: Type.String(),
  vendorName: Type.String(),
  kind: Type.Union([Type.Literal('account'), Type.Literal('service')]),
  itemId: Type.String({ description: 'The vendor account or service id' }),
  itemName: Type.String({ description: 'Its name as the vendor sent it' }),
  target: Type.Composite([Named, Type.Object({ psa: PsaKindSchema })], {
    description: 'The company (account) or product (service) it maps to now, from another PSA',
  }),
  candidates: Type.Array(Named, {
    description:
      'Rows of the connected PSA with the same name: several when the name is not unique there, none ' +
      'when it has no such row',
  }),
});

export type SessionReply = Static<typeof Session>;
export type PsaConnectionReply = Static<typeof PsaConnectionSchema>;
export type PsaSyncReply = Static<typeof PsaSyncSchema>;
export type PsaBudgetReply = Static<typeof PsaBudgetSchema>;
export type MappingToRemapReply = Static<typeof MappingToRemapSchema>;
export type CardReply = Static<typeof Card>;
export type CardSourceReply = Static<typeof CardSource>;
export type BoardReply = Static<typeof Board>;
export type CardHistoryReply = Static<typeof CardHistory>;
export type CardActionResultsReply = Static<typeof CardActionResults>;
export type AuditEntryReply = Static<typeof AuditEntry>;
export type IntegrationRowReply = Static<typeof IntegrationRow>;
export type MappableAccountReply = Static<typeof MappableAccount>;
export type MappableServiceReply = Static<typeof MappableService>;
export type WaitingReply = Static<typeof Waiting>;
export type SuggestionsReply = Static<typeof Suggestions>;
export type SuggestionsAcceptedReply = Static<typeof SuggestionsAccepted>;
export type ConnectableVendorReply = Static<typeof ConnectableVendor>;
export type ConnectedReply = Static<typeof Connected>;
export type CompanyReply = Static<typeof Company>;
export type ProductReply = Static<typeof Product>;
export type AgreementReply = Static<typeof Agreement>;
export type AgreementLineReply = Static<typeof AgreementLine>;
export type ImportPreviewReply = Static<typeof ImportPreview>;
export type ImportCommittedReply = Static<typeof ImportCommitted>;
