import { sql } from 'kysely';
import type {
  Account,
  Integration,
  IntegrationStatus,
  Mapping,
  MappingKind,
  OrgService,
} from '../../core/model.js';
import type { IntegrationStore } from '../../core/ports.js';
import type { Db, IntegrationsTable, ItemsTable, MappingsTable } from '../schema.js';

const toIntegration = (r: IntegrationsTable): Integration => ({
  id: r.id,
  vendorId: r.vendor_id,
  partnerId: r.partner_id,
  status: r.status as IntegrationStatus,
  lastSyncedAtMs: r.last_synced_at_ms === null ? null : Number(r.last_synced_at_ms),
  disconnectedAtMs: r.disconnected_at_ms === null ? null : Number(r.disconnected_at_ms),
  pausedAtMs: r.paused_at_ms === null ? null : Number(r.paused_at_ms),
  createdAtMs: Number(r.created_at_ms),
});

/** Accounts and organization services share one row shape. */
const toItem = (r: ItemsTable): Account & OrgService => ({
  integrationId: r.integration_id,
  id: r.id,
  name: r.name,
  description: r.description,
  isActive: r.is_active === 1,
  isArrears: r.is_arrears === 1,
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

const itemRow = (i: Account | OrgService): ItemsTable => ({
  integration_id: i.integrationId,
  id: i.id,
  name: i.name,
  description: i.description,
  is_active: i.isActive ? 1 : 0,
  is_arrears: i.isArrears ? 1 : 0,
  created_at_ms: i.createdAtMs,
  updated_at_ms: i.updatedAtMs,
});

/** A mapping's columns as a left join brings them, null when there is no mapping. */
interface MappingColumns {
  m_target_id: string | null;
  m_excluded: number | null;
  m_updated_at_ms: number | null;
}

const joinedMapping = (
  r: MappingColumns,
  integrationId: string,
  kind: MappingKind,
  itemId: string,
): Mapping | undefined =>
  r.m_updated_at_ms === null
    ? undefined
    : {
        integrationId,
        kind,
        itemId,
        targetId: r.m_target_id,
        excluded: Number(r.m_excluded) === 1,
        updatedAtMs: Number(r.m_updated_at_ms),
      };

const toMapping = (r: MappingsTable): Mapping => ({
  integrationId: r.integration_id,
  kind: r.kind as MappingKind,
  itemId: r.item_id,
  targetId: r.target_id,
  excluded: r.excluded === 1,
  updatedAtMs: Number(r.updated_at_ms),
});

export const integrationRepo = (db: Db): IntegrationStore => {
  const listItems = async (table: 'accounts' | 'org_services', integrationId: string, ids?: string[]) => {
    if (ids && ids.length === 0) return [];
    let q = db.selectFrom(table).selectAll().where('integration_id', '=', integrationId);
    if (ids) q = q.where('id', 'in', ids);
    return (await q.orderBy('id').execute()).map(toItem);
  };
  // Point reads on the count path are plain SQL: Kysely's builder costs more than the query itself.
  const getItem = async (table: 'accounts' | 'org_services', integrationId: string, id: string) => {
    const { rows } = await sql<ItemsTable>`select * from ${sql.table(table)}
      where integration_id = ${integrationId} and id = ${id}`.execute(db);
    return rows[0] && toItem(rows[0]);
  };
  const updateItem = async (table: 'accounts' | 'org_services', item: Account | OrgService) => {
    const { name, description, is_active, is_arrears, updated_at_ms } = itemRow(item);
    await db
      .updateTable(table)
      .set({ name, description, is_active, is_arrears, updated_at_ms })
      .where('integration_id', '=', item.integrationId)
      .where('id', '=', item.id)
      .execute();
  };

  return {
    async insertIntegration(i, keyHash) {
      await db
        .insertInto('integrations')
        .values({
          id: i.id,
          vendor_id: i.vendorId,
          partner_id: i.partnerId,
          key_hash: keyHash,
          status: i.status,
          last_synced_at_ms: i.lastSyncedAtMs,
          disconnected_at_ms: i.disconnectedAtMs,
          paused_at_ms: i.pausedAtMs,
          created_at_ms: i.createdAtMs,
        })
        .execute();
    },
    async getIntegration(id) {
      const r = await db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toIntegration(r);
    },
    async findIntegrationByKeyHash(keyHash) {
      const { rows } =
        await sql<IntegrationsTable>`select * from integrations where key_hash = ${keyHash}`.execute(db);
      return rows[0] && toIntegration(rows[0]);
    },
    async findIntegration(vendorId, partnerId) {
      const r = await db
        .selectFrom('integrations')
        .selectAll()
        .where('vendor_id', '=', vendorId)
        .where('partner_id', '=', partnerId)
        .executeTakeFirst();
      return r && toIntegration(r);
    },
    async listIntegrationsOfPartner(partnerId) {
      const rows = await db
        .selectFrom('integrations')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('created_at_ms')
        .execute();
      return rows.map(toIntegration);
    },
    async setIntegrationStatus(id, status) {
      await db.updateTable('integrations').set({ status }).where('id', '=', id).execute();
    },
    async touchIntegrationSync(id, atMs) {
      await sql`update integrations set last_synced_at_ms = ${atMs} where id = ${id}`.execute(db);
    },
    async disconnectIntegration(id, atMs) {
      await db.updateTable('integrations').set({ disconnected_at_ms: atMs }).where('id', '=', id).execute();
    },
    async setIntegrationKeyHash(id, keyHash) {
      await db.updateTable('integrations').set({ key_hash: keyHash }).where('id', '=', id).execute();
    },
    async setIntegrationPaused(id, pausedAtMs) {
      await db.updateTable('integrations').set({ paused_at_ms: pausedAtMs }).where('id', '=', id).execute();
    },
    async reconnectIntegration(id) {
      await db.updateTable('integrations').set({ disconnected_at_ms: null }).where('id', '=', id).execute();
    },
    async purgeIntegration(id) {
      const deleted = async (
        table: 'accounts' | 'org_services' | 'counts' | 'waiting_counts' | 'mappings' | 'billing_rows',
      ) =>
        Number(
          (await db.deleteFrom(table).where('integration_id', '=', id).executeTakeFirst()).numDeletedRows,
        );
      // Mappings first: nothing else refers to them, and they name the accounts about to go.
      const mappings = await deleted('mappings');
      const counts = await deleted('counts');
      await deleted('waiting_counts');
      await deleted('billing_rows');
      await db.deleteFrom('idempotency_keys').where('integration_id', '=', id).execute();
      const accounts = await deleted('accounts');
      const services = await deleted('org_services');
      return { accounts, services, counts, mappings };
    },

    listAccounts: (integrationId, ids) => listItems('accounts', integrationId, ids),
    getAccount: (integrationId, id) => getItem('accounts', integrationId, id),
    async getMappedAccount(integrationId, id) {
      const { rows } = await sql<ItemsTable & MappingColumns>`select a.*, m.target_id as m_target_id,
          m.excluded as m_excluded, m.updated_at_ms as m_updated_at_ms
        from accounts a left join mappings m
          on m.integration_id = a.integration_id and m.kind = 'account' and m.item_id = a.id
        where a.integration_id = ${integrationId} and a.id = ${id}`.execute(db);
      const r = rows[0];
      return r && { account: toItem(r), mapping: joinedMapping(r, integrationId, 'account', id) };
    },
    async getServiceFacts(integrationId, vendorId, serviceId) {
      const { rows } = await sql<MappingColumns & { org_active: number | null; sku_count: number }>`select
          (select is_active from org_services where integration_id = ${integrationId} and id = ${serviceId})
            as org_active,
          (select count(*) from skus where vendor_id = ${vendorId} and id = ${serviceId}) as sku_count,
          m.target_id as m_target_id, m.excluded as m_excluded, m.updated_at_ms as m_updated_at_ms
        from (select 1 as probe) p left join mappings m
          on m.integration_id = ${integrationId} and m.kind = 'service' and m.item_id = ${serviceId}`.execute(
        db,
      );
      const r = rows[0];
      if (!r) throw new Error('the service probe returned no row');
      return {
        orgServiceActive: r.org_active === null ? null : Number(r.org_active) === 1,
        skuExists: Number(r.sku_count) > 0,
        mapping: joinedMapping(r, integrationId, 'service', serviceId),
      };
    },
    async upsertAccount(a) {
      const row = itemRow(a);
      await db
        .insertInto('accounts')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['integration_id', 'id']).doUpdateSet({
            name: row.name,
            description: row.description,
            is_active: row.is_active,
            is_arrears: row.is_arrears,
            updated_at_ms: row.updated_at_ms,
          }),
        )
        .execute();
    },

    listOrgServices: (integrationId, ids) => listItems('org_services', integrationId, ids),
    getOrgService: (integrationId, id) => getItem('org_services', integrationId, id),
    async insertOrgService(s) {
      await db.insertInto('org_services').values(itemRow(s)).execute();
    },
    updateOrgService: (s) => updateItem('org_services', s),

    async listMappings(integrationId, kind) {
      const rows = await db
        .selectFrom('mappings')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .where('kind', '=', kind)
        .execute();
      return rows.map(toMapping);
    },
    async getMapping(integrationId, kind, itemId) {
      const { rows } = await sql<MappingsTable>`select * from mappings
        where integration_id = ${integrationId} and kind = ${kind} and item_id = ${itemId}`.execute(db);
      return rows[0] && toMapping(rows[0]);
    },
    async putMapping(m) {
      const row = {
        integration_id: m.integrationId,
        kind: m.kind,
        item_id: m.itemId,
        target_id: m.targetId,
        excluded: m.excluded ? 1 : 0,
        updated_at_ms: m.updatedAtMs,
      };
      await db
        .insertInto('mappings')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['integration_id', 'kind', 'item_id']).doUpdateSet({
            target_id: row.target_id,
            excluded: row.excluded,
            updated_at_ms: row.updated_at_ms,
          }),
        )
        .execute();
    },
    async deleteMapping(integrationId, kind, itemId) {
      await db
        .deleteFrom('mappings')
        .where('integration_id', '=', integrationId)
        .where('kind', '=', kind)
        .where('item_id', '=', itemId)
        .execute();
    },
  };
};
