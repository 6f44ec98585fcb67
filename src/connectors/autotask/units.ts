import type { AutotaskClient } from './client.js';
import { AT_MAX_IN_VALUES, type AtContractServiceUnit, type AtFilter } from './types.js';

/** The unit rows of the periods that hold `day` (YYYY-MM-DD), for the given contract services. */
const periodFilter = (ids: number[], day: string): AtFilter[] => [
  { op: 'in', field: 'contractServiceID', value: ids },
  // Periods start and end at midnight: the one holding `day` starts on or before it and ends on or after it.
  { op: 'lte', field: 'startDate', value: `${day}T00:00:00Z` },
  { op: 'gte', field: 'endDate', value: `${day}T00:00:00Z` },
];

const FIELDS = ['id', 'contractID', 'contractServiceID', 'serviceID', 'startDate', 'endDate', 'units'];

interface Batch {
  ids: Set<number>;
  /** Set once the request is built: later reads start the next batch. */
  closed: boolean;
  rows: Promise<Map<number, AtContractServiceUnit>>;
}

/**
 * Reads how many units contract services have in the period that holds a day: the quantity of an
 * Autotask line is `units` of the ContractServiceUnits row whose start ≤ day ≤ end (psa-apis.md §2);
 * none means 0. Many services are read with one `in` query (at most 500 values); single reads made
 * while a query waits for its turn join it, so writes sent side by side share their reads.
 */
export class UnitReader {
  private readonly open = new Map<string, Batch>();

  constructor(private readonly client: AutotaskClient) {}

  /** Units per contract service id, in queries of at most 500 ids. */
  async many(ids: number[], day: string): Promise<Map<number, AtContractServiceUnit>> {
    const found = new Map<number, AtContractServiceUnit>();
    for (let i = 0; i < ids.length; i += AT_MAX_IN_VALUES) {
      const chunk = ids.slice(i, i + AT_MAX_IN_VALUES);
      const rows = await this.client.queryAll<AtContractServiceUnit>(
        'ContractServiceUnits',
        periodFilter(chunk, day),
        FIELDS,
      );
      for (const [id, row] of current(rows, day)) found.set(id, row);
    }
    return found;
  }

  /** One contract service's row for the day, read in the batch that is still filling. */
  async one(id: number, day: string): Promise<AtContractServiceUnit | null> {
    let batch = this.open.get(day);
    if (batch === undefined || batch.closed) {
      const fresh: Batch = { ids: new Set(), closed: false, rows: Promise.resolve(new Map()) };
      const close = () => {
        fresh.closed = true;
        if (this.open.get(day) === fresh) this.open.delete(day);
      };
      // The filter is built when the request is sent (after a wait for the budget), closing the batch.
      fresh.rows = this.client
        .queryAll<AtContractServiceUnit>(
          'ContractServiceUnits',
          () => {
            close();
            return periodFilter([...fresh.ids], day);
          },
          FIELDS,
        )
        .then((rows) => current(rows, day))
        .finally(close);
      this.open.set(day, fresh);
      batch = fresh;
    }
    batch.ids.add(id);
    if (batch.ids.size >= AT_MAX_IN_VALUES) {
      batch.closed = true;
      this.open.delete(day);
    }
    return (await batch.rows).get(id) ?? null;
  }
}

/** The row of each contract service whose period holds the day (by calendar day, whatever the time). */
function current(rows: AtContractServiceUnit[], day: string): Map<number, AtContractServiceUnit> {
  const byService = new Map<number, AtContractServiceUnit>();
  for (const row of rows) {
    if (row.startDate.slice(0, 10) <= day && day <= row.endDate.slice(0, 10)) {
      byService.set(row.contractServiceID, row);
    }
  }
  return byService;
}
