import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';

/** Offers the exact-name matches between vendor items and PSA records as one click. */
export function SuggestionsBanner(props: { integrationId: string; version: number; onAccepted: () => void }) {
  const { integrationId, version, onAccepted } = props;
  const notify = useNotify();
  // Reloaded whenever a mapping changes: a manual mapping can settle a suggestion.
  const suggestions = useLoad(() => api.integrations.suggestions(integrationId), [integrationId, version]);
  const [busy, setBusy] = useState(false);
  const count = (suggestions.data?.accounts.length ?? 0) + (suggestions.data?.services.length ?? 0);
  if (count === 0) return null;

  const accept = async () => {
    setBusy(true);
    try {
      const { mapped } = await api.integrations.acceptSuggestions(integrationId);
      notify(`Mapped ${mapped.accounts} accounts and ${mapped.services} services by name.`, 'success');
      onAccepted();
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="banner" role="region" aria-label="Suggested mappings">
      <p>
        {count} vendor {count === 1 ? 'item has' : 'items have'} exactly the name of a company or product in
        your ledger.
      </p>
      <button type="button" class="primary" disabled={busy} onClick={accept}>
        Accept {count} exact-name {count === 1 ? 'match' : 'matches'}
      </button>
    </div>
  );
}
