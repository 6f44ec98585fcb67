import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { PartnerSettings } from './settings-store.js';
import { DEFAULT_CURRENCY, requireCurrency } from './currency.js';

/** The partner's settings, with defaults for what it never set. */
export async function partnerSettings(ctx: CoreContext, partnerId: string): Promise<PartnerSettings> {
  return (await ctx.store.getPartnerSettings(partnerId)) ?? { currency: DEFAULT_CURRENCY };
}

/** Changes the partner's settings; the currency must be an ISO 4217 code. */
export async function updatePartnerSettings(
  ctx: CoreContext,
  partnerId: string,
  patch: Partial<PartnerSettings>,
): Promise<PartnerSettings> {
  const current = await ctx.store.getPartnerSettings(partnerId);
  if (!current) throw notFound(`No partner found with id: ${partnerId}`);
  const next = {
    ...current,
    ...(patch.currency !== undefined && { currency: requireCurrency(patch.currency) }),
  };
  await ctx.store.setPartnerSettings(partnerId, next);
  return next;
}
