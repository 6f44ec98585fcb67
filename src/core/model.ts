/** Domain records as the core sees them. Times are epoch milliseconds; the HTTP layer formats them. */

export interface Vendor {
  id: string;
  name: string;
  description: string;
  integrationType: string;
  imageUri: string | null;
  isDistributor: boolean;
  integrationPortalUrl: string | null;
  vendorSupportPageUrl: string | null;
  externalIntegrationStatus: string;
  mappingResponsibilities: string[];
  modules: { variation: string }[];
  organizationId: string | null;
  attributes: Record<string, unknown>;
  createdAtMs: number;
  updatedAtMs: number;
  version: number;
}

export interface Sku {
  id: string;
  vendorId: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  supportArticle: string | null;
  supportContact: string | null;
  logo: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface Partner {
  id: string;
  name: string;
  createdAtMs: number;
}

export const INTEGRATION_STATUSES = ['inactive', 'pending', 'active', 'disabled', 'error'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

export interface Integration {
  id: string;
  vendorId: string;
  partnerId: string;
  status: IntegrationStatus;
  lastSyncedAtMs: number | null;
  /** Set when the partner disconnected; such an integration answers 403 to the vendor. */
  disconnectedAtMs: number | null;
  /** Set while the partner has paused the integration; its vendor is refused (403) meanwhile. */
  pausedAtMs: number | null;
  createdAtMs: number;
}

/** What a vendor creates inside one integration, keyed by the vendor's own id (always a string). */
export interface VendorItem {
  integrationId: string;
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  isArrears: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A vendor's customer inside one integration. */
export type Account = VendorItem;

/** A service visible to one partner only, with a vendor-chosen id. */
export type OrgService = VendorItem;

export type MappingKind = 'account' | 'service';

/** The partner's decision for one vendor account or service: a PSA target, or excluded. */
export interface Mapping {
  integrationId: string;
  kind: MappingKind;
  itemId: string;
  /** PSA company id (accounts) or product id (services); null when excluded. */
  targetId: string | null;
  excluded: boolean;
  updatedAtMs: number;
}

/** The PSAs a partner can connect; the "Tally ledger" (hand edits and CSV) is the built-in one. */
export const PSA_KINDS = ['connectwise', 'halo', 'autotask'] as const;
export type PsaKind = (typeof PSA_KINDS)[number];

/** How each PSA is called in messages and on screens. */
export const PSA_NAMES: Record<PsaKind, string> = {
  connectwise: 'ConnectWise PSA',
  halo: 'HaloPSA',
  autotask: 'Datto Autotask',
};

/**
 * Where a synced ledger row lives in the partner's PSA. Rows made in Tally (by hand or by CSV) have
 * none; synced rows are identified by it, not by their names, which real PSAs do not keep unique.
 */
export interface PsaRef {
  kind: PsaKind;
  /**
   * The PSA's own id of the row (ConnectWise: company, catalog item, agreement or addition id; HaloPSA:
   * client, item, recurring invoice or invoice line id; Autotask: company, service, contract or
   * contract service id).
   */
  externalId: string;
  /** The PSA's short identifier, when it has one (ConnectWise company or catalog identifier). */
  code?: string | null;
}

export interface Company {
  id: string;
  partnerId: string;
  name: string;
  createdAtMs: number;
  /** Set on rows synced from a PSA; such rows are read-only in Tally. */
  psa?: PsaRef;
}

export interface Product {
  id: string;
  partnerId: string;
  name: string;
  /** Money is kept in millionths of the currency unit so sums and products stay exact. */
  unitPriceMicros: number;
  unitCostMicros: number;
  createdAtMs: number;
  /** Set on rows synced from a PSA; such rows are read-only in Tally. */
  psa?: PsaRef;
}

/** The current (last written) count for one account and one service. */
export interface CurrentCount {
  integrationId: string;
  accountId: string;
  serviceId: string;
  unitCount: number;
  revision: number;
  updatedAtMs: number;
}

export interface HistoryEntry {
  id: number;
  integrationId: string;
  accountId: string;
  serviceId: string;
  atMs: number;
  unitCount: number;
  previousUnitCount: number | null;
  revision: number;
  requestId: string;
  idempotencyKey: string | null;
}

/** A count the partner could not accept yet because the account or service is not mapped. */
export interface WaitingCount {
  integrationId: string;
  accountId: string;
  serviceId: string;
  unitCount: number;
  reason: 'account_unmapped' | 'service_unmapped';
  attempts: number;
  lastAttemptAtMs: number;
}

/**
 * The debounce state of one integration's billing view. It lives in the store, written in the same
 * transaction as the counts, so a crash or a second process sees exactly what is still unbuilt.
 */
export interface BuildState {
  integrationId: string;
  /** Bumped by every accepted count of the integration. */
  revision: number;
  /** The revision the current billing view was built from. */
  builtRevision: number;
  /** Accepted counts not yet covered by a finished or running build. */
  unbuiltChanges: number;
  /** When the oldest of those changes arrived; bounds the debounce by the maximum wait. */
  firstUnbuiltAtMs: number | null;
  /** When the next build may start; null when none is scheduled. */
  dueAtMs: number | null;
  /** Lease of the running build; a build whose lease ran out is presumed dead and runs again. */
  buildingUntilMs: number | null;
  /** What the running build covers, so its completion subtracts exactly that. */
  claimedRevision: number;
  claimedChanges: number;
  lastBuiltAtMs: number | null;
  builds: number;
}

/** One integration's share of a billing card: its vendor quantity for a (company, product). */
export interface BillingRow {
  integrationId: string;
  companyId: string;
  productId: string;
  vendorQuantity: number;
  lastChangedAtMs: number;
  builtAtMs: number;
  builtRevision: number;
}

/** A person who signs in to the partner side; belongs to exactly one partner. */
export interface PartnerUser {
  id: string;
  partnerId: string;
  /** Stored trimmed and lower-cased, so sign-in ignores the case of the address. */
  email: string;
  name: string;
  createdAtMs: number;
}

/** A signed-in browser: the digest of its cookie token, whose user, and until when. */
export interface PartnerSession {
  tokenHash: string;
  userId: string;
  partnerId: string;
  createdAtMs: number;
  expiresAtMs: number;
}

/** A contract between the MSP and one of its companies; its lines say what is billed. */
export interface Agreement {
  id: string;
  partnerId: string;
  companyId: string;
  name: string;
  createdAtMs: number;
  /** Set on rows synced from a PSA; such rows are read-only in Tally. */
  psa?: PsaRef;
}

/** What an agreement bills: a quantity of one product for the agreement's company. */
export interface AgreementLine {
  id: string;
  partnerId: string;
  agreementId: string;
  /** The agreement's company, kept on the line so billing sums need no join. */
  companyId: string;
  productId: string;
  quantity: number;
  /** Only active lines count toward the PSA quantity of a billing card. */
  active: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  /** Set on rows synced from a PSA; such rows are read-only in Tally. */
  psa?: PsaRef;
  /**
   * Why the PSA will not take a quantity for this line (HaloPSA computes some lines' quantities
   * itself); a card with such a line cannot be approved or adjusted to the PSA.
   */
  lockedReason?: string;
}

export const CARD_ACTIONS = ['approve', 'adjust', 'dismiss'] as const;
export type CardActionKind = (typeof CARD_ACTIONS)[number];

/** The partner's decision on a billing card for one period. */
export interface CardAction {
  partnerId: string;
  period: string;
  cardId: string;
  action: CardActionKind;
  /** The PSA quantity it set (approve, adjust); null for dismiss. */
  quantity: number | null;
  /** YYYY-MM-DD from which the new quantity is billed; null for dismiss. */
  effectiveDate: string | null;
  /** The vendor quantity the decision was made on: a different one brings the card back. */
  vendorQuantity: number;
  /** The user's email, or 'api token' for a script. */
  by: string;
  atMs: number;
}

/** What an audit entry records: a decision on a card, or the undoing of one. */
export const AUDIT_ACTIONS = [...CARD_ACTIONS, 'undo'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the partner's audit log: who changed which card, when, from what to what. */
export interface AuditEntry {
  id: number;
  partnerId: string;
  atMs: number;
  by: string;
  period: string;
  cardId: string;
  companyId: string;
  productId: string;
  action: AuditAction;
  fromQuantity: number;
  /** The PSA quantity after the action; null when it changed nothing (dismiss). */
  toQuantity: number | null;
  effectiveDate: string | null;
  /** The agreement line written, if any. */
  agreementLineId: string | null;
}
