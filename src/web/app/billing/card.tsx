import { PSA_NAMES } from '../../../core/model.js';
import type { Card } from '../api.js';
import {
  formatAgo,
  formatDateTime,
  formatQuantity,
  formatSignedMoney,
  formatSignedQuantity,
} from '../format.js';
import { type Act, CardActions } from './card-actions.js';
import { PsaWriteState } from './psa-write-state.js';
import { Sparkline } from './sparkline.js';
import { isActionable } from './view-model.js';

interface Props {
  card: Card;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  act: Act;
}

/** One (company, product): what the vendors report beside what the PSA bills, and what it is worth. */
export function BillingCard({ card, selected, onSelect, act }: Props) {
  const titleId = `card-${card.id}`;
  const tone = card.monthlyEffect > 0 ? 'gain' : card.monthlyEffect < 0 ? 'loss' : 'even';
  return (
    <article
      class={`card state-${card.state}${selected ? ' selected' : ''}`}
      aria-labelledby={titleId}
      data-card-id={card.id}
      tabIndex={-1}
    >
      <header class="card-head">
        {isActionable(card) && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            aria-label={`Select ${card.companyName} ${card.productName}`}
          />
        )}
        <div class="card-title">
          <h3 id={titleId}>{card.companyName}</h3>
          <p class="muted">
            {card.productName}
            <span aria-hidden="true"> · </span>
            <span class="vendor">{card.vendorName || 'no count for this company'}</span>
            {card.psa && <span class="badge source-badge">{PSA_NAMES[card.psa.kind]}</span>}
          </p>
        </div>
      </header>
      <dl class="figures">
        <div>
          <dt>PSA qty</dt>
          <dd>{formatQuantity(card.psaQuantity)}</dd>
        </div>
        <div>
          <dt>Vendor qty</dt>
          <dd>{formatQuantity(card.vendorQuantity)}</dd>
        </div>
        <div>
          <dt>Difference</dt>
          <dd class={`diff ${tone}`}>{formatSignedQuantity(card.difference)}</dd>
        </div>
      </dl>
      {card.sources.length > 1 && (
        <ul class="per-vendor" aria-label={`Per vendor for ${card.companyName} ${card.productName}`}>
          {card.sources.map((s) => (
            <li key={s.integrationId}>
              {s.vendorName}: <strong>{formatQuantity(s.vendorQuantity)}</strong>
            </li>
          ))}
        </ul>
      )}
      {!card.vendorCounted && (
        <p
          class="badge warn vendor-zero"
          title="A vendor service maps to this product, but no vendor sent a count for this company"
        >
          Vendor reports 0
        </p>
      )}
      <dl class="money">
        <div>
          <dt>Monthly effect</dt>
          <dd class={tone}>{formatSignedMoney(card.monthlyEffect)}</dd>
        </div>
        <div>
          <dt>Margin</dt>
          <dd class={tone}>{formatSignedMoney(card.marginEffect)}</dd>
        </div>
      </dl>
      {card.psaLockedReason && (
        <p class="psa-locked" role="note">
          <span class="badge warn">Cannot be approved</span> {card.psaLockedReason}
        </p>
      )}
      {card.psaWrite && card.psa && (
        <PsaWriteState write={card.psaWrite} psaName={PSA_NAMES[card.psa.kind]} />
      )}
      <div class="card-foot">
        <Sparkline cardId={card.id} version={card.lastChangedAt} />
        <p class="muted small">
          {card.lastChangedAt ? (
            <>
              Changed{' '}
              <time dateTime={card.lastChangedAt} title={formatDateTime(card.lastChangedAt)}>
                {formatAgo(card.lastChangedAt)}
              </time>
            </>
          ) : (
            'No vendor change yet'
          )}
        </p>
      </div>
      <CardActions card={card} act={act} />
    </article>
  );
}
