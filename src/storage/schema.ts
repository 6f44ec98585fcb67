/**
 * Table shapes as Kysely sees them. Both engines store booleans as 0/1 integers, times as epoch
 * milliseconds and JSON as text, so one repository implementation serves both.
 */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface VendorsTable {
  id: string;
  name: string;
  description: string;
  integration_type: string;
  image_uri: string | null;
  is_distributor: number;
  integration_portal_url: string | null;
  vendor_support_page_url: string | null;
  external_integration_status: string;
  mapping_responsibilities: string;
  modules: string;
  organization_id: string | null;
  attributes: string;
  key_hash: string;
  created_at_ms: number;
  updated_at_ms: number;
  version: number;
}

export interface SkusTable {
  id: string;
  vendor_id: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  support_article: string | null;
  support_contact: string | null;
  logo: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface PartnersTable {
  id: string;
  name: string;
  token_hash: string;
  created_at_ms: number;
  /** ISO 4217; the column defaults to USD. */
  currency: Generated<string>;
}

export interface IntegrationsTable {
  id: string;
  vendor_id: string;
  partner_id: string;
  key_hash: string;
  status: string;
  last_synced_at_ms: number | null;
  disconnected_at_ms: number | null;
  paused_at_ms: number | null;
  created_at_ms: number;
}

export interface ItemsTable {
  integration_id: string;
  id: string;
  name: string;
  description: string;
  is_active: number;
  is_arrears: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface MappingsTable {
  integration_id: string;
  kind: string;
  item_id: string;
  target_id: string | null;
  excluded: number;
  updated_at_ms: number;
}

export interface CompaniesTable {
  id: string;
  partner_id: string;
  name: string;
  created_at_ms: number;
  /** 'tally' for rows made in Tally; the PSA's kind for synced rows. */
  source: string;
  external_id: string | null;
  external_code: string | null;
}

export interface ProductsTable {
  id: string;
  partner_id: string;
  name: string;
  unit_price_micros: number;
  unit_cost_micros: number;
  created_at_ms: number;
  /** 'tally' for rows made in Tally; the PSA's kind for synced rows. */
  source: string;
  external_id: string | null;
  external_code: string | null;
}

export interface CountsTable {
  integration_id: string;
  account_id: string;
  service_id: string;
  unit_count: number;
  revision: number;
  updated_at_ms: number;
}

export interface CountHistoryTable {
  id: Generated<number>;
  integration_id: string;
  account_id: string;
  service_id: string;
  at_ms: number;
  unit_count: number;
  previous_unit_count: number | null;
  revision: number;
  request_id: string;
  idempotency_key: string | null;
}

export interface WaitingCountsTable {
  integration_id: string;
  account_id: string;
  service_id: string;
  unit_count: number;
  reason: string;
  attempts: number;
  last_attempt_at_ms: number;
}

export interface BuildStatesTable {
  integration_id: string;
  revision: number;
  built_revision: number;
  unbuilt_changes: number;
  first_unbuilt_at_ms: number | null;
  due_at_ms: number | null;
  building_until_ms: number | null;
  claimed_revision: number;
  claimed_changes: number;
  last_built_at_ms: number | null;
  builds: number;
}

export interface BillingRowsTable {
  integration_id: string;
  company_id: string;
  product_id: string;
  vendor_quantity: number;
  last_changed_at_ms: number;
  built_at_ms: number;
  built_revision: number;
}

export interface IdempotencyKeysTable {
  integration_id: string;
  key: string;
  body_hash: string;
  status_code: number;
  response_json: string;
  created_at_ms: number;
}

export interface AlertsTable {
  message_id: string;
  integration_id: string;
  account_id: string;
  alert_id: string;
  correlation_id: string;
  payload_json: string;
  status: string;
  ticket_id: string | null;
  status_code: number | null;
  errors_json: string | null;
  created_at_ms: number;
  processed_at_ms: number | null;
}

export interface TicketsTable {
  id: string;
  partner_id: string;
  company_id: string | null;
  integration_id: string;
  title: string;
  description: string;
  priority: number;
  status: number;
  due_at_ms: number | null;
  created_at_ms: number;
}

export interface PartnerUsersTable {
  id: string;
  partner_id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at_ms: number;
}

export interface PartnerSessionsTable {
  token_hash: string;
  user_id: string;
  partner_id: string;
  created_at_ms: number;
  expires_at_ms: number;
}

export interface AgreementsTable {
  id: string;
  partner_id: string;
  company_id: string;
  name: string;
  created_at_ms: number;
  /** 'tally' for rows made in Tally; the PSA's kind for synced rows. */
  source: string;
  external_id: string | null;
  external_code: string | null;
  active: number;
}

export interface AgreementLinesTable {
  id: string;
  partner_id: string;
  agreement_id: string;
  company_id: string;
  product_id: string;
  quantity: number;
  active: number;
  created_at_ms: number;
  updated_at_ms: number;
  /** 'tally' for rows made in Tally; the PSA's kind for synced rows. */
  source: string;
  external_id: string | null;
  external_code: string | null;
  /** Why the PSA will not take a quantity for this line; null when it will. */
  locked_reason: string | null;
}

export interface CardActionsTable {
  partner_id: string;
  period: string;
  card_id: string;
  action: string;
  quantity: number | null;
  effective_date: string | null;
  vendor_quantity: number;
  actor: string;
  at_ms: number;
}

export interface AuditEntriesTable {
  id: Generated<number>;
  partner_id: string;
  at_ms: number;
  actor: string;
  period: string;
  card_id: string;
  company_id: string;
  product_id: string;
  action: string;
  from_quantity: number;
  to_quantity: number | null;
  effective_date: string | null;
  agreement_line_id: string | null;
}

export interface PsaConnectionsTable {
  partner_id: string;
  kind: string;
  site: string;
  account: string;
  settings_json: string;
  secret_box: string;
  delta_since_ms: number | null;
  next_full_sync_at_ms: number | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface PsaSyncsTable {
  id: string;
  partner_id: string;
  kind: string;
  full_sync: number;
  state: string;
  started_at_ms: number;
  finished_at_ms: number | null;
  counts_json: string;
  error: string | null;
  lease_until_ms: number | null;
}

export interface PsaWritesTable {
  id: string;
  partner_id: string;
  kind: string;
  op: string;
  period: string;
  card_id: string;
  company_id: string;
  product_id: string;
  line_id: string | null;
  agreement_id: string | null;
  target_quantity: number;
  state: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at_ms: number;
  lease_until_ms: number | null;
  created_at_ms: number;
  updated_at_ms: number;
  /** The PSA's id of what an attempt created (an Autotask adjustment's itemId); never sent twice. */
  remote_ref: string | null;
  /** The decision's effective date (YYYY-MM-DD); null when it gave none. */
  effective_date: string | null;
}

/** An import being staged: its rows wait in the import_stage_* tables until one swap makes them real. */
export interface ImportBatchesTable {
  id: string;
  partner_id: string;
  started_at_ms: number;
}

export interface ImportStageCompaniesTable {
  batch_id: string;
  id: string;
  partner_id: string;
  name: string;
  created_at_ms: number;
}

export interface ImportStageProductsTable {
  batch_id: string;
  id: string;
  partner_id: string;
  name: string;
  unit_price_micros: number;
  unit_cost_micros: number;
  created_at_ms: number;
  /** 1: new price and cost of the existing product with this id; 0: a new product. */
  replaces: number;
}

export interface ImportStageAgreementsTable {
  batch_id: string;
  id: string;
  partner_id: string;
  company_id: string;
  name: string;
  created_at_ms: number;
}

export interface ImportStageLinesTable {
  batch_id: string;
  id: string;
  partner_id: string;
  agreement_id: string;
  company_id: string;
  product_id: string;
  quantity: number;
  active: number;
  created_at_ms: number;
  updated_at_ms: number;
  /** 1: new quantity and active flag of the existing line with this id; 0: a new line. */
  replaces: number;
}

export interface SandboxesTable {
  integration_id: string;
  vendor_id: string;
  partner_id: string;
  clock_offset_ms: number;
  faults_json: string | null;
  fault_sequence: number;
  created_at_ms: number;
}

export interface SandboxRequestsTable {
  id: Generated<number>;
  integration_id: string;
  at_ms: number;
  method: string;
  path: string;
  route: string;
  status_code: number;
  duration_ms: number;
  fault: string | null;
  request_id: string;
  request_body: string | null;
  response_body: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  owner_kind: string;
  owner_id: string;
  url: string;
  description: string;
  /** Subscribed types between commas, ",billing.built,card.changed,", so one LIKE finds a type. */
  event_types: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until_ms: number | null;
  enabled: number;
  disabled_reason: string | null;
  failing_since_ms: number | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  partner_id: string | null;
  vendor_id: string | null;
  integration_id: string | null;
  occurred_at_ms: number;
  data: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  endpoint_id: string;
  order_key: string;
  status: string;
  attempts: number;
  next_attempt_at_ms: number;
  lease_until_ms: number;
  created_at_ms: number;
  last_attempt_at_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at_ms: number | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  endpoint_id: string;
  event_id: string;
  at_ms: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_snippet: string;
}

export interface WebhookMarksTable {
  key: string;
  at_ms: number;
}

export interface Database {
  vendors: VendorsTable;
  skus: SkusTable;
  partners: PartnersTable;
  integrations: IntegrationsTable;
  accounts: ItemsTable;
  org_services: ItemsTable;
  mappings: MappingsTable;
  psa_companies: CompaniesTable;
  psa_products: ProductsTable;
  counts: CountsTable;
  count_history: CountHistoryTable;
  waiting_counts: WaitingCountsTable;
  build_states: BuildStatesTable;
  billing_rows: BillingRowsTable;
  idempotency_keys: IdempotencyKeysTable;
  alerts: AlertsTable;
  tickets: TicketsTable;
  partner_users: PartnerUsersTable;
  partner_sessions: PartnerSessionsTable;
  psa_agreements: AgreementsTable;
  psa_agreement_lines: AgreementLinesTable;
  card_actions: CardActionsTable;
  audit_entries: AuditEntriesTable;
  psa_connections: PsaConnectionsTable;
  psa_syncs: PsaSyncsTable;
  psa_writes: PsaWritesTable;
  import_batches: ImportBatchesTable;
  import_stage_companies: ImportStageCompaniesTable;
  import_stage_products: ImportStageProductsTable;
  import_stage_agreements: ImportStageAgreementsTable;
  import_stage_lines: ImportStageLinesTable;
  sandboxes: SandboxesTable;
  sandbox_requests: SandboxRequestsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_marks: WebhookMarksTable;
}

export type Db = Kysely<Database> | Transaction<Database>;
