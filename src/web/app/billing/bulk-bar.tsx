import type { CardAction } from '../api.js';

interface Props {
  count: number;
  effectiveDate: string;
  onEffectiveDate: (date: string) => void;
  onAct: (action: CardAction) => void;
  onClear: () => void;
  busy: boolean;
}

/**
 * The effective date of every action on the board, and the bulk actions on the selected cards.
 * It stays on screen so the date that will be written is always visible.
 */
export function BulkBar({ count, effectiveDate, onEffectiveDate, onAct, onClear, busy }: Props) {
  return (
    <div class="bulk-bar" role="region" aria-label="Selection and effective date">
      <label>
        Effective date
        <input
          type="date"
          required
          value={effectiveDate}
          onInput={(e) => onEffectiveDate(e.currentTarget.value)}
        />
      </label>
      <span class="selection" aria-live="polite">
        {count === 0 ? 'Select lines to act on several at once' : `${count} selected`}
      </span>
      {count > 0 && (
        <>
          <button type="button" class="primary" disabled={busy} onClick={() => onAct('approve')}>
            Approve selected
          </button>
          <button type="button" disabled={busy} onClick={() => onAct('dismiss')}>
            Dismiss selected
          </button>
          <button type="button" class="link" onClick={onClear}>
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
