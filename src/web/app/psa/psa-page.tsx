import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type PsaConnection, type PsaConnectionInput, type PsaSync } from '../api.js';
import { formatDateTime } from '../format.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

const EMPTY: PsaConnectionInput = {
  kind: 'connectwise',
  site: 'https://api-na.myconnectwise.net',
  companyId: '',
  publicKey: '',
  privateKey: '',
  clientId: '',
};

const countsText = (s: PsaSync) =>
  `${s.counts.companies} companies, ${s.counts.products} products, ${s.counts.agreements} agreements, ${s.counts.lines} lines`;

/** Live progress of the running sync, from the `psa-sync` events of the partner's stream. */
function useSyncProgress(onEnd: () => void): PsaSync | null {
  const [progress, setProgress] = useState<PsaSync | null>(null);
  useEffect(() => {
    const source = new EventSource(api.eventsUrl);
    source.addEventListener('psa-sync', (event) => {
      const sync = JSON.parse((event as MessageEvent<string>).data) as PsaSync;
      setProgress(sync);
      if (sync.state !== 'running') onEnd();
    });
    return () => source.close();
  }, []);
  return progress;
}

function LastSync({ sync }: { sync: PsaSync | null }) {
  if (!sync) return <p class="muted">Not synced yet.</p>;
  return (
    <div class="psa-sync" data-sync-state={sync.state}>
      <p>
        <span class={`badge${sync.state === 'failed' ? ' warn' : ''}`}>
          {sync.state === 'running' ? 'Syncing…' : sync.state === 'succeeded' ? 'Synced' : 'Sync failed'}
        </span>{' '}
        {sync.full ? 'Full sync' : 'Changes only'}, started {formatDateTime(sync.startedAt)}
        {sync.finishedAt && `, finished ${formatDateTime(sync.finishedAt)}`}
      </p>
      <p class="sync-counts">{countsText(sync)}</p>
      {sync.error && <p class="error-text">ConnectWise said: {sync.error}</p>}
    </div>
  );
}

/** Connect ConnectWise PSA, sync it, and see how the last sync went. */
export function PsaPage() {
  const connection = useLoad<PsaConnection | null>(
    () =>
      api.psa.connection().catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  const { busy, run } = useAction(connection.reload);
  const progress = useSyncProgress(() => void connection.reload());
  const [form, setForm] = useState<PsaConnectionInput>(EMPTY);
  const field = (name: keyof PsaConnectionInput, label: string, secret = false) => {
    const common = {
      required: true,
      autoComplete: 'off',
      value: form[name],
      onInput: (e: { currentTarget: HTMLInputElement }) =>
        setForm({ ...form, [name]: e.currentTarget.value }),
    };
    return (
      <label>
        {label}
        {secret ? <input type="password" {...common} /> : <input type="text" {...common} />}
      </label>
    );
  };

  const connect = async (event: Event) => {
    event.preventDefault();
    if (
      await run(() => api.psa.connect(form), 'ConnectWise is connected. Sync it to bring in your agreements.')
    ) {
      setForm(EMPTY);
    }
  };

  const current = connection.data;
  const shown = progress && current?.lastSync?.id === progress.id ? progress : (current?.lastSync ?? null);
  return (
    <section class="page">
      <h1>PSA</h1>
      {connection.error && <p class="error-text">{connection.error}</p>}
      {current && (
        <div class="panel">
          <h2>ConnectWise PSA</h2>
          <p>
            Connected to {current.site} as company <strong>{current.companyId}</strong>. Synced companies,
            products and agreement lines are read-only in Tally; approvals on their cards are written to
            ConnectWise.
          </p>
          <LastSync sync={shown} />
          <div class="row-actions">
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => void run(() => api.psa.sync(false))}
            >
              Sync now
            </button>
            <button type="button" disabled={busy} onClick={() => void run(() => api.psa.sync(true))}>
              Full sync
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(() => api.psa.disconnect(), 'ConnectWise is disconnected. Synced rows stay.')
              }
            >
              Disconnect
            </button>
          </div>
        </div>
      )}
      {current === null && (
        <form class="panel psa-form" onSubmit={connect}>
          <h2>Connect your PSA</h2>
          <label>
            PSA
            <select value={form.kind} disabled>
              <option value="connectwise">ConnectWise PSA</option>
            </select>
          </label>
          {field('site', 'Site (API address)')}
          {field('companyId', 'Company id')}
          {field('publicKey', 'Public key')}
          {field('privateKey', 'Private key', true)}
          {field('clientId', 'Client id')}
          <p class="muted small">
            The keys are tested before anything is saved, then kept encrypted; Tally never shows them again.
          </p>
          <button type="submit" class="primary" disabled={busy}>
            Test and connect
          </button>
        </form>
      )}
    </section>
  );
}
