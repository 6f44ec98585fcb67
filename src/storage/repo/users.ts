import type { PartnerUser } from '../../core/model.js';
import type { UserStore } from '../../core/ports.js';
import type { Db, PartnerUsersTable } from '../schema.js';

const toUser = (r: Omit<PartnerUsersTable, 'password_hash'>): PartnerUser => ({
  id: r.id,
  partnerId: r.partner_id,
  email: r.email,
  name: r.name,
  createdAtMs: Number(r.created_at_ms),
});

/** Partner users and their sign-in sessions. */
export const userRepo = (db: Db): UserStore => ({
  async insertPartnerUser(u, passwordHash) {
    await db
      .insertInto('partner_users')
      .values({
        id: u.id,
        partner_id: u.partnerId,
        email: u.email,
        name: u.name,
        password_hash: passwordHash,
        created_at_ms: u.createdAtMs,
      })
      .execute();
  },
  async findPartnerUserByEmail(email) {
    const r = await db.selectFrom('partner_users').selectAll().where('email', '=', email).executeTakeFirst();
    return r && { user: toUser(r), passwordHash: r.password_hash };
  },
  async setPartnerUserPassword(userId, passwordHash) {
    await db
      .updateTable('partner_users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .execute();
  },

  async insertSession(s) {
    await db
      .insertInto('partner_sessions')
      .values({
        token_hash: s.tokenHash,
        user_id: s.userId,
        partner_id: s.partnerId,
        created_at_ms: s.createdAtMs,
        expires_at_ms: s.expiresAtMs,
      })
      .execute();
  },
  async findSession(tokenHash, nowMs) {
    const r = await db
      .selectFrom('partner_sessions as s')
      .innerJoin('partner_users as u', 'u.id', 's.user_id')
      .innerJoin('partners as p', 'p.id', 's.partner_id')
      .select([
        's.token_hash',
        's.user_id',
        's.partner_id',
        's.created_at_ms',
        's.expires_at_ms',
        'u.email',
        'u.name as user_name',
        'u.created_at_ms as user_created_at_ms',
        'p.name as partner_name',
        'p.created_at_ms as partner_created_at_ms',
      ])
      .where('s.token_hash', '=', tokenHash)
      .where('s.expires_at_ms', '>', nowMs)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      session: {
        tokenHash: r.token_hash,
        userId: r.user_id,
        partnerId: r.partner_id,
        createdAtMs: Number(r.created_at_ms),
        expiresAtMs: Number(r.expires_at_ms),
      },
      user: toUser({
        id: r.user_id,
        partner_id: r.partner_id,
        email: r.email,
        name: r.user_name,
        created_at_ms: r.user_created_at_ms,
      }),
      partner: { id: r.partner_id, name: r.partner_name, createdAtMs: Number(r.partner_created_at_ms) },
    };
  },
  async deleteSession(tokenHash) {
    await db.deleteFrom('partner_sessions').where('token_hash', '=', tokenHash).execute();
  },
  async deleteOtherSessions(userId, keepTokenHash) {
    const r = await db
      .deleteFrom('partner_sessions')
      .where('user_id', '=', userId)
      .where('token_hash', '!=', keepTokenHash)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
  async deleteSessionsExpiredBefore(nowMs) {
    const r = await db.deleteFrom('partner_sessions').where('expires_at_ms', '<=', nowMs).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
});
