import type { IdempotencyStore } from '../../core/ports.js';
import type { Db } from '../schema.js';

export const idempotencyRepo = (db: Db): IdempotencyStore => ({
  async getIdempotency(integrationId, key) {
    const r = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('key', '=', key)
      .executeTakeFirst();
    return (
      r && {
        integrationId: r.integration_id,
        key: r.key,
        bodyHash: r.body_hash,
        statusCode: r.status_code,
        responseJson: r.response_json,
        createdAtMs: Number(r.created_at_ms),
      }
    );
  },
  async putIdempotency(rec) {
    const row = {
      integration_id: rec.integrationId,
      key: rec.key,
      body_hash: rec.bodyHash,
      status_code: rec.statusCode,
      response_json: rec.responseJson,
      created_at_ms: rec.createdAtMs,
    };
    // An expired record with the same key is replaced: the 24 h promise is over.
    await db
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['integration_id', 'key']).doUpdateSet({
          body_hash: row.body_hash,
          status_code: row.status_code,
          response_json: row.response_json,
          created_at_ms: row.created_at_ms,
        }),
      )
      .execute();
  },
  async deleteIdempotencyBefore(cutoffMs) {
    const r = await db
      .deleteFrom('idempotency_keys')
      .where('created_at_ms', '<', cutoffMs)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
});
