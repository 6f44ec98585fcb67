import { useState } from 'preact/hooks';
import { api, type Integration } from '../api.js';
import { formatAgo, formatDateTime } from '../format.js';
import { hrefOf } from '../router.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';
import { KeyPanel, type ShownKey } from './key-panel.js';

/** Connect vendors, rotate their partner keys, pause and disconnect them. */
export function VendorsPage() {
  const notify = useNotify();
  const vendors = useLoad(() => api.vendors(), []);
  const integrations = useLoad(() => api.integrations.list(), []);
  const [shown, setShown] = useState<ShownKey | null>(null);
  const [disconnecting, setDisconnecting] = useState<Integration | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = () => Promise.all([vendors.reload(), integrations.reload()]);
  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const connect = (vendorId: string, vendorName: string) =>
    attempt(async () => {
      const connected = await api.integrations.connect(vendorId);
      setShown({ vendorName, partnerKey: connected.partnerKey, tokenRecipe: connected.tokenRecipe });
    });
  const rotate = (integration: Integration) =>
    attempt(async () => {
      const { partnerKey } = await api.integrations.rotateKey(integration.id);
      setShown({ vendorName: integration.vendorName, partnerKey });
      notify(`The old key of ${integration.vendorName} stopped working.`, 'info');
    });
  const togglePause = (integration: Integration) =>
    attempt(async () => {
      const pausing = !integration.pausedAt;
      await api.integrations.setPaused(integration.id, pausing);
      notify(
        pausing
          ? `${integration.vendorName} is paused: its counts are refused until you resume it.`
          : `${integration.vendorName} is accepted again.`,
        'success',
      );
    });
  const disconnect = (integration: Integration) =>
    attempt(async () => {
      setDisconnecting(null);
      await api.integrations.disconnect(integration.id);
      notify(`${integration.vendorName} is disconnected.`, 'success');
    });

  const live = (integrations.data ?? []).filter((i) => !i.disconnectedAt);
  const available = (vendors.data ?? []).filter((v) => !v.connected);

  return (
    <section aria-labelledby="vendors-title" class="vendors">
      <h1 id="vendors-title">Vendors</h1>
      {shown && <KeyPanel shown={shown} onDone={() => setShown(null)} />}

      <section class="panel" aria-labelledby="connected-title">
        <h2 id="connected-title">Connected</h2>
        {live.length === 0 ? (
          <p class="empty">No vendor is connected yet.</p>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Vendor</th>
                <th scope="col">Status</th>
                <th scope="col">Billing view</th>
                <th scope="col">Last sync</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {live.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <a href={hrefOf('mapping', i.id)}>{i.vendorName}</a>
                  </th>
                  <td>
                    <span class={`badge status-${i.status}`}>{i.status}</span>
                    {i.pausedAt && <span class="badge status-paused">paused</span>}
                  </td>
                  <td>{i.billing.state}</td>
                  <td>
                    {i.lastSyncedAt ? (
                      <time dateTime={i.lastSyncedAt} title={formatDateTime(i.lastSyncedAt)}>
                        {formatAgo(i.lastSyncedAt)}
                      </time>
                    ) : (
                      'never'
                    )}
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void rotate(i)}
                      aria-label={`Rotate the key of ${i.vendorName}`}
                    >
                      Rotate key
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void togglePause(i)}
                      aria-label={`${i.pausedAt ? 'Resume' : 'Pause'} ${i.vendorName}`}
                    >
                      {i.pausedAt ? 'Resume' : 'Pause'}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() => setDisconnecting(i)}
                      aria-label={`Disconnect ${i.vendorName}`}
                    >
                      Disconnect
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel" aria-labelledby="available-title">
        <h2 id="available-title">Available</h2>
        {vendors.data && available.length === 0 && (
          <p class="empty">Every vendor on this server is connected.</p>
        )}
        <div class="hint" role="note" aria-label="Vendor not listed">
          <p>
            <strong>Vendor not listed?</strong> It is not on this server yet. Whoever runs this server adds it
            once, then it appears here to connect:
          </p>
          <pre>npx tally vendor create --name "Vendor name" --description "What it sells"</pre>
          <p class="muted small">
            or <code>POST /api/admin/vendors</code> with the admin token. The vendor gets its own vendor key
            from that step; after Connect you hand it the partner key, this server&apos;s base URL and the{' '}
            <a href="/api-docs" target="_blank" rel="noreferrer">
              API documentation
            </a>
            .
          </p>
        </div>
        <ul class="vendor-list">
          {available.map((v) => (
            <li key={v.id}>
              <div>
                <strong>{v.name}</strong>
                {v.description && <p class="muted small">{v.description}</p>}
              </div>
              <button
                type="button"
                class="primary"
                disabled={busy}
                onClick={() => void connect(v.id, v.name)}
                aria-label={`Connect ${v.name}`}
              >
                Connect
              </button>
            </li>
          ))}
        </ul>
      </section>

      {disconnecting && (
        <ConfirmDialog
          title={`Disconnect ${disconnecting.vendorName}?`}
          confirmLabel="Disconnect"
          onConfirm={() => void disconnect(disconnecting)}
          onCancel={() => setDisconnecting(null)}
        >
          <p>
            Its accounts, counts and mappings are removed and its key stops working. The history stays in the
            audit log.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
