import type { BoardCard } from '../../../core/billing/billing-board.js';
import { isoTime } from '../../../core/clock.js';
import { fromMicros } from '../../../core/psa/money.js';

/** A billing card as the partner API shows it (see docs/partner-api.md, "A card"). */
export const presentCard = (card: BoardCard) => ({
  id: card.id,
  companyId: card.companyId,
  companyName: card.companyName,
  productId: card.productId,
  productName: card.productName,
  // One name for the usual single-vendor card; `sources` has each vendor's share.
  vendorName: card.sources.map((s) => s.vendorName).join(', '),
  integrationId: card.sources[0]?.integrationId ?? null,
  sources: card.sources,
  vendorQuantity: card.vendorQuantity,
  psaQuantity: card.psaQuantity,
  difference: card.difference,
  state: card.state,
  unitPrice: fromMicros(card.unitPriceMicros),
  unitCost: fromMicros(card.unitCostMicros),
  monthlyEffect: fromMicros(card.monthlyEffectMicros),
  marginEffect: fromMicros(card.marginEffectMicros),
  lastChangedAt: card.lastChangedAtMs > 0 ? isoTime(card.lastChangedAtMs) : null,
  // false: a vendor service maps to the product but sent no count for this company (it reports 0).
  vendorCounted: card.vendorCounted,
  action: card.action && {
    action: card.action.action,
    at: isoTime(card.action.atMs),
    by: card.action.by,
    effectiveDate: card.action.effectiveDate,
    quantity: card.action.quantity,
  },
});
