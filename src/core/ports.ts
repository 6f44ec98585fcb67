import type {
  Account,
  Agreement,
  AgreementLine,
  AuditEntry,
  BillingRow,
  BuildState,
  CardAction,
  Company,
  CurrentCount,
  HistoryEntry,
  Integration,
  IntegrationStatus,
  Mapping,
  MappingKind,
  OrgService,
  Partner,
  PartnerSession,
  PartnerUser,
  Product,
  Sku,
  Vendor,
  WaitingCount,
} from './model.js';
import type { ImportStageStore } from './psa/import/stage-store.js';
import type { SandboxStore } from './sandbox/store.js';
import type { WebhookStore } from './webhooks/store.js';

import type { CountBatchStore } from './counts/batch-store.js';

import type { DecisionLogStore } from './billing/store.js';
import type { PartnerSettingsStore } from './partners/settings-store.js';
import type { PsaConnectorStore } from './psa-connector/store.js';

export type { Clock } from './clock.js';
export type { IdGenerator } from './ids.js';

/** Fields of a vendor-owned item (account or organization service) that an update may change. */
export interface ItemPatch {
  name?: string;
  description?: string;
  isActive?: boolean;
  isArrears?: boolean;
}

/** A vendor-owned item as a create request names it; omitted fields keep an existing item's values. */
export interface ItemInput {
  id: string;
  name: string;
  /** '' for a new item when omitted. */
  description?: string;
  /** false for a new item when omitted. */
  isArrears?: boolean;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface IdempotencyRecord {
  integrationId: string;
  key: string;
  bodyHash: string;
  statusCode: number;
  responseJson: string;
  createdAtMs: number;
}

export interface AlertRecord {
  messageId: string;
  integrationId: string;
  accountId: string;
  alertId: string;
  correlationId: string;
  payloadJson: string;
  status: 'pending' | 'success' | 'failed';
  ticketId: string | null;
  statusCode: number | null;
  errorsJson: string | null;
  createdAtMs: number;
  processedAtMs: number | null;
}

export interface TicketRecord {
  id: string;
  partnerId: string;
  companyId: string | null;
  integrationId: string;
  title: string;
  description: string;
  priority: number;
  status: number;
  dueAtMs: number | null;
  createdAtMs: number;
}

/** Vendors and their service catalogues (SKUs). */
export interface VendorStore {
  insertVendor(vendor: Vendor, keyHash: string): Promise<void>;
  getVendor(id: string): Promise<Vendor | undefined>;
  findVendorByKeyHash(keyHash: string): Promise<Vendor | undefined>;
  listVendors(): Promise<Vendor[]>;
  updateVendor(vendor: Vendor): Promise<void>;
  /** Replaces the vendor's key digest: the old key stops working at once. */
  setVendorKeyHash(vendorId: string, keyHash: string): Promise<void>;
  insertSku(sku: Sku): Promise<void>;
  listSkus(vendorId: string): Promise<Sku[]>;
  getSku(vendorId: string, skuId: string): Promise<Sku | undefined>;
  updateSku(sku: Sku): Promise<void>;
}

/** Partners (MSPs) and their bearer-token digests. */
export interface PartnerStore {
  insertPartner(partner: Partner, tokenHash: string): Promise<void>;
  getPartner(id: string): Promise<Partner | undefined>;
  findPartnerByTokenHash(tokenHash: string): Promise<Partner | undefined>;
  listPartners(): Promise<Partner[]>;
  /** Replaces the partner's bearer-token digest: the old token stops working at once. */
  setPartnerTokenHash(partnerId: string, tokenHash: string): Promise<void>;
}

/** Integrations, the vendor's accounts and organization services in each, and the partner's mappings of them. */
export interface IntegrationStore {
  insertIntegration(integration: Integration, keyHash: string): Promise<void>;
  getIntegration(id: string): Promise<Integration | undefined>;
  findIntegrationByKeyHash(keyHash: string): Promise<Integration | undefined>;
  findIntegration(vendorId: string, partnerId: string): Promise<Integration | undefined>;
  listIntegrationsOfPartner(partnerId: string): Promise<Integration[]>;
  setIntegrationStatus(id: string, status: IntegrationStatus): Promise<void>;
  touchIntegrationSync(id: string, atMs: number): Promise<void>;
  /** Marks the integration disconnected by its partner at `atMs`; its vendor is refused from then on. */
  disconnectIntegration(id: string, atMs: number): Promise<void>;
  /** Replaces the integration's partner-key digest: the old partner key stops working at once. */
  setIntegrationKeyHash(id: string, keyHash: string): Promise<void>;
  /** Clears the disconnection mark: the vendor is accepted again (with the integration's current key). */
  reconnectIntegration(id: string): Promise<void>;
  /** Pauses the integration at `pausedAtMs`, or resumes it with null. */
  setIntegrationPaused(id: string, pausedAtMs: number | null): Promise<void>;
  /**
   * Deletes what an integration holds of a vendor: accounts, organization services, current and
   * waiting counts, mappings, billing rows and idempotency records. The count history stays.
   */
  purgeIntegration(
    id: string,
  ): Promise<{ accounts: number; services: number; counts: number; mappings: number }>;
  listAccounts(integrationId: string, ids?: string[]): Promise<Account[]>;
  getAccount(integrationId: string, id: string): Promise<Account | undefined>;
  /** An account with the partner's mapping of it, in one read. */
  getMappedAccount(
    integrationId: string,
    id: string,
  ): Promise<{ account: Account; mapping: Mapping | undefined } | undefined>;
  /**
   * What a count needs to know of a service id, in one read: whether it names an organization
   * service of the integration (and whether that is active), whether it names one of the vendor's
   * SKUs, and the partner's mapping of it.
   */
  getServiceFacts(
    integrationId: string,
    vendorId: string,
    serviceId: string,
  ): Promise<{ orgServiceActive: boolean | null; skuExists: boolean; mapping: Mapping | undefined }>;
  upsertAccount(account: Account): Promise<void>;
  listOrgServices(integrationId: string, ids?: string[]): Promise<OrgService[]>;
  getOrgService(integrationId: string, id: string): Promise<OrgService | undefined>;
  insertOrgService(service: OrgService): Promise<void>;
  updateOrgService(service: OrgService): Promise<void>;
  listMappings(integrationId: string, kind: MappingKind): Promise<Mapping[]>;
  getMapping(integrationId: string, kind: MappingKind, itemId: string): Promise<Mapping | undefined>;
  putMapping(mapping: Mapping): Promise<void>;
  deleteMapping(integrationId: string, kind: MappingKind, itemId: string): Promise<void>;
}

/** The partner's PSA ledger: companies and products. */
export interface PsaStore {
  insertCompany(company: Company): Promise<void>;
  getCompany(partnerId: string, id: string): Promise<Company | undefined>;
  /** The companies of these ids that exist, in no particular order: a few statements for any number. */
  getCompanies(partnerId: string, ids: string[]): Promise<Company[]>;
  /** Ordered by id; `afterId` continues a page, `search` is a case-insensitive name substring. */
  listCompanies(
    partnerId: string,
    options: { afterId?: string; search?: string; limit?: number },
  ): Promise<Page<Company>>;
  insertProduct(product: Product): Promise<void>;
  getProduct(partnerId: string, id: string): Promise<Product | undefined>;
  listProducts(partnerId: string): Promise<Product[]>;
  /** The company whose name equals `name` ignoring case, if any. */
  findCompanyByName(partnerId: string, name: string): Promise<Company | undefined>;
  /** The product whose name equals `name` ignoring case, if any. */
  findProductByName(partnerId: string, name: string): Promise<Product | undefined>;
  updateCompany(company: Company): Promise<void>;
  deleteCompany(partnerId: string, id: string): Promise<void>;
  updateProduct(product: Product): Promise<void>;
  deleteProduct(partnerId: string, id: string): Promise<void>;
  /** Bulk inserts for CSV imports; each call may write thousands of rows in a few statements. */
  insertCompanies(companies: Company[]): Promise<void>;
  insertProducts(products: Product[]): Promise<void>;
  /** How many vendor items of any integration are mapped to this PSA company or product. */
  countMappingsTo(kind: MappingKind, targetId: string): Promise<number>;
}

/** The partner's PSA ledger: agreements and their lines. */
export interface AgreementStore {
  insertAgreementLines(lines: AgreementLine[]): Promise<void>;
  insertAgreement(agreement: Agreement): Promise<void>;
  getAgreement(partnerId: string, id: string): Promise<Agreement | undefined>;
  /** Ordered by company, then name. */
  listAgreements(partnerId: string, filter: { companyId?: string }): Promise<Agreement[]>;
  updateAgreement(agreement: Agreement): Promise<void>;
  deleteAgreement(partnerId: string, id: string): Promise<void>;
  insertAgreementLine(line: AgreementLine): Promise<void>;
  getAgreementLine(partnerId: string, id: string): Promise<AgreementLine | undefined>;
  /** Ordered by creation (then id), so "the first line" of a company and product is stable. */
  listAgreementLines(
    partnerId: string,
    filter: { companyId?: string; productId?: string; agreementId?: string; activeOnly?: boolean },
  ): Promise<AgreementLine[]>;
  updateAgreementLine(line: AgreementLine): Promise<void>;
  deleteAgreementLine(partnerId: string, id: string): Promise<void>;
}

/** Counts, their history and the ones waiting to be mapped; build states and the billing view. */
export interface CountStore {
  getCount(integrationId: string, accountId: string, serviceId: string): Promise<CurrentCount | undefined>;
  putCount(count: CurrentCount): Promise<void>;
  /**
   * Sets the current count, appends its history entry with the value it replaced, and forgets the
   * pair's waiting entry; answers the replaced value (null for a first count).
   */
  recordCount(
    count: CurrentCount,
    entry: Omit<HistoryEntry, 'id' | 'previousUnitCount'>,
  ): Promise<number | null>;
  listCounts(integrationId: string): Promise<CurrentCount[]>;
  appendHistory(entry: Omit<HistoryEntry, 'id'>): Promise<void>;
  listHistory(
    integrationId: string,
    filter: { accountId?: string; serviceId?: string; beforeId?: number; limit: number },
  ): Promise<HistoryEntry[]>;
  /** History of the given accounts × services of one integration, newest first. */
  listHistoryOfPairs(
    integrationId: string,
    pairs: { accountIds: string[]; serviceIds: string[] },
    limit: number,
  ): Promise<HistoryEntry[]>;
  rememberWaiting(waiting: Omit<WaitingCount, 'attempts'>): Promise<void>;
  listWaiting(integrationId: string): Promise<WaitingCount[]>;
  forgetWaiting(integrationId: string, accountId: string, serviceId: string): Promise<void>;
  insertBuildState(state: BuildState): Promise<void>;
  getBuildState(integrationId: string): Promise<BuildState | undefined>;
  updateBuildState(state: BuildState): Promise<void>;
  /** Integrations whose build is due at `nowMs` and not held by a live lease. */
  listDueBuilds(nowMs: number, limit: number): Promise<string[]>;
  /** Locks the state row for the rest of the transaction (a no-op where the store serialises writers). */
  lockBuildState(integrationId: string): Promise<BuildState | undefined>;
  earliestDueAtMs(): Promise<number | null>;
  /** Ends every build lease at `nowMs` (a lone process at boot: whoever held them is gone). */
  expireBuildLeases(nowMs: number): Promise<number>;
  replaceBillingRows(integrationId: string, rows: BillingRow[]): Promise<void>;
  listBillingRows(integrationIds: string[]): Promise<BillingRow[]>;
}

/** Replies kept for Idempotency-Key repeats. */
export interface IdempotencyStore {
  getIdempotency(integrationId: string, key: string): Promise<IdempotencyRecord | undefined>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  deleteIdempotencyBefore(cutoffMs: number): Promise<number>;
}

/** Vendor alerts and the tickets they become. */
export interface AlertStore {
  insertAlert(alert: AlertRecord): Promise<void>;
  getAlert(messageId: string): Promise<AlertRecord | undefined>;
  listPendingAlerts(limit: number): Promise<AlertRecord[]>;
  updateAlert(alert: AlertRecord): Promise<void>;
  /** Writes a pending alert's outcome; false when it was no longer pending (another process settled it). */
  settleAlert(alert: AlertRecord): Promise<boolean>;
  insertTicket(ticket: TicketRecord): Promise<void>;
  listTickets(partnerId: string): Promise<TicketRecord[]>;
}

/** Partner users and their sessions. */
export interface UserStore {
  insertPartnerUser(user: PartnerUser, passwordHash: string): Promise<void>;
  /** The user with this (already normalised) email and its password hash. */
  findPartnerUserByEmail(email: string): Promise<{ user: PartnerUser; passwordHash: string } | undefined>;
  setPartnerUserPassword(userId: string, passwordHash: string): Promise<void>;
  insertSession(session: PartnerSession): Promise<void>;
  /** The live session with this token digest, with its user and partner; undefined once expired. */
  findSession(
    tokenHash: string,
    nowMs: number,
  ): Promise<{ session: PartnerSession; user: PartnerUser; partner: Partner } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of the user but the one with `keepTokenHash`. */
  deleteOtherSessions(userId: string, keepTokenHash: string): Promise<number>;
  deleteSessionsExpiredBefore(nowMs: number): Promise<number>;
}

/** The partner's card decisions and the audit log they leave. */
export interface DecisionStore {
  /** Records (or replaces) the partner's decision on a card for a period. */
  putCardAction(action: CardAction): Promise<void>;
  listCardActions(partnerId: string, period: string): Promise<CardAction[]>;
  insertAuditEntry(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first. */
  listAuditEntries(partnerId: string, limit: number): Promise<AuditEntry[]>;
}

/**
 * Everything the core reads and writes, one interface per area; each repository file in
 * src/storage/repo implements one. One implementation serves SQLite and PostgreSQL; a method called
 * on a transaction handle runs inside that transaction.
 */
export interface Repo
  extends
    VendorStore,
    PartnerStore,
    IntegrationStore,
    PsaStore,
    AgreementStore,
    CountStore,
    IdempotencyStore,
    AlertStore,
    UserStore,
    DecisionStore,
    SandboxStore,
    DecisionLogStore,
    PartnerSettingsStore,
    PsaConnectorStore,
    WebhookStore,
    ImportStageStore {}

/** A store: the repository plus transactions. */
export interface Store extends Repo, CountBatchStore {
  /** Runs fn in one transaction; everything fn writes commits together or not at all. */
  transaction<T>(fn: (tx: Repo) => Promise<T>): Promise<T>;
  /** Which engine is behind it, for diagnostics. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Migrations applied when this store was opened, oldest first; empty when the schema was current. */
  readonly appliedMigrations: string[];
  /** A cheap round trip to the database, for readiness: rejects when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Build-completion events, fanned out to every process in a cluster. */
export interface BuildEvent {
  integrationId: string;
  partnerId: string;
  builtRevision: number;
  builtAtMs: number;
}

/**
 * A change to who may call the vendor API: a key reissued, an integration paused, resumed,
 * disconnected, reconnected or switched in status, a vendor's record updated. Processes drop what
 * they remember of those principals.
 */
export interface AccessChange {
  vendorId: string | null;
  integrationId: string | null;
}

export interface EventBus {
  publish(event: BuildEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: BuildEvent) => void): () => void;
  /** Tells every process (this one first) about an access change. */
  announceAccessChange(change: AccessChange): Promise<void>;
  /** Returns an unsubscribe function. */
  onAccessChange(listener: (change: AccessChange) => void): () => void;
  close(): Promise<void>;
}
