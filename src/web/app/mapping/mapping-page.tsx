import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { hrefOf } from '../router.js';
import { useLoad } from '../ui/use-load.js';
import { ItemTable } from './item-table.js';
import { SuggestionsBanner } from './suggestions.js';

/** Per connected vendor: its accounts to PSA companies and its services to PSA products. */
export function MappingPage({ integrationId }: { integrationId?: string }) {
  const integrations = useLoad(() => api.integrations.list(), []);
  const companies = useLoad(() => api.companies.list(), []);
  const products = useLoad(() => api.products.list(), []);
  // Bumped by every mapping change so the tables and the suggestions reload together.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);

  if (!integrations.data) return <p>{integrations.error ?? 'Loading…'}</p>;
  const connected = integrations.data.filter((i) => !i.disconnectedAt);
  const current = connected.find((i) => i.id === integrationId) ?? connected[0];
  if (!current) {
    return (
      <section aria-labelledby="mapping-title">
        <h1 id="mapping-title">Mapping</h1>
        <p class="empty">
          No vendor is connected yet. <a href={hrefOf('vendors')}>Connect a vendor</a> first.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="mapping-title" class="mapping">
      <div class="page-head">
        <h1 id="mapping-title">Mapping</h1>
        {connected.length > 1 && (
          <nav aria-label="Vendors" class="tabs">
            {connected.map((i) => (
              <a
                key={i.id}
                href={hrefOf('mapping', i.id)}
                aria-current={i.id === current.id ? 'page' : undefined}
              >
                {i.vendorName}
              </a>
            ))}
          </nav>
        )}
      </div>
      <p class="muted">
        Tell Tally which of your PSA companies and products each of {current.vendorName}'s accounts and
        services is. Counts for unmapped items are refused and wait here, listed first.
      </p>
      <SuggestionsBanner key={current.id} integrationId={current.id} version={version} onAccepted={changed} />
      <div class="mapping-grid">
        <ItemTable
          key={`${current.id}-accounts`}
          integrationId={current.id}
          kind="account"
          title="Accounts → companies"
          targets={companies.data ?? []}
          version={version}
          onChanged={changed}
        />
        <ItemTable
          key={`${current.id}-services`}
          integrationId={current.id}
          kind="service"
          title="Services → products"
          targets={products.data ?? []}
          version={version}
          onChanged={changed}
        />
      </div>
    </section>
  );
}
