import { PSA_NAMES } from '../../../core/model.js';
import { useState } from 'preact/hooks';
import { DeleteButton, useDeletion } from './deletion.js';
import { api, type Company } from '../api.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';
import { NameCell } from './name-cell.js';

/** The partner's customers as its PSA knows them. */
export function CompaniesTab() {
  const companies = useLoad(() => api.companies.list(), []);
  const { busy, run } = useAction(companies.reload);
  const [name, setName] = useState('');
  const deletion = useDeletion<Company>({
    consequence:
      'The company leaves your ledger. One that agreement lines or mapped vendor accounts still use cannot be deleted until they are removed.',
    onConfirm: (record) => void run(() => api.companies.remove(record.id), `Deleted ${record.name}.`),
  });

  const add = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.companies.create(name.trim()), `Added ${name.trim()}.`)) setName('');
  };

  return (
    <div class="panel">
      <form class="inline-form" onSubmit={add}>
        <label>
          New company
          <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Add company
        </button>
      </form>
      {companies.data?.length === 0 && (
        <p class="empty">No companies yet. Add one, or import your PSA's export.</p>
      )}
      {companies.data && companies.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {[...companies.data]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((c) => (
                <tr key={c.id} data-source={c.source}>
                  {c.source === 'tally' ? (
                    <NameCell
                      name={c.name}
                      label="Company name"
                      onSave={(n) => run(() => api.companies.update(c.id, n))}
                    />
                  ) : (
                    <td>
                      {c.name} <span class="badge source-badge">{PSA_NAMES[c.source]}</span>
                    </td>
                  )}
                  <td class="row-actions">
                    {c.source === 'tally' ? (
                      <DeleteButton name={c.name} disabled={busy} onClick={() => deletion.ask(c)} />
                    ) : (
                      <span class="muted small">Change it in {PSA_NAMES[c.source]}</span>
                    )}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {deletion.dialog}
    </div>
  );
}
