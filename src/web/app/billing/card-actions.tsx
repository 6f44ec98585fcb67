import { useRef, useState } from 'preact/hooks';
import type { Card, CardAction } from '../api.js';
import { isActionable } from './view-model.js';

export type Act = (cardIds: string[], action: CardAction, quantity?: number) => Promise<void>;

/** Approve, adjust (to a typed quantity) or dismiss one card. The effective date is the board's. */
export function CardActions({ card, act, compact }: { card: Card; act: Act; compact?: boolean }) {
  const [adjusting, setAdjusting] = useState(false);
  const [quantity, setQuantity] = useState(String(card.vendorQuantity));
  const [busy, setBusy] = useState(false);
  const adjustButton = useRef<HTMLButtonElement>(null);
  const name = `${card.companyName} ${card.productName}`;
  // The PSA computes this line's quantity itself: a decision could not be written (the card says why).
  const locked = card.psaLockedReason !== null;

  const run = async (action: CardAction, value?: number) => {
    setBusy(true);
    try {
      await act([card.id], action, value);
    } finally {
      setBusy(false);
    }
  };

  /** Leaves Adjust without saving, and puts focus back on the button that opened it. */
  const cancel = () => {
    setAdjusting(false);
    setQuantity(String(card.vendorQuantity));
    requestAnimationFrame(() => adjustButton.current?.focus());
  };

  if (adjusting) {
    const submit = (event: Event) => {
      event.preventDefault();
      void run('adjust', Number(quantity)).then(() => setAdjusting(false));
    };
    return (
      <form
        class="card-actions adjust-form"
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          cancel();
        }}
      >
        <label>
          New PSA quantity
          <input
            type="number"
            min="0"
            step="any"
            required
            autoFocus
            value={quantity}
            onInput={(e) => setQuantity(e.currentTarget.value)}
            aria-label={`New PSA quantity for ${name}`}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </form>
    );
  }

  return (
    <div class={`card-actions${compact ? ' compact' : ''}`} role="group" aria-label={`Actions for ${name}`}>
      {isActionable(card) && (
        <button
          type="button"
          class="primary"
          disabled={busy || locked}
          onClick={() => run('approve')}
          aria-label={`Approve ${name}`}
          title={card.psaLockedReason ?? 'Set the PSA quantity to the vendor quantity'}
        >
          Approve
        </button>
      )}
      <button
        type="button"
        ref={adjustButton}
        disabled={busy || locked}
        onClick={() => setAdjusting(true)}
        aria-label={`Adjust ${name}`}
        title={card.psaLockedReason ?? 'Set the PSA quantity to a number you type'}
      >
        Adjust
      </button>
      {isActionable(card) && (
        <button
          type="button"
          disabled={busy}
          onClick={() => run('dismiss')}
          aria-label={`Dismiss ${name}`}
          title="No action this period"
        >
          Dismiss
        </button>
      )}
    </div>
  );
}
