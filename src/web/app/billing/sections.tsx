import type { Card } from '../api.js';
import { formatSignedMoney } from '../format.js';
import type { Act } from './card-actions.js';
import { BillingCard } from './card.js';
import { isActionable, STATES } from './view-model.js';

interface Props {
  cards: Card[];
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  act: Act;
}

/** The cards in three groups: new revenue, reconcile, and (folded away) no change. */
export function Sections({ cards, selected, onSelect, act }: Props) {
  return (
    <div class="sections">
      {STATES.map(({ state, label, hint }) => {
        const group = cards.filter((c) => c.state === state);
        if (group.length === 0) return null;
        const actionable = group.filter(isActionable).map((c) => c.id);
        const all = actionable.length > 0 && actionable.every((id) => selected.has(id));
        const effect = group.reduce((sum, c) => sum + c.monthlyEffect, 0);
        const headingId = `section-${state}`;
        const body = (
          <div class="card-grid">
            {group.map((card) => (
              <BillingCard
                key={card.id}
                card={card}
                selected={selected.has(card.id)}
                onSelect={(on) => onSelect([card.id], on)}
                act={act}
              />
            ))}
          </div>
        );
        const heading = (
          <>
            <span id={headingId}>{label}</span> <span class="count">{group.length}</span>
            {effect !== 0 && <span class="muted small"> {formatSignedMoney(effect)} / month</span>}
          </>
        );
        // Matching lines need no work; they stay one click away.
        if (state === 'no_change') {
          return (
            <details key={state} class={`section section-${state}`}>
              <summary>
                <h2>{heading}</h2>
                <span class="muted small">{hint}</span>
              </summary>
              {body}
            </details>
          );
        }
        return (
          <section key={state} class={`section section-${state}`} aria-labelledby={headingId}>
            <div class="section-head">
              <h2>{heading}</h2>
              <span class="muted small">{hint}</span>
              {actionable.length > 0 && (
                <label class="select-all">
                  <input
                    type="checkbox"
                    checked={all}
                    onChange={(e) => onSelect(actionable, e.currentTarget.checked)}
                  />
                  Select all {label.toLowerCase()}
                </label>
              )}
            </div>
            {body}
          </section>
        );
      })}
    </div>
  );
}
