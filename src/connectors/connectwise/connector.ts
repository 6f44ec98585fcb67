import type {
  LineAddress,
  LinePlace,
  PsaConnector,
  RemoteAgreement,
  RemoteLine,
  SyncBatch,
} from '../../core/psa-connector/port.js';
import { PsaError } from '../../core/psa-connector/port.js';
import { type CwClientOptions, ConnectWiseClient } from './client.js';
import type { CwAddition, CwAgreement, CwCatalogItem, CwCompany } from './types.js';

/** Agreements whose additions are read side by side (the client still sends at most maxInFlight). */
const ADDITION_WINDOW = 16;

/** ConnectWise wants dates in square brackets, to the second, in UTC. */
const cwDate = (ms: number) => `[${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;

const micros = (amount: number | undefined) => Math.round((amount ?? 0) * 1_000_000);

const toLine = (a: CwAddition, agreementId: number): RemoteLine => ({
  externalId: String(a.id),
  agreementExternalId: String(a.agreementId ?? agreementId),
  productExternalId: String(a.product.id),
  productCode: a.product.identifier ?? null,
  quantity: Number(a.quantity),
  active: (a.cancelledDate ?? null) === null && a.agreementStatus !== 'Cancelled',
});

const toAgreement = (a: CwAgreement): RemoteAgreement => ({
  externalId: String(a.id),
  companyExternalId: String(a.company.id),
  name: a.name,
  active: a.agreementStatus === 'Active' && a.cancelledFlag !== true,
});

export interface ConnectWiseConnectorOptions extends CwClientOptions {
  /** A codebase found earlier; discovered on first use when absent. */
  codebase?: string;
}

/** ConnectWise PSA behind the connector port: one absolute PATCH per quantity. */
export function connectWiseConnector(options: ConnectWiseConnectorOptions): PsaConnector & {
  client: ConnectWiseClient;
} {
  const client = new ConnectWiseClient(options);
  if (options.codebase) client.useCodebase(options.codebase);

  async function additionsOf(agreementId: string, conditions: string | null): Promise<CwAddition[]> {
    const rows: CwAddition[] = [];
    const query: Record<string, string> = conditions === null ? {} : { conditions };
    for await (const page of client.pages<CwAddition>(
      `/finance/agreements/${agreementId}/additions`,
      query,
    )) {
      rows.push(...page);
    }
    return rows;
  }

  return {
    kind: 'connectwise',
    writeStyle: 'absolute',
    client,
    async test() {
      const { companyName } = await client.discover();
      // Discovery needs no credentials; one small authenticated read proves them.
      await client.get('/company/companies', { pageSize: '1', fields: 'id' });
      return { accountName: companyName };
    },

    async *read({ sinceMs, knownAgreementIds = [] }): AsyncGenerator<SyncBatch> {
      const changed = sinceMs === null ? null : `lastUpdated > ${cwDate(sinceMs)}`;
      for await (const page of client.pages<CwCompany>('/company/companies', {
        conditions: changed ?? 'deletedFlag = false',
        orderBy: 'id asc',
      })) {
        yield {
          kind: 'companies',
          rows: page.map((c) => ({ externalId: String(c.id), name: c.name, code: c.identifier ?? null })),
        };
      }
      for await (const page of client.pages<CwCatalogItem>('/procurement/catalog', {
        ...(changed !== null && { conditions: changed }),
        orderBy: 'id asc',
      })) {
        yield {
          kind: 'products',
          rows: page.map((p) => ({
            externalId: String(p.id),
            name: p.description || p.identifier,
            code: p.identifier ?? null,
            unitPriceMicros: micros(p.price),
            unitCostMicros: micros(p.cost),
          })),
        };
      }
      // A full sync reads active agreements only; a delta reads every changed one, so a
      // cancellation arrives as an inactive agreement.
      const agreementIds: string[] = [];
      for await (const page of client.pages<CwAgreement>('/finance/agreements', {
        conditions: changed ?? "agreementStatus = 'Active' and cancelledFlag = false",
        orderBy: 'id asc',
      })) {
        const rows = page.map(toAgreement);
        agreementIds.push(...rows.map((r) => r.externalId));
        yield { kind: 'agreements', rows };
      }
      // Additions live under their agreement (ConnectWise has no list across agreements). A full
      // sync reads the uncancelled ones; a delta re-reads every addition of a changed agreement and
      // asks every other known agreement for its additions changed since then. Deleted additions
      // are seen by the next full sync.
      const changedAgreements = new Set(agreementIds);
      const unchanged = knownAgreementIds.filter((id) => !changedAgreements.has(id));
      const work = [
        ...agreementIds.map((id) => ({ id, conditions: sinceMs === null ? 'cancelledDate = null' : null })),
        ...unchanged.map((id) => ({ id, conditions: changed })),
      ];
      // The next window is fetched while the current one lands in the store.
      const fetchWindow = (from: number) =>
        Promise.all(
          work
            .slice(from, from + ADDITION_WINDOW)
            .map(async (w) => (await additionsOf(w.id, w.conditions)).map((a) => toLine(a, Number(w.id)))),
        );
      let next = work.length > 0 ? fetchWindow(0) : null;
      for (let i = 0; next !== null; i += ADDITION_WINDOW) {
        const rows = (await next).flat();
        next = i + ADDITION_WINDOW < work.length ? fetchWindow(i + ADDITION_WINDOW) : null;
        // Settled early so a failure of the prefetch is reported by the await above, not as unhandled.
        next?.catch(() => {});
        yield { kind: 'lines', rows };
      }
    },

    async readLine(line: LineAddress) {
      const found = await client.find<CwAddition>(
        `/finance/agreements/${line.agreementExternalId}/additions/${line.lineExternalId}`,
      );
      return found && toLine(found, Number(line.agreementExternalId));
    },

    async findLines(place: LinePlace) {
      const rows = await additionsOf(
        place.agreementExternalId,
        `product/id = ${Number(place.productExternalId)} and cancelledDate = null`,
      );
      return rows.map((a) => toLine(a, Number(place.agreementExternalId)));
    },

    async setQuantity(line, quantity) {
      const updated = await client.patch<CwAddition>(
        `/finance/agreements/${line.agreementExternalId}/additions/${line.lineExternalId}`,
        [{ op: 'replace', path: 'quantity', value: quantity }],
      );
      const confirmed = toLine(updated, Number(line.agreementExternalId));
      if (confirmed.quantity !== quantity) {
        throw new PsaError(
          `ConnectWise kept quantity ${confirmed.quantity} on addition ${line.lineExternalId} instead of ${quantity}`,
          true,
        );
      }
      return confirmed;
    },

    async addLine(place, quantity) {
      const created = await client.post<CwAddition>(
        `/finance/agreements/${place.agreementExternalId}/additions`,
        {
          product: { id: Number(place.productExternalId) },
          quantity,
          billCustomer: 'Billable',
        },
      );
      return toLine(created, Number(place.agreementExternalId));
    },
  };
}
