import type { Card, CardState } from '../api.js';

/** Pure helpers that turn the billing view into what the board shows: filtered, sorted, grouped. */

export const STATES: { state: CardState; label: string; hint: string }[] = [
  {
    state: 'new_revenue',
    label: 'New revenue',
    hint: 'The vendor reports units that no agreement line bills.',
  },
  { state: 'reconcile', label: 'Reconcile', hint: 'The vendor and the PSA disagree on the quantity.' },
  { state: 'no_change', label: 'No change', hint: 'The vendor and the PSA agree.' },
];

export const stateLabel = (state: CardState): string => STATES.find((s) => s.state === state)?.label ?? state;

export type StateFilter = CardState | 'all';

export interface Filter {
  q: string;
  state: StateFilter;
}

/** Case-insensitive search over the names on the card, as the CSV export's `q` filters. */
export function matches(card: Card, filter: Filter): boolean {
  if (filter.state !== 'all' && card.state !== filter.state) return false;
  const q = filter.q.trim().toLowerCase();
  if (q === '') return true;
  return [card.companyName, card.productName, card.vendorName].some((name) => name.toLowerCase().includes(q));
}

export const SORT_KEYS = {
  companyName: 'Company',
  productName: 'Product',
  vendorName: 'Vendor',
  psaQuantity: 'PSA qty',
  vendorQuantity: 'Vendor qty',
  difference: 'Difference',
  monthlyEffect: 'Monthly effect',
  marginEffect: 'Margin',
  lastChangedAt: 'Last change',
} as const;
export type SortKey = keyof typeof SORT_KEYS;

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export function sortCards(cards: Card[], sort: Sort): Card[] {
  const direction = sort.descending ? -1 : 1;
  const value = (card: Card) => card[sort.key] ?? '';
  return [...cards].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    // Ties keep a stable, readable order.
    return (
      order * direction ||
      a.companyName.localeCompare(b.companyName) ||
      a.productName.localeCompare(b.productName)
    );
  });
}

export const GROUPS = { companyName: 'Company', productName: 'Product', vendorName: 'Vendor' } as const;
export type GroupKey = keyof typeof GROUPS;

export interface Group {
  name: string;
  cards: Card[];
  monthlyEffect: number;
}

/** Groups already sorted cards, keeping the order of first appearance inside each group. */
export function groupCards(cards: Card[], by: GroupKey): Group[] {
  const groups = new Map<string, Group>();
  for (const card of cards) {
    const name = card[by] || '—';
    const group = groups.get(name) ?? { name, cards: [], monthlyEffect: 0 };
    group.cards.push(card);
    group.monthlyEffect += card.monthlyEffect;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A card can be approved or dismissed only when the quantities differ. */
export const isActionable = (card: Card): boolean => card.state !== 'no_change';
