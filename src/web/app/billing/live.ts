import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';

export type LiveStatus = 'connecting' | 'live' | 'offline';

/**
 * Listens to the partner's build events (server-sent, with the session cookie) and calls `onBuild`
 * for each; the browser reconnects by itself after a dropped connection.
 */
export function useBuildEvents(onBuild: () => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // The latest handler, so a new render does not reopen the stream.
  const handler = useRef(onBuild);
  handler.current = onBuild;

  useEffect(() => {
    const source = new EventSource(api.eventsUrl);
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('build', () => handler.current());
    // A PSA write that lands or fails changes its card too.
    source.addEventListener('psa-write', () => handler.current());
    return () => source.close();
  }, []);

  return status;
}
