import type { BillingTotals } from '../api.js';
import { formatMoney, formatQuantity, formatSignedMoney } from '../format.js';
import { hrefOf } from '../router.js';

const lines = (n: number): string => `${n} ${n === 1 ? 'line' : 'lines'}`;

/**
 * The numbers an MSP looks at first. Under-billed, over-billed and net are each the sum of the open
 * cards they name, so the header always agrees with the board below it.
 */
export function Totals({ totals }: { totals: BillingTotals }) {
  return (
    <>
      <dl class="totals">
        <div class="total">
          <dt>Lines to review</dt>
          <dd>{totals.linesToReview}</dd>
        </div>
        <div class={`total${totals.revenueFound > 0 ? ' total-revenue' : ''}`}>
          <dt>Under-billed (revenue found)</dt>
          <dd data-total="under">{formatSignedMoney(totals.revenueFound)}</dd>
          <p class="muted small">{lines(totals.revenueFoundLines)} · per month</p>
        </div>
        <div class={`total${totals.overBilled > 0 ? ' total-refund' : ''}`}>
          <dt>Over-billed (refund exposure)</dt>
          <dd data-total="over">{formatMoney(totals.overBilled)}</dd>
          <p class="muted small">{lines(totals.overBilledLines)} · per month</p>
        </div>
        <div class="total">
          <dt>Net if all approved</dt>
          <dd data-total="net">{formatSignedMoney(totals.net)}</dd>
          <p class="muted small">
            Margin {totals.marginFound === 0 ? formatMoney(0) : formatSignedMoney(totals.marginFound)}
          </p>
        </div>
      </dl>
      {(totals.itemsHeldBack > 0 || totals.linesWithoutVendor > 0) && (
        <ul class="held-back" aria-label="Not on the board">
          {totals.itemsHeldBack > 0 && (
            <li>
              <strong>{formatQuantity(totals.unitsHeldBack)} units</strong> held back by unmapped items (
              {totals.itemsHeldBack} {totals.itemsHeldBack === 1 ? 'count' : 'counts'} waiting).{' '}
              <a href={hrefOf('mapping')}>Map them</a>
            </li>
          )}
          {totals.linesWithoutVendor > 0 && (
            <li>
              {lines(totals.linesWithoutVendor)} of the ledger bill products no vendor reports (labour, flat
              fees): not reconciled.
            </li>
          )}
        </ul>
      )}
    </>
  );
}
