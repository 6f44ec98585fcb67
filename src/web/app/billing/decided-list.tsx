import { useState } from 'preact/hooks';
import { api, type CardAction, type Decision } from '../api.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';

const LABEL: Record<CardAction, string> = { approve: 'Approved', adjust: 'Adjusted', dismiss: 'Dismissed' };

/**
 * "Decided this period": every approved, adjusted and dismissed line with who, when, the PSA
 * quantity from → to and the effective date, and an undo that brings the previous quantity back.
 */
export function DecidedList({ period, onChanged }: { period: string; onChanged: () => void }) {
  const notify = useNotify();
  const decided = useLoad(() => api.billing.decisions(period), [period]);
  const [busy, setBusy] = useState<string | null>(null);

  const undo = async (d: Decision) => {
    setBusy(d.cardId);
    try {
      const result = await api.billing.undo(period, d.cardId);
      notify(
        `Undone: ${d.companyName} ${d.productName} is back on the board` +
          (d.action === 'dismiss' ? '.' : ` with PSA quantity ${formatQuantity(result.restoredQuantity)}.`),
        'success',
      );
      await decided.reload();
      onChanged();
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(null);
    }
  };

  if (!decided.data) return decided.error ? <p role="alert">{decided.error}</p> : <p>Loading…</p>;
  const rows = decided.data.decisions;
  return (
    <section class="decided" aria-labelledby="decided-title">
      <div class="section-head">
        <h2 id="decided-title">Decided this period</h2>
        <a href={api.billing.exportUrl({ period, includeActioned: 'true' })} download>
          Export CSV with decisions
        </a>
      </div>
      {rows.length === 0 ? (
        <p class="empty">Nothing decided in this period yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Decision</th>
                <th scope="col">PSA qty</th>
                <th scope="col">Effective</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span class="visually-hidden">Undo</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => {
                const name = `${d.companyName} ${d.productName}`;
                return (
                  <tr key={d.cardId} data-card-id={d.cardId}>
                    <th scope="row">
                      {d.companyName}
                      <span class="muted"> · {d.productName}</span>
                    </th>
                    <td>{LABEL[d.action]}</td>
                    <td>
                      {d.toQuantity === null
                        ? `${formatQuantity(d.fromQuantity)} (unchanged)`
                        : `${formatQuantity(d.fromQuantity)} → ${formatQuantity(d.toQuantity)}`}
                    </td>
                    <td>{d.effectiveDate ?? '—'}</td>
                    <td>{d.by}</td>
                    <td>
                      <time dateTime={d.at}>{formatDateTime(d.at)}</time>
                    </td>
                    <td>
                      <button
                        type="button"
                        disabled={busy !== null}
                        onClick={() => void undo(d)}
                        aria-label={`Undo ${LABEL[d.action].toLowerCase()} ${name}`}
                      >
                        Undo
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
