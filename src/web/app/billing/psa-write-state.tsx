import { useState } from 'preact/hooks';
import { api, type PsaWrite } from '../api.js';
import { messageOf, useNotify } from '../ui/notice.js';

/** Where the card's write to its PSA is: writing, written, or refused (with a retry). */
export function PsaWriteState({ write, psaName }: { write: PsaWrite; psaName: string }) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      await api.psa.retryWrite(write.id);
      notify(`Sending it to ${psaName} again.`, 'success');
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  if (write.state === 'pending') {
    return (
      <p class="psa-write" data-write-state="pending">
        <span class="badge warn">Writing to {psaName}…</span>
        {write.attempts > 1 && <span class="muted small"> attempt {write.attempts}</span>}
      </p>
    );
  }
  if (write.state === 'written') {
    return (
      <p class="psa-write" data-write-state="written">
        <span class="badge status-active">Written to {psaName}</span>
      </p>
    );
  }
  return (
    <div class="psa-write" data-write-state="failed" role="alert">
      <p>
        <span class="badge warn">{psaName} did not take it</span> {write.lastError}
      </p>
      <button type="button" disabled={busy} onClick={() => void retry()}>
        Retry
      </button>
    </div>
  );
}
