import type { PsaBudget } from '../api.js';
import { formatDateTime } from '../format.js';

const STATE_TEXT: Record<PsaBudget['state'], string> = {
  ok: 'Within budget',
  slowed: 'Slowed down',
  spent: 'Budget spent',
};

/** Autotask's shared request budget as Tally uses it: how much, and whether it is pacing itself. */
export function PsaBudgetPanel({ budget }: { budget: PsaBudget }) {
  const share = Math.min(1, budget.usedLastHour / Math.max(1, budget.hourlyShare));
  return (
    <div class="psa-budget" data-budget-state={budget.state}>
      <h3>Request budget</h3>
      <p>
        <span class={`badge${budget.state === 'ok' ? '' : ' warn'}`}>{STATE_TEXT[budget.state]}</span>{' '}
        <strong>{budget.usedLastHour.toLocaleString()}</strong> of {budget.hourlyShare.toLocaleString()}{' '}
        requests in the last hour, at most {budget.maxInFlight} at once.
      </p>
      <progress max={1} value={share} aria-label="Share of the hourly budget used" />
      {budget.state === 'slowed' && (
        <p class="muted small">
          Autotask is answering slowly (it is near its own limit) or the share is nearly used: Tally paces its
          requests.
        </p>
      )}
      {budget.state === 'spent' && budget.resumesAt && (
        <p class="muted small">Tally waits and goes on by itself at {formatDateTime(budget.resumesAt)}.</p>
      )}
      {budget.psaWide && (
        <p class="muted small">
          All integrations together: {budget.psaWide.used.toLocaleString()} of{' '}
          {budget.psaWide.limit.toLocaleString()} this hour (as of {formatDateTime(budget.psaWide.at)}).
        </p>
      )}
    </div>
  );
}
