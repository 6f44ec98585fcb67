import { useState } from 'preact/hooks';
import { api, type WebhookEndpoint } from '../api.js';
import { hrefOf } from '../router.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';
import { DeliveryLog } from './delivery-log.js';
import { NewEndpoint } from './new-endpoint.js';
import { SecretPanel, type ShownSecret } from './secret-panel.js';

/** Webhook endpoints: add (the secret is shown once), test, rotate, disable, delete; a delivery log per endpoint. */
export function WebhooksPage({ endpointId }: { endpointId?: string }) {
  const endpoints = useLoad(() => api.webhooks.list(), []);
  const eventTypes = useLoad(() => api.webhooks.eventTypes(), []);
  const { busy, run } = useAction(endpoints.reload);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const selected = endpoints.data?.find((e) => e.id === endpointId);

  const create = (endpoint: { url: string; description: string; eventTypes: string[] }) =>
    run(async () => {
      const created = await api.webhooks.create(endpoint);
      setShown({ url: created.url, secret: created.secret });
    }, 'Endpoint added.');
  const rotate = (e: WebhookEndpoint) =>
    run(async () => {
      const rotated = await api.webhooks.rotateSecret(e.id);
      setShown({ url: e.url, secret: rotated.secret, previousValidUntil: rotated.previousSecretValidUntil });
    });

  return (
    <section aria-labelledby="webhooks-title" class="webhooks">
      <h1 id="webhooks-title">Webhooks</h1>
      <p class="muted">
        Tally posts events to these URLs, signed as the Standard Webhooks specification says. Failed
        deliveries are retried for 3 days.
      </p>
      {shown && <SecretPanel shown={shown} onDone={() => setShown(null)} />}
      <section class="panel" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        {endpoints.data && endpoints.data.length === 0 && <p class="empty">No endpoint yet.</p>}
        {endpoints.data && endpoints.data.length > 0 && (
          <table class="list">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <a href={hrefOf('webhooks', e.id)}>{e.url}</a>
                    {e.description && <div class="muted small">{e.description}</div>}
                  </th>
                  <td>{e.eventTypes.join(', ')}</td>
                  <td>
                    <span class={`badge ${e.enabled ? 'status-active' : 'status-paused'}`}>
                      {e.enabled ? 'enabled' : 'disabled'}
                    </span>
                    {e.disabledReason && <div class="muted small">{e.disabledReason}</div>}
                  </td>
                  <td class="row-actions">
                    <button
                      type="button"
                      disabled={busy || !e.enabled}
                      onClick={() => void run(() => api.webhooks.test(e.id), 'Test event queued.')}
                      aria-label={`Send a test event to ${e.url}`}
                    >
                      Send test
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void rotate(e)}
                      aria-label={`Rotate the secret of ${e.url}`}
                    >
                      Rotate secret
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void run(() => api.webhooks.setEnabled(e.id, !e.enabled))}
                      aria-label={`${e.enabled ? 'Disable' : 'Enable'} ${e.url}`}
                    >
                      {e.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() => setDeleting(e)}
                      aria-label={`Delete ${e.url}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && <DeliveryLog endpoint={selected} />}
      <NewEndpoint eventTypes={eventTypes.data ?? []} busy={busy} onCreate={create} />
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.url}?`}
          confirmLabel="Delete"
          onConfirm={() => {
            const target = deleting;
            setDeleting(null);
            void run(() => api.webhooks.remove(target.id), 'Endpoint deleted.');
          }}
          onCancel={() => setDeleting(null)}
        >
          <p>Its queued deliveries and its log go with it. Events already sent are not recalled.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
