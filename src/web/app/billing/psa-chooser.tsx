import { useState } from 'preact/hooks';
import type { PsaCandidate } from '../api.js';
import { formatQuantity } from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

export interface PsaChoice {
  cardId: string;
  cardName: string;
  /** The PSA the card's company comes from, by name. */
  psaName: string;
  message: string;
  candidates: PsaCandidate[];
}

/**
 * When the PSA has several active lines of the product (or, for new revenue, several active
 * agreements), the partner picks which one takes the quantity.
 */
export function PsaChooser({
  choice,
  onChoose,
  onCancel,
}: {
  choice: PsaChoice;
  onChoose: (picked: { agreementLineId?: string; agreementId?: string }) => void;
  onCancel: () => void;
}) {
  const [index, setIndex] = useState(0);
  const picked = choice.candidates[index];
  return (
    <ConfirmDialog
      title={`Where in ${choice.psaName}? ${choice.cardName}`}
      confirmLabel="Write it there"
      onCancel={onCancel}
      onConfirm={() =>
        picked &&
        onChoose(
          picked.agreementLineId !== undefined
            ? { agreementLineId: picked.agreementLineId }
            : { agreementId: picked.agreementId },
        )
      }
    >
      <p>{choice.message}</p>
      <fieldset class="psa-choices">
        {choice.candidates.map((c, i) => (
          <label key={c.agreementLineId ?? c.agreementId}>
            <input type="radio" name="psa-choice" checked={i === index} onChange={() => setIndex(i)} />
            {c.agreementName ?? 'Agreement'}
            {c.quantity !== undefined && ` — now ${formatQuantity(c.quantity)}`}
            {c.externalId && (
              <span class="muted small">
                {' '}
                ({choice.psaName} #{c.externalId})
              </span>
            )}
          </label>
        ))}
      </fieldset>
    </ConfirmDialog>
  );
}
