import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

interface Named {
  id: string;
  name: string;
}

/**
 * Deleting a named ledger record behind a confirmation: `ask(record)` opens the dialog, `dialog` is
 * the element to render (null while closed), and `onConfirm` runs the deletion.
 */
export function useDeletion<T extends Named>(options: {
  /** What deleting it does, told in the dialog. */
  consequence: string;
  onConfirm: (record: T) => void;
}) {
  const [deleting, setDeleting] = useState<T | null>(null);
  const dialog = deleting && (
    <ConfirmDialog
      title={`Delete ${deleting.name}?`}
      confirmLabel="Delete"
      onCancel={() => setDeleting(null)}
      onConfirm={() => {
        setDeleting(null);
        options.onConfirm(deleting);
      }}
    >
      <p>{options.consequence}</p>
    </ConfirmDialog>
  );
  return { ask: setDeleting, dialog };
}

/** The Delete button of a ledger row. */
export function DeleteButton({
  name,
  disabled,
  onClick,
}: {
  name: string;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" class="danger" disabled={disabled} onClick={onClick} aria-label={`Delete ${name}`}>
      Delete
    </button>
  );
}
