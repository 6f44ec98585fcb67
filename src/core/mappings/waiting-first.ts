import type { Mapping, WaitingCount } from '../model.js';

/** One vendor item (account or service) as the partner maps it. */
export interface MappableRow<T> {
  item: T;
  mapping: Mapping | null;
  /** Counts refused for want of a mapping, newest first. */
  waiting: WaitingCount[];
}

/** Whether the partner has decided about the item: mapped to a target, or excluded. */
const decided = (mapping: Mapping | null): boolean =>
  mapping !== null && (mapping.excluded || mapping.targetId !== null);

const latestAttemptMs = (row: MappableRow<unknown>): number => row.waiting[0]?.lastAttemptAtMs ?? 0;

/**
 * Puts undecided items with counts waiting first (the most recently refused first), because that
 * is revenue the partner is missing; everything else keeps its order.
 */
export function waitingFirst<T>(rows: MappableRow<T>[]): MappableRow<T>[] {
  const urgent = (row: MappableRow<T>) => !decided(row.mapping) && row.waiting.length > 0;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const ua = urgent(a.row);
      const ub = urgent(b.row);
      if (ua !== ub) return ua ? -1 : 1;
      if (ua) return latestAttemptMs(b.row) - latestAttemptMs(a.row) || a.index - b.index;
      return a.index - b.index;
    })
    .map(({ row }) => row);
}
