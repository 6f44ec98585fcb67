import { sql } from 'kysely';
import type { EndpointOwnerKind } from '../../core/webhooks/events.js';
import type {
  ClaimedDelivery,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
  WebhookStore,
} from '../../core/webhooks/store.js';
import type {
  Db,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookEventsTable,
} from '../schema.js';
import { msOrNull as num } from '../rows.js';

/** ",a,b," ⇄ ["a","b"]: the commas at both ends let `like '%,type,%'` match whole names only. */
const typesColumn = (types: string[]): string => `,${types.join(',')},`;
const typesOf = (column: string): string[] => column.split(',').filter((t) => t !== '');

const toEndpoint = (r: WebhookEndpointsTable): WebhookEndpoint => ({
  id: r.id,
  ownerKind: r.owner_kind as EndpointOwnerKind,
  ownerId: r.owner_id,
  url: r.url,
  description: r.description,
  eventTypes: typesOf(r.event_types),
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretUntilMs: num(r.previous_secret_until_ms),
  enabled: Number(r.enabled) === 1,
  disabledReason: r.disabled_reason,
  failingSinceMs: num(r.failing_since_ms),
  createdAtMs: Number(r.created_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

const endpointRow = (e: WebhookEndpoint): WebhookEndpointsTable => ({
  id: e.id,
  owner_kind: e.ownerKind,
  owner_id: e.ownerId,
  url: e.url,
  description: e.description,
  event_types: typesColumn(e.eventTypes),
  secret: e.secret,
  previous_secret: e.previousSecret,
  previous_secret_until_ms: e.previousSecretUntilMs,
  enabled: e.enabled ? 1 : 0,
  disabled_reason: e.disabledReason,
  failing_since_ms: e.failingSinceMs,
  created_at_ms: e.createdAtMs,
  updated_at_ms: e.updatedAtMs,
});

const toEvent = (r: WebhookEventsTable): WebhookEvent => ({
  id: r.id,
  type: r.type,
  partnerId: r.partner_id,
  vendorId: r.vendor_id,
  integrationId: r.integration_id,
  occurredAtMs: Number(r.occurred_at_ms),
  data: r.data,
});

type DeliveryRow = Omit<WebhookDeliveriesTable, 'id'> & { id: number | string };

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: Number(r.id),
  eventId: r.event_id,
  endpointId: r.endpoint_id,
  orderKey: r.order_key,
  status: r.status as WebhookDelivery['status'],
  attempts: r.attempts,
  nextAttemptAtMs: Number(r.next_attempt_at_ms),
  leaseUntilMs: Number(r.lease_until_ms),
  createdAtMs: Number(r.created_at_ms),
  lastAttemptAtMs: num(r.last_attempt_at_ms),
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  deliveredAtMs: num(r.delivered_at_ms),
});

type AttemptRow = Omit<WebhookAttemptsTable, 'id'> & { id: number | string };

const toAttempt = (r: AttemptRow): WebhookAttempt => ({
  id: Number(r.id),
  deliveryId: Number(r.delivery_id),
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  atMs: Number(r.at_ms),
  statusCode: r.status_code,
  latencyMs: r.latency_ms,
  error: r.error,
  responseSnippet: r.response_snippet,
});

/** Rows per multi-row INSERT, well under both engines' bound-parameter limits. */
const INSERT_CHUNK_ROWS = 500;

/** Runs fn in the caller's transaction, or in a new one when called on the database itself. */
const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

export const webhookRepo = (db: Db, dialect: 'sqlite' | 'postgres'): WebhookStore => ({
  async insertWebhookEndpoint(endpoint) {
    await db.insertInto('webhook_endpoints').values(endpointRow(endpoint)).execute();
  },
  async getWebhookEndpoint(id) {
    const r = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toEndpoint(r);
  },
  async listWebhookEndpoints(ownerKind, ownerId) {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('owner_kind', '=', ownerKind)
      .where('owner_id', '=', ownerId)
      .orderBy('created_at_ms')
      .orderBy('id')
      .execute();
    return rows.map(toEndpoint);
  },
  async updateWebhookEndpoint(endpoint) {
    const { id, ...rest } = endpointRow(endpoint);
    await db.updateTable('webhook_endpoints').set(rest).where('id', '=', id).execute();
  },
  async deleteWebhookEndpoint(id) {
    await inTransaction(db, async (trx) => {
      // The endpoint first, as claims and settlements lock it before its deliveries.
      if (dialect === 'postgres')
        await sql`select id from webhook_endpoints where id = ${id} for update`.execute(trx);
      // Explicit rather than trusting ON DELETE CASCADE: SQLite enforces it only with foreign keys on.
      const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id);
      await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    });
  },

  async insertWebhookEvents(events, orderKeys, nowMs) {
    if (events.length === 0) return 0;
    let queued = 0;
    for (let i = 0; i < events.length; i += INSERT_CHUNK_ROWS) {
      const chunk = events.slice(i, i + INSERT_CHUNK_ROWS);
      await db
        .insertInto('webhook_events')
        .values(
          chunk.map((e) => ({
            id: e.id,
            type: e.type,
            partner_id: e.partnerId,
            vendor_id: e.vendorId,
            integration_id: e.integrationId,
            occurred_at_ms: e.occurredAtMs,
            data: e.data,
          })),
        )
        .execute();
    }
    // The fan-out: one statement per distinct (partner, vendor) pair, in event order (ids rise
    // with insertion), so deliveries of one order key queue in the order the events happened.
    const groups = new Map<string, { partnerId: string | null; vendorId: string | null; ids: string[] }>();
    events.forEach((e, i) => {
      const key = `${e.partnerId ?? ''}\u0000${e.vendorId ?? ''}\u0000${orderKeys[i] ?? ''}`;
      const group = groups.get(key) ?? { partnerId: e.partnerId, vendorId: e.vendorId, ids: [] };
      group.ids.push(e.id);
      groups.set(key, group);
    });
    for (const [key, group] of groups) {
      const orderKey = key.split('\u0000')[2] ?? '';
      for (let i = 0; i < group.ids.length; i += INSERT_CHUNK_ROWS) {
        const ids = group.ids.slice(i, i + INSERT_CHUNK_ROWS);
        const order = sql.join(
          ids.map((id, n) => sql`when ${id} then ${n}`),
          sql` `,
        );
        const result = await sql`insert into webhook_deliveries (event_id, endpoint_id, order_key, status,
            attempts, next_attempt_at_ms, lease_until_ms, created_at_ms)
          select ev.id, ep.id, ${orderKey}, 'pending', 0, ${nowMs}, 0, ${nowMs}
          from webhook_events ev join webhook_endpoints ep
            on ep.enabled = 1 and ep.event_types like '%,' || ev.type || ',%'
            and ((ep.owner_kind = 'partner' and ep.owner_id = ev.partner_id)
              or (ep.owner_kind = 'vendor' and ep.owner_id = ev.vendor_id))
          where ev.id in (${sql.join(ids)})
          order by case ev.id ${order} end, ep.id`.execute(db);
        queued += Number(result.numAffectedRows ?? 0);
      }
    }
    return queued;
  },
  async queueWebhookDelivery(eventId, endpointId, orderKey, nowMs) {
    await db
      .insertInto('webhook_deliveries')
      .values({
        event_id: eventId,
        endpoint_id: endpointId,
        order_key: orderKey,
        status: 'pending',
        attempts: 0,
        next_attempt_at_ms: nowMs,
        lease_until_ms: 0,
        created_at_ms: nowMs,
      })
      .execute();
  },
  async getWebhookEvent(id) {
    const r = await db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toEvent(r);
  },
  async listWebhookEventsSince(ownerKind, ownerId, sinceMs, types, limit) {
    if (types.length === 0) return [];
    const rows = await db
      .selectFrom('webhook_events')
      .selectAll()
      .where(ownerKind === 'partner' ? 'partner_id' : 'vendor_id', '=', ownerId)
      .where('occurred_at_ms', '>=', sinceMs)
      .where('type', 'in', types)
      .orderBy('occurred_at_ms')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  },

  async claimWebhookDeliveries(nowMs, leaseUntilMs, maxInFlight, limit) {
    return inTransaction(db, async (trx) => {
      // Enabled endpoints with something pending, locked until commit so two processes never both
      // fill one endpoint's slots; an endpoint another process is claiming for is skipped this time.
      const { rows: endpointRows } = await sql<WebhookEndpointsTable>`select * from webhook_endpoints ep
        where ep.enabled = 1 and exists (select 1 from webhook_deliveries d
          where d.endpoint_id = ep.id and d.status = 'pending')
        order by ep.id ${dialect === 'postgres' ? sql`for update skip locked` : sql``}`.execute(trx);
      if (endpointRows.length === 0) return [];
      const { rows: busyRows } = await sql<{ endpoint_id: string; n: number | string }>`select endpoint_id,
          count(*) as n from webhook_deliveries
        where status = 'pending' and lease_until_ms > 0 and lease_until_ms > ${nowMs}
        group by endpoint_id`.execute(trx);
      const busy = new Map(busyRows.map((r) => [r.endpoint_id, Number(r.n)]));
      const picked: { row: DeliveryRow; endpoint: WebhookEndpoint }[] = [];
      for (const endpointRow of endpointRows) {
        if (picked.length >= limit) break;
        const slots = Math.min(maxInFlight - (busy.get(endpointRow.id) ?? 0), limit - picked.length);
        if (slots <= 0) continue;
        const endpoint = toEndpoint(endpointRow);
        // Only the oldest pending delivery of each order key may go: the head of its queue. The
        // order keys are walked one index seek at a time (a skip scan), so finding the heads costs
        // one seek per queue, not a read of the whole backlog.
        const { rows } = await sql<DeliveryRow>`with recursive k(order_key) as (
            select min(order_key) from webhook_deliveries
              where endpoint_id = ${endpoint.id} and status = 'pending'
            union all
            select (select min(q.order_key) from webhook_deliveries q
                where q.endpoint_id = ${endpoint.id} and q.status = 'pending' and q.order_key > k.order_key)
              from k where k.order_key is not null)
          select d.* from k join webhook_deliveries d on d.id = (select min(h.id) from webhook_deliveries h
              where h.endpoint_id = ${endpoint.id} and h.status = 'pending' and h.order_key = k.order_key)
          where d.next_attempt_at_ms <= ${nowMs} and d.lease_until_ms <= ${nowMs}
          order by d.id limit ${slots}`.execute(trx);
        for (const row of rows) picked.push({ row, endpoint });
      }
      if (picked.length === 0) return [];
      await trx
        .updateTable('webhook_deliveries')
        .set({ lease_until_ms: leaseUntilMs })
        .where(
          'id',
          'in',
          picked.map((p) => Number(p.row.id)),
        )
        .execute();
      const events = await trx
        .selectFrom('webhook_events')
        .selectAll()
        .where('id', 'in', [...new Set(picked.map((p) => p.row.event_id))])
        .execute();
      const byId = new Map(events.map((e) => [e.id, toEvent(e)]));
      const claimed: ClaimedDelivery[] = [];
      for (const { row, endpoint } of picked) {
        const event = byId.get(row.event_id);
        if (event) claimed.push({ delivery: { ...toDelivery(row), leaseUntilMs }, event, endpoint });
      }
      return claimed;
    });
  },
  async settleWebhookDelivery(outcome, nowMs) {
    return inTransaction(db, async (trx) => {
      const lock = dialect === 'postgres' ? sql`for update` : sql``;
      // Endpoint before delivery, the order claims and deletions lock them in too, so none of the
      // three can wait on another in a cycle.
      await sql`select id from webhook_endpoints where id = ${outcome.attempt.endpointId} ${lock}`.execute(
        trx,
      );
      const { rows } = await sql<DeliveryRow>`select * from webhook_deliveries
        where id = ${outcome.deliveryId} ${lock}`.execute(trx);
      const row = rows[0];
      if (!row || Number(row.lease_until_ms) !== outcome.leaseUntilMs || row.status !== 'pending')
        return false;
      const a = outcome.attempt;
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: a.deliveryId,
          endpoint_id: a.endpointId,
          event_id: a.eventId,
          at_ms: a.atMs,
          status_code: a.statusCode,
          latency_ms: a.latencyMs,
          error: a.error,
          response_snippet: a.responseSnippet,
        })
        .execute();
      const common = {
        attempts: row.attempts + 1,
        lease_until_ms: 0,
        last_attempt_at_ms: a.atMs,
        last_status_code: a.statusCode,
        last_error: a.error,
      };
      if (outcome.ok) {
        await trx
          .updateTable('webhook_deliveries')
          .set({ ...common, status: 'delivered', delivered_at_ms: nowMs })
          .where('id', '=', outcome.deliveryId)
          .execute();
        await trx
          .updateTable('webhook_endpoints')
          .set({ failing_since_ms: null })
          .where('id', '=', a.endpointId)
          .where('failing_since_ms', 'is not', null)
          .execute();
        return true;
      }
      await trx
        .updateTable('webhook_deliveries')
        .set(
          outcome.nextAttemptAtMs === null
            ? { ...common, status: 'failed' }
            : { ...common, next_attempt_at_ms: outcome.nextAttemptAtMs },
        )
        .where('id', '=', outcome.deliveryId)
        .execute();
      await trx
        .updateTable('webhook_endpoints')
        .set({ failing_since_ms: a.atMs })
        .where('id', '=', a.endpointId)
        .where('failing_since_ms', 'is', null)
        .execute();
      const since = new Date(outcome.disableIfFailingSinceMs).toISOString();
      await trx
        .updateTable('webhook_endpoints')
        .set({
          enabled: 0,
          disabled_reason: `Every delivery attempt failed since ${since}; last error: ${a.error ?? `HTTP ${a.statusCode}`}`,
          updated_at_ms: nowMs,
        })
        .where('id', '=', a.endpointId)
        .where('enabled', '=', 1)
        .where('failing_since_ms', '<=', outcome.disableIfFailingSinceMs)
        .execute();
      return true;
    });
  },
  async nextWebhookDueAtMs() {
    const r = await sql<{ due: number | string | null }>`select min(case
        when d.lease_until_ms > d.next_attempt_at_ms then d.lease_until_ms else d.next_attempt_at_ms end) as due
      from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id and ep.enabled = 1
      where d.status = 'pending'`.execute(db);
    return num(r.rows[0]?.due ?? null);
  },
  async expireWebhookLeases(nowMs) {
    const r = await db
      .updateTable('webhook_deliveries')
      .set({ lease_until_ms: 0 })
      .where('status', '=', 'pending')
      .where('lease_until_ms', '>', nowMs)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async listWebhookDeliveries(endpointId, options) {
    let q = db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type')
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.id', 'desc')
      .limit(options.limit);
    if (options.beforeId !== undefined) q = q.where('d.id', '<', options.beforeId);
    const rows = await q.execute();
    return rows.map((r) => ({ delivery: toDelivery(r), type: r.type }));
  },
  async listWebhookAttempts(deliveryIds) {
    if (deliveryIds.length === 0) return [];
    const rows = await db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveryIds)
      .orderBy('id')
      .execute();
    return rows.map(toAttempt);
  },

  async claimWebhookMarks(keys, nowMs, windowMs) {
    if (keys.length === 0) return [];
    const { rows } = await sql<{ key: string }>`insert into webhook_marks (key, at_ms)
      values ${sql.join(keys.map((k) => sql`(${k}, ${nowMs})`))}
      on conflict (key) do update set at_ms = excluded.at_ms
        where webhook_marks.at_ms <= ${nowMs - windowMs}
      returning key`.execute(db);
    return rows.map((r) => r.key);
  },
});
