import type { BillingView } from '../api.js';
import { formatMoney, formatSignedMoney } from '../format.js';

/** The three numbers an MSP looks at first. */
export function Totals({ totals }: { totals: BillingView['totals'] }) {
  return (
    <dl class="totals">
      <div class="total">
        <dt>Lines to review</dt>
        <dd>{totals.linesToReview}</dd>
      </div>
      <div class={`total${totals.revenueFound > 0 ? ' total-revenue' : ''}`}>
        <dt>Revenue found this month</dt>
        <dd>{formatSignedMoney(totals.revenueFound)}</dd>
      </div>
      <div class="total">
        <dt>Margin found</dt>
        <dd>{totals.marginFound === 0 ? formatMoney(0) : formatSignedMoney(totals.marginFound)}</dd>
      </div>
    </dl>
  );
}
