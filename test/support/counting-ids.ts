import type { IdGenerator } from '../../src/core/ids.js';

/** Ids that count up from 1, so two runs of the same scenario make the same ids in the same order. */
export function countingIds(): IdGenerator {
  let next = 0;
  const hex = (width: number) => (++next).toString(16).padStart(width, '0');
  return {
    objectId: () => `6a00${hex(20)}`,
    uuid: () => `00000000-0000-4000-8000-${hex(12)}`,
  };
}
