import { useState } from 'preact/hooks';
import { api, type MappableItem, type MappingKind } from '../api.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';

interface Props {
  integrationId: string;
  kind: MappingKind;
  title: string;
  /** PSA companies (for accounts) or products (for services). */
  targets: { id: string; name: string }[];
  version: number;
  onChanged: () => void;
}

const UNMAPPED = '';
const EXCLUDED = '__excluded';

const TARGET_FIELD: Record<MappingKind, 'companyId' | 'productId'> = {
  account: 'companyId',
  service: 'productId',
};
const NOUN: Record<MappingKind, { item: string; target: string }> = {
  account: { item: 'account', target: 'company' },
  service: { item: 'service', target: 'product' },
};

const choiceOf = (item: MappableItem): string => {
  const mapping = item.mapping;
  if (!mapping) return UNMAPPED;
  if (mapping.excluded) return EXCLUDED;
  return ('companyId' in mapping ? mapping.companyId : mapping.productId) ?? UNMAPPED;
};

const waitingUnits = (item: MappableItem) => item.waiting.reduce((sum, w) => sum + w.unitCount, 0);

/** A vendor's accounts or services, each with a select box for its PSA company or product. */
export function ItemTable({ integrationId, kind, title, targets, version, onChanged }: Props) {
  const notify = useNotify();
  const items = useLoad(() => api.integrations.items(integrationId, kind), [integrationId, kind, version]);
  const [q, setQ] = useState('');
  const [unmappedOnly, setUnmappedOnly] = useState(false);
  const noun = NOUN[kind];
  const headingId = `mapping-${kind}`;

  const choose = async (item: MappableItem, choice: string) => {
    try {
      const { mapping } =
        choice === UNMAPPED
          ? await api.integrations.unmap(integrationId, kind, item.id)
          : await api.integrations.map(
              integrationId,
              kind,
              item.id,
              choice === EXCLUDED ? { excluded: true } : { [TARGET_FIELD[kind]]: choice },
            );
      // The select keeps the new choice while the list reloads, instead of flicking back.
      items.update((rows) => rows.map((row) => (row.id === item.id ? { ...row, mapping } : row)));
      const target = targets.find((t) => t.id === choice)?.name;
      notify(
        choice === UNMAPPED
          ? `${item.name} is no longer mapped.`
          : choice === EXCLUDED
            ? `${item.name} is excluded.`
            : `${item.name} → ${target}`,
        'success',
      );
    } catch (e) {
      notify(messageOf(e), 'error');
    }
    onChanged();
  };

  const needle = q.trim().toLowerCase();
  const rows = (items.data ?? []).filter(
    (item) =>
      (!unmappedOnly || !item.mapping) &&
      (needle === '' || item.name.toLowerCase().includes(needle) || item.id.toLowerCase().includes(needle)),
  );

  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <div class="toolbar">
        <label class="grow">
          <span class="visually-hidden">Search {kind}</span>
          <input
            type="search"
            placeholder={`Search ${kind}`}
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={unmappedOnly}
            onChange={(e) => setUnmappedOnly(e.currentTarget.checked)}
          />
          Unmapped only
        </label>
      </div>
      {items.error && (
        <p role="alert" class="form-error">
          {items.error}
        </p>
      )}
      {items.data && rows.length === 0 && <p class="empty">No {kind} match.</p>}
      {rows.length > 0 && (
        <table class="list mapping-table">
          <thead>
            <tr>
              <th scope="col">Vendor {noun.item}</th>
              <th scope="col">Waiting</th>
              <th scope="col">PSA {noun.target}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => {
              const selectId = `map-${kind}-${item.id}`;
              return (
                <tr key={item.id} class={item.waiting.length > 0 && !item.mapping ? 'attention' : undefined}>
                  <th scope="row">
                    <label for={selectId}>{item.name}</label>
                    <div class="muted small">id {item.id}</div>
                  </th>
                  <td>
                    {item.waiting.length > 0 ? (
                      <span class="badge warn" title={`${waitingUnits(item)} units in refused counts`}>
                        {item.waiting.length} {item.waiting.length === 1 ? 'count' : 'counts'} waiting
                      </span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td>
                    <select
                      id={selectId}
                      value={choiceOf(item)}
                      onChange={(e) => void choose(item, e.currentTarget.value)}
                    >
                      <option value={UNMAPPED}>Not mapped</option>
                      <option value={EXCLUDED}>Excluded (never bill)</option>
                      {targets.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
