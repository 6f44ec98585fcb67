import type { WriteJournal } from '../../src/core/psa-connector/port.js';

/** A write journal kept in memory, as the write worker keeps one in the outbox row. */
export function memoryJournal(options: { sentRef?: string; effectiveDate?: string } = {}) {
  const recorded: string[] = [];
  const journal: WriteJournal & { recorded: string[] } = {
    sentRef: options.sentRef ?? null,
    effectiveDate: options.effectiveDate ?? '2026-12-01',
    recorded,
    async recordSent(ref) {
      recorded.push(ref);
      journal.sentRef = ref;
    },
  };
  return journal;
}
