import { cardId } from '../billing/cards.js';
import type { IdGenerator } from '../ids.js';
import type { BillingRow, BuildState } from '../model.js';
import type { Repo } from '../ports.js';
import { type EventInput, emitWebhookEvents } from '../webhooks/emit.js';

/** Quantities are decimals; a change below this is no change. */
const EPSILON = 1e-9;

/**
 * The webhook events of a landed build, in its transaction: `billing.built`, then `card.changed`
 * for each (company, product) whose quantity from this integration moved — recorded only while one
 * of the partner's endpoints subscribes to them: a first build changes every card, and thousands of
 * events kept for nobody would cost the build most of its time and grow the outbox for nothing.
 */
export async function announceBuild(
  tx: Repo,
  ids: IdGenerator,
  build: { state: BuildState; previousRows: BillingRow[]; rows: BillingRow[]; nowMs: number },
): Promise<void> {
  const { state, nowMs } = build;
  const integration = await tx.getIntegration(state.integrationId);
  if (!integration) return;
  const place = {
    partnerId: integration.partnerId,
    vendorId: integration.vendorId,
    integrationId: integration.id,
  };
  const events: EventInput[] = [
    {
      type: 'billing.built',
      ...place,
      occurredAtMs: nowMs,
      data: {
        integrationId: integration.id,
        revision: state.claimedRevision,
        countsChanged: state.claimedChanges,
      },
    },
  ];
  const endpoints = await tx.listWebhookEndpoints('partner', integration.partnerId);
  if (!endpoints.some((e) => e.eventTypes.includes('card.changed'))) {
    await emitWebhookEvents(tx, ids, events);
    return;
  }
  const key = (r: BillingRow) => cardId(r.companyId, r.productId);
  const before = new Map(build.previousRows.map((r) => [key(r), r.vendorQuantity]));
  const after = new Map(build.rows.map((r) => [key(r), r]));
  const changed = (id: string, companyId: string, productId: string, from: number, to: number) => {
    if (Math.abs(from - to) < EPSILON) return;
    events.push({
      type: 'card.changed',
      ...place,
      occurredAtMs: nowMs,
      data: {
        cardId: id,
        companyId,
        productId,
        integrationId: integration.id,
        vendorQuantity: to,
        previousVendorQuantity: from,
      },
    });
  };
  for (const [id, row] of after)
    changed(id, row.companyId, row.productId, before.get(id) ?? 0, row.vendorQuantity);
  for (const row of build.previousRows) {
    if (!after.has(key(row))) changed(key(row), row.companyId, row.productId, row.vendorQuantity, 0);
  }
  await emitWebhookEvents(tx, ids, events);
}
