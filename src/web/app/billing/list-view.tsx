import type { Card } from '../api.js';
import {
  formatAgo,
  formatDateTime,
  formatQuantity,
  formatSignedMoney,
  formatSignedQuantity,
} from '../format.js';
import { type Act, CardActions } from './card-actions.js';
import {
  GROUPS,
  type GroupKey,
  groupCards,
  isActionable,
  SORT_KEYS,
  type Sort,
  type SortKey,
  stateLabel,
} from './view-model.js';

interface Props {
  cards: Card[];
  groupBy: GroupKey;
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  act: Act;
}

/** Differences and money in green or red; quantities stay neutral. */
const toneOf = (key: SortKey, card: Card): string => {
  if (key !== 'difference' && key !== 'monthlyEffect' && key !== 'marginEffect') return '';
  return card[key] > 0 ? 'gain' : card[key] < 0 ? 'loss' : '';
};

const NUMERIC = new Set<SortKey>([
  'psaQuantity',
  'vendorQuantity',
  'difference',
  'monthlyEffect',
  'marginEffect',
]);

/** The cards as one table, grouped by company, product or vendor, sorted by any column. */
export function ListView({ cards, groupBy, sort, onSort, selected, onSelect, act }: Props) {
  const groups = groupCards(cards, groupBy);
  const columns = (Object.keys(SORT_KEYS) as SortKey[]).filter((key) => key !== groupBy);

  const header = (key: SortKey) => {
    const active = sort.key === key;
    const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : undefined;
    return (
      <th key={key} scope="col" aria-sort={ariaSort} class={NUMERIC.has(key) ? 'num' : undefined}>
        <button
          type="button"
          class="sort"
          onClick={() => onSort({ key, descending: active ? !sort.descending : NUMERIC.has(key) })}
        >
          {SORT_KEYS[key]}
          <span aria-hidden="true" class="sort-mark">
            {active ? (sort.descending ? '▼' : '▲') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div class="table-wrap">
      <table class="list">
        <caption class="visually-hidden">Billing lines grouped by {GROUPS[groupBy].toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col" class="select">
              <span class="visually-hidden">Select</span>
            </th>
            {columns.map(header)}
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        {groups.map((group) => {
          const actionable = group.cards.filter(isActionable).map((c) => c.id);
          const all = actionable.length > 0 && actionable.every((id) => selected.has(id));
          return (
            <tbody key={group.name}>
              <tr class="group-row">
                <th scope="rowgroup" colSpan={columns.length + 3}>
                  {actionable.length > 0 && (
                    <input
                      type="checkbox"
                      checked={all}
                      onChange={(e) => onSelect(actionable, e.currentTarget.checked)}
                      aria-label={`Select all lines of ${group.name}`}
                    />
                  )}
                  <span class="group-name">{group.name}</span>
                  <span class="muted">
                    {' '}
                    · {group.cards.length} {group.cards.length === 1 ? 'line' : 'lines'} ·{' '}
                    {formatSignedMoney(group.monthlyEffect)} / month
                  </span>
                </th>
              </tr>
              {group.cards.map((card) => (
                <Row
                  key={card.id}
                  card={card}
                  columns={columns}
                  selected={selected.has(card.id)}
                  onSelect={onSelect}
                  act={act}
                />
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

interface RowProps {
  card: Card;
  columns: SortKey[];
  selected: boolean;
  onSelect: Props['onSelect'];
  act: Act;
}

function Row({ card, columns, selected, onSelect, act }: RowProps) {
  const cell = (key: SortKey) => {
    switch (key) {
      case 'psaQuantity':
      case 'vendorQuantity':
        return formatQuantity(card[key]);
      case 'difference':
        return formatSignedQuantity(card.difference);
      case 'monthlyEffect':
      case 'marginEffect':
        return formatSignedMoney(card[key]);
      case 'lastChangedAt':
        return card.lastChangedAt ? (
          <time dateTime={card.lastChangedAt} title={formatDateTime(card.lastChangedAt)}>
            {formatAgo(card.lastChangedAt)}
          </time>
        ) : (
          '—'
        );
      default:
        return card[key];
    }
  };
  return (
    <tr class={selected ? 'selected' : undefined} data-card-id={card.id}>
      <td class="select">
        {isActionable(card) && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect([card.id], e.currentTarget.checked)}
            aria-label={`Select ${card.companyName} ${card.productName}`}
          />
        )}
      </td>
      {columns.map((key) => (
        <td key={key} class={NUMERIC.has(key) ? `num ${toneOf(key, card)}` : undefined}>
          {cell(key)}
        </td>
      ))}
      <td>
        <span class={`badge state-${card.state}`}>{stateLabel(card.state)}</span>
      </td>
      <td>
        <CardActions card={card} act={act} compact />
      </td>
    </tr>
  );
}
