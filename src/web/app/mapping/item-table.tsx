import { useState } from 'preact/hooks';
import { api, type MappableItem, type Mapping, type MappingKind, type Waiting } from '../api.js';
import { formatAgo, formatDateTime, formatQuantity } from '../format.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { Picker } from '../ui/picker.js';
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

/** What the mapping did with counts that were waiting for it. */
const appliedNote = (waiting: { applied: number; offered: number } | undefined): string => {
  if (!waiting) return '';
  const parts = [];
  if (waiting.applied > 0)
    parts.push(
      `${waiting.applied} waiting ${waiting.applied === 1 ? 'count' : 'counts'} applied, build scheduled`,
    );
  if (waiting.offered > 0) parts.push(`${waiting.offered} older than this period offered to apply`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
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
      const {
        mapping,
        waiting,
      }: { mapping: Mapping | null; waiting?: { applied: number; offered: number } } =
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
            : `${item.name} → ${target}${appliedNote(waiting)}`,
        'success',
      );
    } catch (e) {
      notify(messageOf(e), 'error');
    }
    onChanged();
  };

  /** Takes a waiting count the mapping only offered (sent before this period). */
  const applyOffered = async (item: MappableItem, w: Waiting) => {
    try {
      const { unitCount } = await api.integrations.applyWaiting(integrationId, w.accountId, w.serviceId);
      notify(
        `${item.name}: applied ${formatQuantity(unitCount)} units sent ${formatAgo(w.lastAttemptAt)}.`,
        'success',
      );
    } catch (e) {
      notify(messageOf(e), 'error');
    }
    onChanged();
    await items.reload();
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
        <div class="table-wrap">
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
                  <tr
                    key={item.id}
                    class={item.waiting.length > 0 && !item.mapping ? 'attention' : undefined}
                  >
                    <th scope="row">
                      <label for={selectId}>{item.name}</label>
                      <div class="muted small">id {item.id}</div>
                    </th>
                    <td>
                      {item.waiting.length > 0 ? (
                        <>
                          <span class="badge warn" title={`${waitingUnits(item)} units in refused counts`}>
                            {item.waiting.length} {item.waiting.length === 1 ? 'count' : 'counts'} waiting
                          </span>
                          <div class="muted small">
                            latest sent{' '}
                            <time dateTime={item.waiting[0]?.lastAttemptAt}>
                              {formatAgo(item.waiting[0]?.lastAttemptAt ?? '')}
                            </time>
                          </div>
                          {item.mapping?.excluded === false &&
                            item.waiting
                              .filter((w) => w.olderThanPeriod)
                              .map((w) => (
                                <button
                                  type="button"
                                  class="link"
                                  key={`${w.accountId}/${w.serviceId}`}
                                  onClick={() => void applyOffered(item, w)}
                                  title="Sent before this period, so mapping did not apply it by itself"
                                >
                                  Apply {formatQuantity(w.unitCount)} from {formatDateTime(w.lastAttemptAt)}
                                </button>
                              ))}
                        </>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td>
                      <Picker
                        id={selectId}
                        value={choiceOf(item)}
                        onChange={(choice) => void choose(item, choice)}
                        options={[
                          { value: UNMAPPED, label: 'Not mapped' },
                          { value: EXCLUDED, label: 'Excluded (never bill)' },
                          ...targets.map((t) => ({ value: t.id, label: t.name })),
                        ]}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
