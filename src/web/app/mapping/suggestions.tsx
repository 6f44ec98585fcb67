import { useState } from 'preact/hooks';
import { api, type SimilarMatch } from '../api.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';

const key = (kind: 'accounts' | 'services', m: SimilarMatch) => `${kind}:${m.itemId}`;
const percent = (score: number) => `${Math.round(score * 100)}%`;

/**
 * Offers the exact-name matches between vendor items and PSA records as one click, and the near
 * matches (normalised names, similarity score) as a list to tick and accept in bulk: a near match is
 * never mapped unless the partner picks it.
 */
export function SuggestionsBanner(props: { integrationId: string; version: number; onAccepted: () => void }) {
  const { integrationId, version, onAccepted } = props;
  const notify = useNotify();
  // Reloaded whenever a mapping changes: a manual mapping can settle a suggestion.
  const suggestions = useLoad(() => api.integrations.suggestions(integrationId), [integrationId, version]);
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const data = suggestions.data;
  const count = (data?.accounts.length ?? 0) + (data?.services.length ?? 0);
  const near = data
    ? [
        ...data.similar.accounts.map((m) => ({ kind: 'accounts' as const, m })),
        ...data.similar.services.map((m) => ({ kind: 'services' as const, m })),
      ]
    : [];
  if (count === 0 && near.length === 0) return null;

  const run = async (body: Parameters<typeof api.integrations.acceptSuggestions>[1]) => {
    setBusy(true);
    try {
      const { mapped } = await api.integrations.acceptSuggestions(integrationId, body);
      notify(`Mapped ${mapped.accounts} accounts and ${mapped.services} services by name.`, 'success');
      setPicked(new Set());
      onAccepted();
    } catch (e) {
      notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  const acceptPicked = () => {
    const chosen = near.filter(({ kind, m }) => picked.has(key(kind, m)));
    void run({
      accounts: chosen
        .filter((c) => c.kind === 'accounts')
        .map(({ m }) => ({ accountId: m.itemId, companyId: m.targetId })),
      services: chosen
        .filter((c) => c.kind === 'services')
        .map(({ m }) => ({ serviceId: m.itemId, productId: m.targetId })),
    });
  };
  const toggle = (id: string, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div class="banner" role="region" aria-label="Suggested mappings">
      {count > 0 && (
        <div class="banner-row">
          <p>
            {count} vendor {count === 1 ? 'item has' : 'items have'} exactly the name of a company or product
            in your ledger.
          </p>
          <button type="button" class="primary" disabled={busy} onClick={() => void run({})}>
            Accept {count} exact-name {count === 1 ? 'match' : 'matches'}
          </button>
        </div>
      )}
      {near.length > 0 && (
        <fieldset class="near-matches">
          <legend>
            Similar names ({near.length}): tick the right ones. Scores compare names without case, punctuation
            or legal forms (Inc, Ltd, LLC, GmbH); below 75% nothing is offered.
          </legend>
          <ul>
            {near.map(({ kind, m }) => {
              const id = key(kind, m);
              return (
                <li key={id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={picked.has(id)}
                      onChange={(e) => toggle(id, e.currentTarget.checked)}
                    />
                    {m.itemName} → {m.targetName}{' '}
                    <span class="badge" title="Name similarity">
                      {percent(m.score)}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          <div class="banner-row">
            <button
              type="button"
              class="link"
              onClick={() => setPicked(new Set(near.map(({ kind, m }) => key(kind, m))))}
            >
              Select all
            </button>
            <button type="button" class="primary" disabled={busy || picked.size === 0} onClick={acceptPicked}>
              Accept {picked.size} selected
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
