import { useState } from 'preact/hooks';
import { api, type WebhookEndpoint } from '../api.js';
import { formatDateTime } from '../format.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

/** One endpoint's deliveries, newest first, with every attempt; replay one, or all since a time. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const log = useLoad(() => api.webhooks.deliveries(endpoint.id), [endpoint.id]);
  const { busy, run } = useAction(log.reload);
  const [since, setSince] = useState('');
  const replaySince = (event: Event) => {
    event.preventDefault();
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) return;
    void run(async () => {
      const { queued } = await api.webhooks.replay(endpoint.id, { since: at.toISOString() });
      return queued;
    }, 'Events queued again.');
  };
  return (
    <section class="panel" aria-labelledby="log-title">
      <h2 id="log-title">Delivery log of {endpoint.url}</h2>
      <div class="toolbar">
        <button type="button" disabled={log.loading} onClick={() => void log.reload()}>
          Refresh
        </button>
        <form onSubmit={replaySince} class="inline">
          <label>
            Replay every event since
            <input type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || since === '' || !endpoint.enabled}>
            Replay
          </button>
        </form>
      </div>
      {log.error && <p class="error">{log.error}</p>}
      {log.data && log.data.length === 0 && <p class="empty">Nothing delivered yet.</p>}
      {log.data && log.data.length > 0 && (
        <table class="list" data-testid="delivery-log">
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.createdAt)}</td>
                <td>
                  <code>{d.type}</code>
                  <div class="muted small">{d.eventId}</div>
                </td>
                <td>
                  <span class={`badge delivery-${d.status}`}>{d.status}</span>
                  {d.nextAttemptAt && (
                    <div class="muted small">next try {formatDateTime(d.nextAttemptAt)}</div>
                  )}
                </td>
                <td>
                  <ol class="attempts">
                    {d.attempts.map((a, i) => (
                      <li key={i}>
                        {a.statusCode ?? 'no answer'} · {a.latencyMs} ms
                        {a.error && <span class="muted"> · {a.error}</span>}
                        {a.responseSnippet && <pre class="snippet">{a.responseSnippet}</pre>}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  <button
                    type="button"
                    disabled={busy || !endpoint.enabled}
                    onClick={() =>
                      void run(
                        () => api.webhooks.replay(endpoint.id, { eventId: d.eventId }),
                        'Event queued again.',
                      )
                    }
                    aria-label={`Replay ${d.eventId}`}
                  >
                    Replay
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
