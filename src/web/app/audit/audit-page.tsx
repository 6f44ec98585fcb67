import { useState } from 'preact/hooks';
import { api, type AuditAction, type AuditFilter } from '../api.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { useLoad } from '../ui/use-load.js';

const ACTIONS: { value: AuditAction; label: string }[] = [
  { value: 'approve', label: 'Approved' },
  { value: 'adjust', label: 'Adjusted' },
  { value: 'dismiss', label: 'Dismissed' },
  { value: 'undo', label: 'Undone' },
];
const labelOf = (action: AuditAction): string => ACTIONS.find((a) => a.value === action)?.label ?? action;

/** Who did what to which line, when, from which quantity to which: the audit log with filters. */
export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useLoad(() => api.billing.audit(filter), [filter.period, filter.action, filter.by]);
  const set = (patch: AuditFilter) => setFilter((current) => ({ ...current, ...patch }));
  const entries = log.data?.entries ?? [];

  return (
    <section class="audit" aria-labelledby="audit-title">
      <div class="page-head">
        <h1 id="audit-title">Audit log</h1>
      </div>
      <form
        class="toolbar"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => e.preventDefault()}
      >
        <label>
          Period
          <input
            type="month"
            value={filter.period ?? ''}
            onChange={(e) => set({ period: e.currentTarget.value || undefined })}
          />
        </label>
        <label>
          Action
          <select
            value={filter.action ?? ''}
            onChange={(e) => set({ action: e.currentTarget.value || undefined })}
          >
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label class="grow">
          User
          <input
            type="search"
            placeholder="email, or api token"
            value={filter.by ?? ''}
            onChange={(e) => set({ by: e.currentTarget.value.trim() || undefined })}
          />
        </label>
      </form>
      {log.error && <p role="alert">{log.error}</p>}
      {log.data && entries.length === 0 ? (
        <p class="empty">No entry matches these filters.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">By</th>
                <th scope="col">Action</th>
                <th scope="col">Line</th>
                <th scope="col">PSA qty</th>
                <th scope="col">Effective</th>
                <th scope="col">Period</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </td>
                  <td>{e.by}</td>
                  <td>{labelOf(e.action)}</td>
                  <td>
                    {e.companyName ?? '(deleted company)'}
                    <span class="muted"> · {e.productName ?? '(deleted product)'}</span>
                  </td>
                  <td>
                    {e.toQuantity === null
                      ? formatQuantity(e.fromQuantity)
                      : `${formatQuantity(e.fromQuantity)} → ${formatQuantity(e.toQuantity)}`}
                  </td>
                  <td>{e.effectiveDate ?? '—'}</td>
                  <td>{e.period}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
