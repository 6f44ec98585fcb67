import { useEffect, useState } from 'preact/hooks';
import { PSA_NAMES } from '../../../core/model.js';
import { ApiError, api, type PsaConnection, type PsaSync } from '../api.js';
import { formatDateTime } from '../format.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';
import { ConnectForm } from './connect-form.js';
import { PsaBudgetPanel } from './psa-budget.js';
import { RemapList } from './remap-list.js';

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

function LastSync({ sync, psaName }: { sync: PsaSync | null; psaName: string }) {
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
      {sync.error && (
        <p class="error-text">
          {psaName} said: {sync.error}
        </p>
      )}
    </div>
  );
}

/** Connect the partner's PSA (ConnectWise, HaloPSA or Autotask), sync it, and see how it goes. */
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

  const current = connection.data;
  const psaName = current ? PSA_NAMES[current.kind] : '';
  const shown = progress && current?.lastSync?.id === progress.id ? progress : (current?.lastSync ?? null);
  return (
    <section class="page">
      <h1>PSA</h1>
      {connection.error && <p class="error-text">{connection.error}</p>}
      {current && (
        <div class="panel" data-psa={current.kind}>
          <h2>{psaName}</h2>
          <p>
            Connected to {current.site} as <strong>{current.account}</strong>. Synced companies, products and
            agreement lines are read-only in Tally; approvals on their cards are written to {psaName}.
          </p>
          <LastSync sync={shown} psaName={psaName} />
          {current.budget && <PsaBudgetPanel budget={current.budget} />}
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
                void run(() => api.psa.disconnect(), `${psaName} is disconnected. Synced rows stay.`)
              }
            >
              Disconnect
            </button>
          </div>
        </div>
      )}
      {current && <RemapList stamp={shown?.finishedAt ?? shown?.id ?? current.kind} />}
      {current === null && (
        <ConnectForm
          busy={busy}
          onConnect={(input) =>
            run(
              () => api.psa.connect(input),
              `${PSA_NAMES[input.kind]} is connected. Sync it to bring in your agreements.`,
            )
          }
        />
      )}
    </section>
  );
}
