import type { PartnerSettingsStore } from '../../core/partners/settings-store.js';
import type { Db } from '../schema.js';

/** The partner's settings, kept on its row. */
export const partnerSettingsRepo = (db: Db): PartnerSettingsStore => ({
  async getPartnerSettings(partnerId) {
    const row = await db
      .selectFrom('partners')
      .select('currency')
      .where('id', '=', partnerId)
      .executeTakeFirst();
    return row && { currency: row.currency };
  },
  async setPartnerSettings(partnerId, settings) {
    await db
      .updateTable('partners')
      .set({ currency: settings.currency })
      .where('id', '=', partnerId)
      .execute();
  },
});
