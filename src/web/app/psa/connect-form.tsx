import { useState } from 'preact/hooks';
import { PSA_KINDS, PSA_NAMES, type PsaKind } from '../../../core/model.js';
import type { PsaConnectionInput } from '../api.js';

interface Field {
  name: string;
  label: string;
  secret?: boolean;
  optional?: boolean;
  hint?: string;
  initial?: string;
  numeric?: boolean;
}

/** What each PSA asks for, in the words its own admin screens use. */
const FIELDS: Record<PsaKind, Field[]> = {
  connectwise: [
    { name: 'site', label: 'Site (API address)', initial: 'https://api-na.myconnectwise.net' },
    { name: 'companyId', label: 'Company id' },
    { name: 'publicKey', label: 'Public key' },
    { name: 'privateKey', label: 'Private key', secret: true },
    { name: 'clientId', label: 'Client id' },
  ],
  halo: [
    { name: 'site', label: 'Resource server', hint: 'e.g. https://acme.halopsa.com' },
    { name: 'clientId', label: 'Client id', hint: 'an API application of type Client ID and Secret' },
    { name: 'clientSecret', label: 'Client secret', secret: true },
    {
      name: 'authUrl',
      label: 'Authorisation server',
      optional: true,
      hint: 'blank: the resource server + /auth',
    },
    { name: 'tenant', label: 'Tenant', optional: true, hint: 'hosted multi-tenant HaloPSA only' },
  ],
  autotask: [
    { name: 'username', label: 'API user name', hint: 'an API-only user' },
    { name: 'secret', label: 'Secret', secret: true },
    { name: 'integrationCode', label: 'Integration code', hint: 'the API tracking identifier', secret: true },
    {
      name: 'requestsPerHour',
      label: 'Requests per hour',
      initial: '2000',
      numeric: true,
      hint: 'Tally’s share of the 10,000 an hour Autotask allows all integrations together',
    },
    { name: 'maxInFlight', label: 'Requests at once', initial: '2', numeric: true, hint: '1 to 3' },
    {
      name: 'site',
      label: 'Zone lookup address',
      optional: true,
      hint: 'blank: Autotask’s own (https://webservices.autotask.net)',
    },
  ],
};

const initialValues = (kind: PsaKind) =>
  Object.fromEntries(FIELDS[kind].map((f) => [f.name, f.initial ?? '']));

/** The form's text values as the partner API takes them: blanks left out, numbers as numbers. */
function inputOf(kind: PsaKind, values: Record<string, string>): PsaConnectionInput {
  const body: Record<string, string | number> = { kind };
  for (const field of FIELDS[kind]) {
    const value = (values[field.name] ?? '').trim();
    if (value === '' && field.optional) continue;
    body[field.name] = field.numeric && value !== '' ? Number(value) : value;
  }
  return body as unknown as PsaConnectionInput;
}

/** Choose the PSA, fill in what it asks for, test and connect. */
export function ConnectForm({
  busy,
  onConnect,
}: {
  busy: boolean;
  onConnect: (input: PsaConnectionInput) => Promise<boolean>;
}) {
  const [kind, setKind] = useState<PsaKind>('connectwise');
  const [values, setValues] = useState<Record<string, string>>(initialValues('connectwise'));
  const choose = (next: PsaKind) => {
    setKind(next);
    setValues(initialValues(next));
  };
  const common = (field: Field) => ({
    id: `psa-${field.name}`,
    'aria-describedby': field.hint ? `psa-${field.name}-hint` : undefined,
    required: !field.optional,
    autoComplete: 'off',
    value: values[field.name] ?? '',
    onInput: (e: { currentTarget: HTMLInputElement }) =>
      setValues({ ...values, [field.name]: e.currentTarget.value }),
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onConnect(inputOf(kind, values))) setValues(initialValues(kind));
  };
  return (
    <form class="panel psa-form" onSubmit={submit}>
      <h2>Connect your PSA</h2>
      <label>
        PSA
        <select value={kind} onChange={(e) => choose(e.currentTarget.value as PsaKind)}>
          {PSA_KINDS.map((k) => (
            <option key={k} value={k}>
              {PSA_NAMES[k]}
            </option>
          ))}
        </select>
      </label>
      {FIELDS[kind].map((field) => (
        <div class="psa-field" key={`${kind}.${field.name}`}>
          <label for={`psa-${field.name}`}>
            {field.label}
            {field.optional && <span class="muted small"> (optional)</span>}
          </label>
          {field.secret ? (
            <input type="password" {...common(field)} />
          ) : field.numeric ? (
            <input type="number" {...common(field)} />
          ) : (
            <input type="text" {...common(field)} />
          )}
          {field.hint && (
            <span id={`psa-${field.name}-hint`} class="muted small">
              {field.hint}
            </span>
          )}
        </div>
      ))}
      <p class="muted small">
        The credentials are tested before anything is saved, then kept encrypted; Tally never shows them
        again.
      </p>
      <button type="submit" class="primary" disabled={busy}>
        Test and connect
      </button>
    </form>
  );
}
