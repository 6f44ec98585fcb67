import type { AuditAction, AuditEntry } from '../model.js';

/** Which audit entries to read: every field narrows, `beforeId` pages back, newest first. */
export interface AuditFilter {
  period?: string;
  action?: AuditAction;
  /** The user's email (exact), or 'api token'. */
  by?: string;
  cardId?: string;
  companyId?: string;
  productId?: string;
  /** Only entries made at or after this instant. */
  sinceMs?: number;
  /** Only entries made before this instant. */
  untilMs?: number;
  beforeId?: number;
  limit: number;
}

/** The store side of reviewing and undoing decisions on billing cards. */
export interface DecisionLogStore {
  /** Forgets the partner's decision on a card for a period (the card needs a look again). */
  deleteCardAction(partnerId: string, period: string, cardId: string): Promise<void>;
  /** Audit entries of the partner matching the filter, newest first. */
  findAuditEntries(partnerId: string, filter: AuditFilter): Promise<AuditEntry[]>;
}
