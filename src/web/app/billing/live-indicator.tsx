import { formatAgo, formatDateTime } from '../format.js';
import type { LiveStatus } from './live.js';

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reload to reconnect',
};

/** When the view was built, whether live updates flow, and a brief "updated" flash when one lands. */
export function LiveIndicator({
  status,
  builtAt,
  updatedAt,
}: {
  status: LiveStatus;
  builtAt: string | null;
  updatedAt: number | null;
}) {
  return (
    <div class="live" role="status">
      <span class={`dot dot-${status}`} aria-hidden="true" />
      <span>{STATUS_TEXT[status]}</span>
      {builtAt && (
        <span class="muted">
          {' '}
          · built{' '}
          <time dateTime={builtAt} title={formatDateTime(builtAt)}>
            {formatAgo(builtAt)}
          </time>
        </span>
      )}
      {updatedAt !== null && (
        // A new key restarts the fade-out animation on every update.
        <span key={updatedAt} class="updated" data-updated-at={updatedAt}>
          Updated
        </span>
      )}
    </div>
  );
}
