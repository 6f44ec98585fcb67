import { api } from '../api.js';
import {
  GROUPS,
  type GroupKey,
  SORT_KEYS,
  type Sort,
  type SortKey,
  STATES,
  type Filter,
  type StateFilter,
} from './view-model.js';

export type Mode = 'cards' | 'list';

interface Props {
  period: string;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  mode: Mode;
  onMode: (mode: Mode) => void;
  groupBy: GroupKey;
  onGroupBy: (group: GroupKey) => void;
  sort: Sort;
  onSort: (sort: Sort) => void;
}

/** Search, state filter, cards or list, grouping, sorting, and the CSV export of exactly that. */
export function Toolbar({ period, filter, onFilter, mode, onMode, groupBy, onGroupBy, sort, onSort }: Props) {
  const exportHref = api.billing.exportUrl({
    period,
    state: filter.state === 'all' ? undefined : filter.state,
    q: filter.q.trim() || undefined,
  });
  return (
    <div class="toolbar" role="search">
      <label class="grow">
        <span class="visually-hidden">Filter lines</span>
        <input
          type="search"
          placeholder="Filter by company, product or vendor"
          value={filter.q}
          onInput={(e) => onFilter({ ...filter, q: e.currentTarget.value })}
        />
      </label>
      <label>
        Show
        <select
          value={filter.state}
          onChange={(e) => onFilter({ ...filter, state: e.currentTarget.value as StateFilter })}
        >
          <option value="all">All lines</option>
          {STATES.map((s) => (
            <option key={s.state} value={s.state}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <div class="segmented" role="group" aria-label="View">
        <button type="button" aria-pressed={mode === 'cards'} onClick={() => onMode('cards')}>
          Cards
        </button>
        <button type="button" aria-pressed={mode === 'list'} onClick={() => onMode('list')}>
          List
        </button>
      </div>
      {mode === 'list' && (
        <label>
          Group by
          <select value={groupBy} onChange={(e) => onGroupBy(e.currentTarget.value as GroupKey)}>
            {(Object.keys(GROUPS) as GroupKey[]).map((key) => (
              <option key={key} value={key}>
                {GROUPS[key]}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Sort by
        <select value={sort.key} onChange={(e) => onSort({ ...sort, key: e.currentTarget.value as SortKey })}>
          {(Object.keys(SORT_KEYS) as SortKey[]).map((key) => (
            <option key={key} value={key}>
              {SORT_KEYS[key]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        class="icon"
        onClick={() => onSort({ ...sort, descending: !sort.descending })}
        aria-label={
          sort.descending ? 'Sorted descending; sort ascending' : 'Sorted ascending; sort descending'
        }
      >
        {sort.descending ? '▼' : '▲'}
      </button>
      <a class="button" href={exportHref} download>
        Export CSV
      </a>
    </div>
  );
}
