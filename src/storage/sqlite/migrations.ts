/** SQLite schema, in numbered steps. Never edit a released step; add the next one. */
export const sqliteMigrations: Record<string, string> = {
  '0001_vendor_api': `
    CREATE TABLE vendors (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, integration_type TEXT NOT NULL,
      image_uri TEXT, is_distributor INTEGER NOT NULL, integration_portal_url TEXT,
      vendor_support_page_url TEXT, external_integration_status TEXT NOT NULL,
      mapping_responsibilities TEXT NOT NULL, modules TEXT NOT NULL, organization_id TEXT,
      attributes TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL, version INTEGER NOT NULL);
    CREATE TABLE skus (
      id TEXT PRIMARY KEY, vendor_id TEXT NOT NULL REFERENCES vendors(id), name TEXT NOT NULL,
      description TEXT NOT NULL, category TEXT NOT NULL, subcategory TEXT NOT NULL, support_article TEXT,
      support_contact TEXT, logo TEXT, created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL);
    CREATE INDEX skus_vendor ON skus(vendor_id);
    CREATE TABLE partners (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at_ms INTEGER NOT NULL);
    CREATE TABLE integrations (
      id TEXT PRIMARY KEY, vendor_id TEXT NOT NULL REFERENCES vendors(id),
      partner_id TEXT NOT NULL REFERENCES partners(id), key_hash TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
      last_synced_at_ms INTEGER, disconnected_at_ms INTEGER, created_at_ms INTEGER NOT NULL,
      UNIQUE (vendor_id, partner_id));
    CREATE INDEX integrations_partner ON integrations(partner_id);
    CREATE TABLE accounts (
      integration_id TEXT NOT NULL REFERENCES integrations(id), id TEXT NOT NULL, name TEXT NOT NULL,
      description TEXT NOT NULL, is_active INTEGER NOT NULL, is_arrears INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, PRIMARY KEY (integration_id, id));
    CREATE TABLE org_services (
      integration_id TEXT NOT NULL REFERENCES integrations(id), id TEXT NOT NULL, name TEXT NOT NULL,
      description TEXT NOT NULL, is_active INTEGER NOT NULL, is_arrears INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, PRIMARY KEY (integration_id, id));
    CREATE TABLE mappings (
      integration_id TEXT NOT NULL REFERENCES integrations(id), kind TEXT NOT NULL, item_id TEXT NOT NULL,
      target_id TEXT, excluded INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,
      PRIMARY KEY (integration_id, kind, item_id));
    CREATE TABLE psa_companies (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL);
    CREATE INDEX psa_companies_partner ON psa_companies(partner_id, id);
    CREATE TABLE psa_products (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), name TEXT NOT NULL,
      unit_price_micros INTEGER NOT NULL, unit_cost_micros INTEGER NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE INDEX psa_products_partner ON psa_products(partner_id, id);
    CREATE TABLE counts (
      integration_id TEXT NOT NULL, account_id TEXT NOT NULL, service_id TEXT NOT NULL,
      unit_count REAL NOT NULL, revision INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,
      PRIMARY KEY (integration_id, account_id, service_id));
    CREATE TABLE count_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT, integration_id TEXT NOT NULL, account_id TEXT NOT NULL,
      service_id TEXT NOT NULL, at_ms INTEGER NOT NULL, unit_count REAL NOT NULL, previous_unit_count REAL,
      revision INTEGER NOT NULL, request_id TEXT NOT NULL, idempotency_key TEXT);
    CREATE INDEX count_history_key ON count_history(integration_id, account_id, service_id, id);
    CREATE INDEX count_history_integration ON count_history(integration_id, id);
    CREATE TABLE waiting_counts (
      integration_id TEXT NOT NULL, account_id TEXT NOT NULL, service_id TEXT NOT NULL,
      unit_count REAL NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL,
      last_attempt_at_ms INTEGER NOT NULL, PRIMARY KEY (integration_id, account_id, service_id));
    CREATE TABLE build_states (
      integration_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, built_revision INTEGER NOT NULL,
      unbuilt_changes INTEGER NOT NULL, first_unbuilt_at_ms INTEGER, due_at_ms INTEGER,
      building_until_ms INTEGER, claimed_revision INTEGER NOT NULL, claimed_changes INTEGER NOT NULL,
      last_built_at_ms INTEGER, builds INTEGER NOT NULL);
    CREATE INDEX build_states_due ON build_states(due_at_ms) WHERE due_at_ms IS NOT NULL;
    CREATE TABLE billing_rows (
      integration_id TEXT NOT NULL, company_id TEXT NOT NULL, product_id TEXT NOT NULL,
      vendor_quantity REAL NOT NULL, last_changed_at_ms INTEGER NOT NULL, built_at_ms INTEGER NOT NULL,
      built_revision INTEGER NOT NULL, PRIMARY KEY (integration_id, company_id, product_id));
    CREATE TABLE idempotency_keys (
      integration_id TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, status_code INTEGER NOT NULL,
      response_json TEXT NOT NULL, created_at_ms INTEGER NOT NULL, PRIMARY KEY (integration_id, key));
    CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at_ms);
    CREATE TABLE alerts (
      message_id TEXT PRIMARY KEY, integration_id TEXT NOT NULL, account_id TEXT NOT NULL,
      alert_id TEXT NOT NULL, correlation_id TEXT NOT NULL, payload_json TEXT NOT NULL, status TEXT NOT NULL,
      ticket_id TEXT, status_code INTEGER, errors_json TEXT, created_at_ms INTEGER NOT NULL,
      processed_at_ms INTEGER);
    CREATE INDEX alerts_pending ON alerts(status, created_at_ms);
    CREATE TABLE tickets (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, company_id TEXT, integration_id TEXT NOT NULL,
      title TEXT NOT NULL, description TEXT NOT NULL, priority INTEGER NOT NULL, status INTEGER NOT NULL,
      due_at_ms INTEGER, created_at_ms INTEGER NOT NULL);
    CREATE INDEX tickets_partner ON tickets(partner_id, created_at_ms);
  `,
  '0002_partner_side': `
    CREATE TABLE partner_users (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL, password_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE INDEX partner_users_partner ON partner_users(partner_id);
    CREATE TABLE partner_sessions (
      token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES partner_users(id),
      partner_id TEXT NOT NULL REFERENCES partners(id), created_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL);
    CREATE INDEX partner_sessions_expiry ON partner_sessions(expires_at_ms);
    CREATE TABLE psa_agreements (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id),
      company_id TEXT NOT NULL REFERENCES psa_companies(id), name TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE INDEX psa_agreements_partner ON psa_agreements(partner_id, company_id);
    CREATE TABLE psa_agreement_lines (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id),
      agreement_id TEXT NOT NULL REFERENCES psa_agreements(id),
      company_id TEXT NOT NULL REFERENCES psa_companies(id), product_id TEXT NOT NULL REFERENCES psa_products(id),
      quantity REAL NOT NULL, active INTEGER NOT NULL, created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL);
    CREATE INDEX psa_agreement_lines_partner ON psa_agreement_lines(partner_id, company_id, product_id);
    CREATE INDEX psa_agreement_lines_agreement ON psa_agreement_lines(agreement_id);
    CREATE INDEX psa_agreement_lines_product ON psa_agreement_lines(product_id);
    CREATE INDEX mappings_target ON mappings(kind, target_id);
    CREATE INDEX psa_companies_name ON psa_companies(partner_id, lower(name));
    CREATE INDEX psa_products_name ON psa_products(partner_id, lower(name));
    CREATE TABLE card_actions (
      partner_id TEXT NOT NULL, period TEXT NOT NULL, card_id TEXT NOT NULL, action TEXT NOT NULL,
      quantity REAL, effective_date TEXT, vendor_quantity REAL NOT NULL, actor TEXT NOT NULL,
      at_ms INTEGER NOT NULL, PRIMARY KEY (partner_id, period, card_id));
    CREATE TABLE audit_entries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, partner_id TEXT NOT NULL, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,
      period TEXT NOT NULL, card_id TEXT NOT NULL, company_id TEXT NOT NULL, product_id TEXT NOT NULL,
      action TEXT NOT NULL, from_quantity REAL NOT NULL, to_quantity REAL, effective_date TEXT,
      agreement_line_id TEXT);
    CREATE INDEX audit_entries_partner ON audit_entries(partner_id, id);
  `,
  '0003_integration_pause': `
    ALTER TABLE integrations ADD COLUMN paused_at_ms INTEGER;
  `,
  '0005_partner_currency': `
    ALTER TABLE partners ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
  `,
  '0007_psa_connector': `
    ALTER TABLE psa_companies ADD COLUMN source TEXT NOT NULL DEFAULT 'tally';
    ALTER TABLE psa_companies ADD COLUMN external_id TEXT;
    ALTER TABLE psa_companies ADD COLUMN external_code TEXT;
    ALTER TABLE psa_products ADD COLUMN source TEXT NOT NULL DEFAULT 'tally';
    ALTER TABLE psa_products ADD COLUMN external_id TEXT;
    ALTER TABLE psa_products ADD COLUMN external_code TEXT;
    ALTER TABLE psa_agreements ADD COLUMN source TEXT NOT NULL DEFAULT 'tally';
    ALTER TABLE psa_agreements ADD COLUMN external_id TEXT;
    ALTER TABLE psa_agreements ADD COLUMN external_code TEXT;
    ALTER TABLE psa_agreements ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE psa_agreement_lines ADD COLUMN source TEXT NOT NULL DEFAULT 'tally';
    ALTER TABLE psa_agreement_lines ADD COLUMN external_id TEXT;
    ALTER TABLE psa_agreement_lines ADD COLUMN external_code TEXT;
    CREATE UNIQUE INDEX psa_companies_external ON psa_companies(partner_id, source, external_id)
      WHERE external_id IS NOT NULL;
    CREATE UNIQUE INDEX psa_products_external ON psa_products(partner_id, source, external_id)
      WHERE external_id IS NOT NULL;
    CREATE UNIQUE INDEX psa_agreements_external ON psa_agreements(partner_id, source, external_id)
      WHERE external_id IS NOT NULL;
    CREATE UNIQUE INDEX psa_agreement_lines_external ON psa_agreement_lines(partner_id, source, external_id)
      WHERE external_id IS NOT NULL;
    CREATE TABLE psa_connections (
      partner_id TEXT PRIMARY KEY REFERENCES partners(id), kind TEXT NOT NULL, site TEXT NOT NULL,
      account TEXT NOT NULL, settings_json TEXT NOT NULL, secret_box TEXT NOT NULL,
      delta_since_ms INTEGER, next_full_sync_at_ms INTEGER, created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL);
    CREATE TABLE psa_syncs (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, kind TEXT NOT NULL, full_sync INTEGER NOT NULL,
      state TEXT NOT NULL, started_at_ms INTEGER NOT NULL, finished_at_ms INTEGER, counts_json TEXT NOT NULL,
      error TEXT, lease_until_ms INTEGER);
    CREATE INDEX psa_syncs_partner ON psa_syncs(partner_id, started_at_ms);
    CREATE TABLE psa_writes (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, kind TEXT NOT NULL, op TEXT NOT NULL,
      period TEXT NOT NULL, card_id TEXT NOT NULL, company_id TEXT NOT NULL, product_id TEXT NOT NULL,
      line_id TEXT, agreement_id TEXT, target_quantity REAL NOT NULL, state TEXT NOT NULL,
      attempts INTEGER NOT NULL, last_error TEXT, next_attempt_at_ms INTEGER NOT NULL, lease_until_ms INTEGER,
      created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL);
    CREATE INDEX psa_writes_due ON psa_writes(state, next_attempt_at_ms);
    CREATE INDEX psa_writes_partner ON psa_writes(partner_id, card_id, created_at_ms);
  `,
  '0009_sandbox': `
    CREATE TABLE sandboxes (
      integration_id TEXT PRIMARY KEY REFERENCES integrations(id),
      vendor_id TEXT NOT NULL UNIQUE REFERENCES vendors(id),
      partner_id TEXT NOT NULL UNIQUE REFERENCES partners(id), clock_offset_ms INTEGER NOT NULL,
      faults_json TEXT, fault_sequence INTEGER NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE TABLE sandbox_requests (
      id INTEGER PRIMARY KEY AUTOINCREMENT, integration_id TEXT NOT NULL REFERENCES sandboxes(integration_id),
      at_ms INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, route TEXT NOT NULL,
      status_code INTEGER NOT NULL, duration_ms REAL NOT NULL, fault TEXT, request_id TEXT NOT NULL,
      request_body TEXT, response_body TEXT);
    CREATE INDEX sandbox_requests_integration ON sandbox_requests(integration_id, id);
  `,
  '0008_webhooks': `
    CREATE TABLE webhook_endpoints (
      id TEXT PRIMARY KEY, owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, url TEXT NOT NULL,
      description TEXT NOT NULL, event_types TEXT NOT NULL, secret TEXT NOT NULL, previous_secret TEXT,
      previous_secret_until_ms INTEGER, enabled INTEGER NOT NULL, disabled_reason TEXT, failing_since_ms INTEGER,
      created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL);
    CREATE INDEX webhook_endpoints_owner ON webhook_endpoints(owner_kind, owner_id);
    CREATE TABLE webhook_events (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, partner_id TEXT, vendor_id TEXT, integration_id TEXT,
      occurred_at_ms INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX webhook_events_partner ON webhook_events(partner_id, occurred_at_ms);
    CREATE INDEX webhook_events_vendor ON webhook_events(vendor_id, occurred_at_ms);
    CREATE TABLE webhook_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL REFERENCES webhook_events(id),
      endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE, order_key TEXT NOT NULL,
      status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at_ms INTEGER NOT NULL,
      lease_until_ms INTEGER NOT NULL, created_at_ms INTEGER NOT NULL, last_attempt_at_ms INTEGER,
      last_status_code INTEGER, last_error TEXT, delivered_at_ms INTEGER);
    CREATE INDEX webhook_deliveries_queue ON webhook_deliveries(endpoint_id, order_key, id) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
    CREATE INDEX webhook_deliveries_leased ON webhook_deliveries(endpoint_id)
      WHERE status = 'pending' AND lease_until_ms > 0;
    CREATE TABLE webhook_attempts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      endpoint_id TEXT NOT NULL, event_id TEXT NOT NULL, at_ms INTEGER NOT NULL, status_code INTEGER,
      latency_ms INTEGER NOT NULL, error TEXT, response_snippet TEXT NOT NULL);
    CREATE INDEX webhook_attempts_endpoint ON webhook_attempts(endpoint_id, id);
    CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
    CREATE TABLE webhook_marks (key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
  `,
  '0011_psa_halo_autotask': `
    ALTER TABLE psa_writes ADD COLUMN remote_ref TEXT;
    ALTER TABLE psa_writes ADD COLUMN effective_date TEXT;
    ALTER TABLE psa_agreement_lines ADD COLUMN locked_reason TEXT;
  `,
  '0012_import_stage': `
    CREATE TABLE import_batches (
      id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, started_at_ms INTEGER NOT NULL);
    CREATE TABLE import_stage_companies (
      batch_id TEXT NOT NULL, id TEXT NOT NULL, partner_id TEXT NOT NULL, name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL);
    CREATE INDEX import_stage_companies_batch ON import_stage_companies(batch_id);
    CREATE TABLE import_stage_products (
      batch_id TEXT NOT NULL, id TEXT NOT NULL, partner_id TEXT NOT NULL, name TEXT NOT NULL,
      unit_price_micros INTEGER NOT NULL, unit_cost_micros INTEGER NOT NULL, created_at_ms INTEGER NOT NULL,
      replaces INTEGER NOT NULL);
    CREATE INDEX import_stage_products_batch ON import_stage_products(batch_id);
    CREATE TABLE import_stage_agreements (
      batch_id TEXT NOT NULL, id TEXT NOT NULL, partner_id TEXT NOT NULL, company_id TEXT NOT NULL,
      name TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE INDEX import_stage_agreements_batch ON import_stage_agreements(batch_id);
    CREATE TABLE import_stage_lines (
      batch_id TEXT NOT NULL, id TEXT NOT NULL, partner_id TEXT NOT NULL, agreement_id TEXT NOT NULL,
      company_id TEXT NOT NULL, product_id TEXT NOT NULL, quantity REAL NOT NULL, active INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, replaces INTEGER NOT NULL);
    CREATE INDEX import_stage_lines_batch ON import_stage_lines(batch_id);
  `,
};
