import type { CardAction } from '../api.js';
import { formatMoney } from '../format.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import type { ActionEffect } from './effect.js';

const VERB: Record<CardAction, string> = { approve: 'Approve', adjust: 'Adjust', dismiss: 'Dismiss' };
const lines = (n: number): string => `${n} ${n === 1 ? 'line' : 'lines'}`;

interface Props {
  action: CardAction;
  effect: ActionEffect;
  effectiveDate: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before a bulk or destructive action, saying what it does to the monthly bill and from when. */
export function ActionConfirm({ action, effect, effectiveDate, onConfirm, onCancel }: Props) {
  const title = `${VERB[action]} ${lines(effect.lines)}?`;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={`${VERB[action]} ${lines(effect.lines)}`}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {action === 'dismiss' ? (
        <p>
          The PSA keeps billing what it bills now; the {lines(effect.lines)} leave the board for this period
          until a vendor count changes.
        </p>
      ) : (
        <ul class="effect">
          <li data-effect="up">
            Monthly billing up: <strong>{formatMoney(effect.upAmount)}</strong> on {lines(effect.upLines)}
          </li>
          <li data-effect="down">
            Monthly billing down: <strong>{formatMoney(effect.downAmount)}</strong> on{' '}
            {lines(effect.downLines)}
          </li>
          <li data-effect="zero" class={effect.toZero > 0 ? 'warn' : undefined}>
            Set to 0 (no longer billed): <strong>{lines(effect.toZero)}</strong>
          </li>
          <li data-effect="date">
            Effective <strong>{effectiveDate}</strong>
          </li>
        </ul>
      )}
    </ConfirmDialog>
  );
}
