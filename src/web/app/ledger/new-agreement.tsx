import { useState } from 'preact/hooks';
import { api, type Company } from '../api.js';

interface Props {
  companies: Company[];
  busy: boolean;
  run: (work: () => Promise<unknown>, success?: string) => Promise<boolean>;
}

/** Starts an agreement (a contract) for a company, so lines can be added to it. */
export function NewAgreement({ companies, busy, run }: Props) {
  const [companyId, setCompanyId] = useState('');
  const [name, setName] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.agreements.create(name.trim(), companyId), `Agreement ${name.trim()} created.`))
      setName('');
  };

  return (
    <form class="inline-form titled" onSubmit={submit} aria-labelledby="new-agreement-title">
      <h3 id="new-agreement-title">Start an agreement</h3>
      <label>
        Company
        <select required value={companyId} onChange={(e) => setCompanyId(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {companies.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Agreement name
        <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy}>
        New agreement
      </button>
    </form>
  );
}
