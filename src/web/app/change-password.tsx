import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { messageOf, useNotify } from './ui/notice.js';

/** Replaces the signed-in user's password; other sessions of the user end, this one stays. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const notify = useNotify();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.session.changePassword(current, next);
      notify('Your password is changed. Other sessions of yours were signed out.', 'success');
      onClose();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="dialog" aria-labelledby="password-title" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="password-title">Change your password</h2>
        <div class="dialog-body stack">
          <label>
            Current password
            <input
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
            />
          </label>
          <label>
            New password (at least 10 characters)
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </dialog>
  );
}
