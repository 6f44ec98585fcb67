import type {
  LineAddress,
  LinePlace,
  PsaConnector,
  RemoteLine,
  SyncBatch,
  WriteJournal,
} from '../../core/psa-connector/port.js';
import { PsaError } from '../../core/psa-connector/port.js';
import { type AtClientOptions, AutotaskClient } from './client.js';
import { KeyedLock } from '../http/keyed-lock.js';
import {
  AT_CONTRACT_ACTIVE,
  AT_MAX_IN_VALUES,
  AT_RECURRING_SERVICE_CONTRACT,
  type AtCompany,
  type AtContract,
  type AtContractService,
  type AtContractServiceAdjustment,
  type AtContractServiceUnit,
  type AtFilter,
  type AtService,
} from './types.js';
import { UnitReader } from './units.js';

export interface AutotaskConnectorOptions extends AtClientOptions {
  /** The clock "today" is read from (which contract period holds the current units). */
  nowMs?: () => number;
  /** Keeps changes of one contract service in turn; shared by the connection's connectors. */
  locks?: KeyedLock;
}

const micros = (amount: number | null | undefined) => Math.round((amount ?? 0) * 1_000_000);

/** Autotask wants dates as UTC date-times, to the second. */
const atDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Every row: Autotask wants a filter in every query, and every id is at least 0. */
const ALL: AtFilter[] = [{ op: 'gte', field: 'id', value: 0 }];

const toLine = (
  cs: Pick<AtContractService, 'id' | 'contractID' | 'serviceID'>,
  unit: AtContractServiceUnit | null,
): RemoteLine => ({
  externalId: String(cs.id),
  agreementExternalId: String(cs.contractID),
  productExternalId: String(cs.serviceID),
  // Autotask services have a name but no short code.
  productCode: null,
  quantity: unit?.units ?? 0,
  // Contract services have no state of their own: they bill while their contract is active.
  active: true,
});

/**
 * Datto Autotask behind the connector port. Agreements are Recurring Service contracts, lines are
 * their contract services, and a line's quantity is the units of its current contract period. A
 * quantity is written as a relative adjustment (ContractServiceAdjustments), which cannot be read
 * back: the delta is computed from a read made right before it is sent, its itemId is saved in the
 * write's journal before anything else happens, and a write that has one is only ever confirmed by
 * reading.
 */
export function autotaskConnector(options: AutotaskConnectorOptions): PsaConnector & {
  client: AutotaskClient;
} {
  const client = new AutotaskClient(options);
  const units = new UnitReader(client);
  const locks = options.locks ?? new KeyedLock();
  const nowMs = options.nowMs ?? Date.now;
  const today = () => new Date(nowMs()).toISOString().slice(0, 10);

  /** The contract services of the contracts, with their current units, a page at a time. */
  async function* linesOf(contractIds: number[]): AsyncGenerator<RemoteLine[]> {
    const day = today();
    for (const chunk of chunks(contractIds, AT_MAX_IN_VALUES)) {
      for await (const page of client.query<AtContractService>(
        'ContractServices',
        [{ op: 'in', field: 'contractID', value: chunk }],
        ['id', 'contractID', 'serviceID'],
      )) {
        const held = await units.many(
          page.map((cs) => cs.id),
          day,
        );
        yield page.map((cs) => toLine(cs, held.get(cs.id) ?? null));
      }
    }
  }

  /** The contract service and its units in the period holding `day`; null when it is gone. */
  async function lineOn(line: LineAddress, day: string): Promise<RemoteLine | null> {
    const id = Number(line.lineExternalId);
    const unit = await units.one(id, day);
    const cs =
      unit === null
        ? await client.find<AtContractService>('ContractServices', id)
        : { id, contractID: unit.contractID, serviceID: unit.serviceID };
    return cs === null || String(cs.contractID) !== line.agreementExternalId ? null : toLine(cs, unit);
  }

  async function held(line: LineAddress, day: string): Promise<RemoteLine> {
    const found = await lineOn(line, day);
    if (found === null) {
      throw new PsaError(
        `Contract service ${line.lineExternalId} is no longer on contract ${line.agreementExternalId} in Autotask`,
        true,
      );
    }
    return found;
  }

  /** The contract services of one service on one contract, with their units in the period holding `day`. */
  async function linesAt(place: LinePlace, day: string): Promise<RemoteLine[]> {
    const services = await client.queryAll<AtContractService>(
      'ContractServices',
      [
        { op: 'eq', field: 'contractID', value: Number(place.agreementExternalId) },
        { op: 'eq', field: 'serviceID', value: Number(place.productExternalId) },
      ],
      ['id', 'contractID', 'serviceID'],
    );
    if (services.length === 0) return [];
    const found = await units.many(
      services.map((cs) => cs.id),
      day,
    );
    return services.map((cs) => toLine(cs, found.get(cs.id) ?? null));
  }

  /** Posts one adjustment and saves its itemId before anything else can happen. */
  async function adjust(change: AtContractServiceAdjustment, journal: WriteJournal): Promise<void> {
    const itemId = await client.create('ContractServiceAdjustments', change);
    await journal.recordSent(String(itemId));
  }

  /**
   * The day whose period a write changes and is confirmed on: its effective date, or today when that
   * is past (an adjustment counts from its effective date on, so today's period holds it then too).
   */
  const asOf = (journal: WriteJournal) => (journal.effectiveDate > today() ? journal.effectiveDate : today());
  const effective = (journal: WriteJournal) => `${journal.effectiveDate}T00:00:00Z`;

  const wholeUnits = (quantity: number) => {
    if (!Number.isInteger(quantity) || quantity < 0) {
      throw new PsaError(`Autotask counts whole units; it cannot take ${quantity}`, true);
    }
  };

  async function setQuantity(
    line: LineAddress,
    quantity: number,
    journal: WriteJournal,
  ): Promise<RemoteLine> {
    wholeUnits(quantity);
    if (journal.sentRef !== null) {
      // An earlier attempt's adjustment was applied: sending it again would count it twice.
      return held(line, asOf(journal));
    }
    return locks.run(`line:${line.lineExternalId}`, async () => {
      const day = asOf(journal);
      const before = await held(line, day);
      if (before.quantity === quantity) return before;
      await adjust(
        {
          contractID: Number(before.agreementExternalId),
          serviceID: Number(before.productExternalId),
          contractServiceID: Number(before.externalId),
          unitChange: quantity - before.quantity,
          effectiveDate: effective(journal),
        },
        journal,
      );
      return held(line, day);
    });
  }

  return {
    kind: 'autotask',
    writeStyle: 'relative',
    client,

    async test() {
      await client.lookupZone();
      // Company 0 is the database owner's own company: one small authenticated read names it.
      const [owner] = await client.queryAll<AtCompany>(
        'Companies',
        [{ op: 'eq', field: 'id', value: 0 }],
        ['id', 'companyName'],
      );
      return { accountName: owner?.companyName ?? options.username };
    },

    async *read({ sinceMs, knownAgreementIds = [] }): AsyncGenerator<SyncBatch> {
      // Companies and services carry no change stamp Tally can rely on (psa-apis.md §2), and there
      // are few of them: a delta reads them whole.
      for await (const page of client.query<AtCompany>('Companies', ALL, ['id', 'companyName', 'isActive'])) {
        yield {
          kind: 'companies',
          rows: page.map((c) => ({ externalId: String(c.id), name: c.companyName, code: null })),
        };
      }
      for await (const page of client.query<AtService>('Services', ALL, [
        'id',
        'name',
        'unitPrice',
        'unitCost',
        'isActive',
      ])) {
        yield {
          kind: 'products',
          rows: page.map((s) => ({
            externalId: String(s.id),
            name: s.name,
            code: null,
            unitPriceMicros: micros(s.unitPrice),
            unitCostMicros: micros(s.unitCost),
          })),
        };
      }
      // A full sync reads active Recurring Service contracts; a delta reads every one changed since
      // (lastModifiedDateTime), so a contract that ended arrives as an inactive agreement.
      const recurring: AtFilter = { op: 'eq', field: 'contractType', value: AT_RECURRING_SERVICE_CONTRACT };
      const contractFilter: AtFilter[] =
        sinceMs === null
          ? [recurring, { op: 'eq', field: 'status', value: AT_CONTRACT_ACTIVE }]
          : [recurring, { op: 'gt', field: 'lastModifiedDateTime', value: atDateTime(sinceMs) }];
      const changed = new Set<number>();
      for await (const page of client.query<AtContract>('Contracts', contractFilter, [
        'id',
        'companyID',
        'contractName',
        'contractType',
        'status',
      ])) {
        yield {
          kind: 'agreements',
          rows: page.map((c) => ({
            externalId: String(c.id),
            companyExternalId: String(c.companyID),
            name: c.contractName,
            active: c.status === AT_CONTRACT_ACTIVE,
          })),
        };
        // Each page's lines follow it, so memory holds one page of contracts at a time.
        for (const c of page) changed.add(c.id);
        for await (const rows of linesOf(page.map((c) => c.id))) yield { kind: 'lines', rows };
      }
      // Units change by adjustments, which touch neither the contract nor the contract service, and
      // units rows carry no stamp: a delta reads the lines of every known agreement again.
      const unchanged = knownAgreementIds.map(Number).filter((id) => !changed.has(id));
      for await (const rows of linesOf(unchanged)) yield { kind: 'lines', rows };
    },

    readLine: (line) => lineOn(line, today()),
    findLines: (place) => linesAt(place, today()),
    setQuantity,

    async addLine(place, quantity, journal) {
      wholeUnits(quantity);
      if (journal.sentRef !== null) {
        const [created] = await linesAt(place, asOf(journal));
        if (created) return created;
        throw new PsaError(
          `Autotask took adjustment ${journal.sentRef} but shows no such service on contract ${place.agreementExternalId} yet`,
          false,
        );
      }
      return locks.run(`place:${place.agreementExternalId}:${place.productExternalId}`, async () => {
        // A line Tally has not seen yet (made in Autotask since the last sync) takes the quantity itself.
        const [existing] = await linesAt(place, asOf(journal));
        if (existing) {
          return setQuantity(
            { agreementExternalId: place.agreementExternalId, lineExternalId: existing.externalId },
            quantity,
            journal,
          );
        }
        // An adjustment creates the contract service when the contract has none of that service.
        await adjust(
          {
            contractID: Number(place.agreementExternalId),
            serviceID: Number(place.productExternalId),
            unitChange: quantity,
            effectiveDate: effective(journal),
          },
          journal,
        );
        const [created] = await linesAt(place, asOf(journal));
        if (!created) {
          throw new PsaError(
            `Autotask took adjustment ${journal.sentRef} but shows no such service on contract ${place.agreementExternalId} yet`,
            false,
          );
        }
        return created;
      });
    },
  };
}
