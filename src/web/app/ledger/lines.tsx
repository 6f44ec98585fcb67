import { useState } from 'preact/hooks';
import { api, type AgreementLine } from '../api.js';
import { formatDateTime } from '../format.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';
import { NewAgreement } from './new-agreement.js';
import { NewLine } from './new-line.js';

/** What the partner bills: company × product × quantity, each line on an agreement. */
export function LinesTab() {
  const [companyId, setCompanyId] = useState('');
  const lines = useLoad(() => api.lines.list({ companyId: companyId || undefined }), [companyId]);
  const companies = useLoad(() => api.companies.list(), []);
  const products = useLoad(() => api.products.list(), []);
  const agreements = useLoad(() => api.agreements.list(), []);
  const { busy, run } = useAction(() => Promise.all([lines.reload(), agreements.reload()]));

  const companyName = new Map((companies.data ?? []).map((c) => [c.id, c.name]));
  const productName = new Map((products.data ?? []).map((p) => [p.id, p.name]));
  const agreementName = new Map((agreements.data ?? []).map((a) => [a.id, a.name]));
  const name = (line: AgreementLine) =>
    `${companyName.get(line.companyId) ?? line.companyId} ${productName.get(line.productId) ?? line.productId}`;

  return (
    <div class="panel">
      <div class="forms-row">
        <NewLine
          agreements={agreements.data ?? []}
          companies={companies.data ?? []}
          products={products.data ?? []}
          busy={busy}
          run={run}
        />
        <NewAgreement companies={companies.data ?? []} busy={busy} run={run} />
      </div>
      <div class="toolbar filter-row">
        <label>
          Show the lines of
          <select value={companyId} onChange={(e) => setCompanyId(e.currentTarget.value)}>
            <option value="">All companies</option>
            {(companies.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {lines.data?.length === 0 && <p class="empty">No agreement lines.</p>}
      {lines.data && lines.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Company</th>
              <th scope="col">Product</th>
              <th scope="col">Agreement</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col">Active</th>
              <th scope="col">Updated</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {lines.data.map((line) => (
              <tr key={line.id} data-line-id={line.id}>
                <th scope="row">{companyName.get(line.companyId) ?? line.companyId}</th>
                <td>{productName.get(line.productId) ?? line.productId}</td>
                <td>{agreementName.get(line.agreementId) ?? line.agreementId}</td>
                <td class="num">
                  <QuantityInput
                    key={`${line.id}:${line.quantity}`}
                    value={line.quantity}
                    label={`Quantity of ${name(line)}`}
                    onSave={(quantity) => run(() => api.lines.update(line.id, { quantity }))}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={line.active}
                    disabled={busy}
                    aria-label={`${name(line)} is active`}
                    onChange={(e) =>
                      void run(() => api.lines.update(line.id, { active: e.currentTarget.checked }))
                    }
                  />
                </td>
                <td class="small muted">{formatDateTime(line.updatedAt)}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="danger"
                    disabled={busy}
                    aria-label={`Delete line ${name(line)}`}
                    onClick={() => void run(() => api.lines.remove(line.id), 'Line deleted.')}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A quantity that saves when the partner presses Enter or leaves the box. */
function QuantityInput({
  value,
  label,
  onSave,
}: {
  value: number;
  label: string;
  onSave: (q: number) => Promise<boolean>;
}) {
  const [text, setText] = useState(String(value));
  const save = () => {
    const quantity = Number(text);
    if (text !== '' && Number.isFinite(quantity) && quantity !== value) void onSave(quantity);
  };
  return (
    <input
      type="number"
      class="qty"
      min="0"
      step="any"
      aria-label={label}
      value={text}
      onInput={(e) => setText(e.currentTarget.value)}
      onBlur={save}
      onKeyDown={(e) => e.key === 'Enter' && save()}
    />
  );
}
