import type {
  LineAddress,
  LinePlace,
  PsaConnector,
  RemoteAgreement,
  RemoteLine,
  RemoteProduct,
  SyncBatch,
} from '../../core/psa-connector/port.js';
import { PsaError } from '../../core/psa-connector/port.js';
import { type HaloClientOptions, HaloClient } from './client.js';
import { KeyedLock } from '../http/keyed-lock.js';
import {
  HALO_NO_DATE,
  type HaloClientRecord,
  type HaloInvoice,
  type HaloItem,
  type HaloLine,
  type HaloNewLine,
} from './types.js';

/** Why Tally will not write a line whose quantity Halo counts itself. */
export const HALO_LOCKED_REASON =
  "HaloPSA computes this line's quantity itself (from licences, users or assets); change it in HaloPSA";

const micros = (amount: number | null | undefined) => Math.round((amount ?? 0) * 1_000_000);

const text = (value: string | undefined) => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** An end date before today ends the line; Halo's "no date" sentinel does not. */
const ended = (date: string | undefined, nowMs: number) =>
  date !== undefined && date !== '' && date !== HALO_NO_DATE && date.slice(0, 10) < isoDay(nowMs);

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const toProduct = (item: HaloItem): RemoteProduct => ({
  externalId: String(item.id),
  name: item.name,
  code: text(item.internalreference),
  unitPriceMicros: micros(item.recurringprice ?? item.baseprice),
  unitCostMicros: micros(item.costprice),
});

const toAgreement = (invoice: HaloInvoice): RemoteAgreement => ({
  externalId: String(invoice.id),
  companyExternalId: String(invoice.client_id),
  name: text(invoice.reference) ?? text(invoice.notes_1) ?? `Recurring invoice ${invoice.id}`,
  active: invoice.disabled !== true,
});

/** Lines without an item (free text) are not products, so they are not synced; writes keep them. */
const hasItem = (line: HaloLine) => Number(line._itemid) > 0;

export interface HaloConnectorOptions extends HaloClientOptions {
  /** One write per invoice at a time, shared by every connection of the process. */
  locks?: KeyedLock;
}

/**
 * HaloPSA behind the connector port. Agreements are recurring invoices and lines their invoice
 * lines; a write reads the invoice, sends it back whole with one line changed or added (Halo's
 * upsert may keep or drop lines a request leaves out, so every line is always sent), and confirms by
 * reading it again.
 */
export function haloConnector(options: HaloConnectorOptions): PsaConnector & { client: HaloClient } {
  const client = new HaloClient(options);
  const locks = options.locks ?? new KeyedLock();
  const nowMs = () => options.nowMs?.() ?? Date.now();

  const toLine = (line: HaloLine, invoice: HaloInvoice): RemoteLine => {
    const quantityType = Number(line.recurring_invoice_quantity_type ?? 0);
    return {
      externalId: String(line.id),
      agreementExternalId: String(invoice.id),
      productExternalId: String(line._itemid),
      productCode: text(line.item_code),
      quantity: Number(line.qty_order),
      active: line.isinactive !== true && invoice.disabled !== true && !ended(line.enddate, nowMs()),
      ...(quantityType !== 0 && { lockedReason: HALO_LOCKED_REASON }),
    };
  };

  const readInvoice = (id: string) =>
    client.find<HaloInvoice>(`/RecurringInvoice/${encodeURIComponent(id)}`, { includelines: 'true' });

  const mustRead = async (id: string): Promise<HaloInvoice> => {
    const invoice = await readInvoice(id);
    if (invoice === null) {
      throw new PsaError(`HaloPSA has no recurring invoice ${id}`, true, { status: 404 });
    }
    return invoice;
  };

  const lockKey = (invoiceId: string) => `${options.site}#${invoiceId}`;

  /** Sends the invoice back with these lines; its other fields are left as Halo has them. */
  const sendLines = (invoice: HaloInvoice, lines: (HaloLine | HaloNewLine)[], safeToRepeat: boolean) =>
    client.post('/RecurringInvoice', [{ id: invoice.id, lines }], safeToRepeat);

  return {
    kind: 'halo',
    writeStyle: 'whole-invoice',
    client,

    async test() {
      // The token proves the client id and secret; one small read proves the API and its permissions.
      await client.get('/Client', { pageinate: 'true', page_no: '1', page_size: '1' });
      const host = new URL(options.site).hostname;
      return { accountName: options.tenant === undefined ? host : `${host} (${options.tenant})` };
    },

    // Halo documents no "changed since" filter for recurring invoices or their lines (its swagger
    // lists none; Client's lastupdate fields only add columns), so a delta reads everything, as a
    // full sync does. Rows that did not change land unchanged.
    async *read(): AsyncGenerator<SyncBatch> {
      // Inactive customers too: their recurring invoices must find their company.
      for await (const page of client.pages<HaloClientRecord>('/Client', 'clients', {
        includeinactive: 'true',
      })) {
        yield {
          kind: 'companies',
          rows: page.map((c) => ({ externalId: String(c.id), name: c.name, code: null })),
        };
      }
      const knownItems = new Set<number>();
      for await (const page of client.pages<HaloItem>('/Item', 'items', { recurringonly: 'true' })) {
        for (const item of page) knownItems.add(item.id);
        yield { kind: 'products', rows: page.map(toProduct) };
      }
      for await (const page of client.pages<HaloInvoice>('/RecurringInvoice', 'invoices', {
        includelines: 'true',
      })) {
        // A recurring invoice may bill an item not marked recurring; it is read on its own so the
        // line is not lost.
        const missing = [
          ...new Set(
            page.flatMap((inv) =>
              (inv.lines ?? []).filter((l) => hasItem(l) && !knownItems.has(l._itemid)).map((l) => l._itemid),
            ),
          ),
        ];
        if (missing.length > 0) {
          const found = await Promise.all(missing.map((id) => client.find<HaloItem>(`/Item/${id}`)));
          for (const id of missing) knownItems.add(id);
          const rows = found.flatMap((item) => (item === null ? [] : [toProduct(item)]));
          if (rows.length > 0) yield { kind: 'products', rows };
        }
        yield { kind: 'agreements', rows: page.map(toAgreement) };
        yield {
          kind: 'lines',
          rows: page.flatMap((inv) => (inv.lines ?? []).filter(hasItem).map((l) => toLine(l, inv))),
        };
      }
    },

    async readLine(address: LineAddress) {
      const invoice = await readInvoice(address.agreementExternalId);
      const line = invoice?.lines?.find((l) => String(l.id) === address.lineExternalId);
      return invoice && line ? toLine(line, invoice) : null;
    },

    async findLines(place: LinePlace) {
      const invoice = await readInvoice(place.agreementExternalId);
      if (invoice === null) return [];
      // Typed-in lines first, newest first: the write worker adopts the first line as the one an
      // interrupted add created, and an add never creates a computed line.
      return (invoice.lines ?? [])
        .filter((l) => String(l._itemid) === place.productExternalId)
        .sort((a, b) => b.id - a.id)
        .map((l) => toLine(l, invoice))
        .filter((l) => l.active)
        .sort((a, b) => Number(a.lockedReason !== undefined) - Number(b.lockedReason !== undefined));
    },

    setQuantity(address, quantity) {
      const invoiceId = address.agreementExternalId;
      return locks.run(lockKey(invoiceId), async () => {
        const invoice = await mustRead(invoiceId);
        const lines = invoice.lines ?? [];
        const target = lines.find((l) => String(l.id) === address.lineExternalId);
        if (target === undefined) {
          throw new PsaError(
            `HaloPSA has no line ${address.lineExternalId} on recurring invoice ${invoiceId}`,
            true,
            { status: 404 },
          );
        }
        const current = toLine(target, invoice);
        if (current.lockedReason !== undefined) throw new PsaError(current.lockedReason, true);
        if (current.quantity === quantity) return current;
        // Every line as read, the target changed: an absolute change, so sending it twice is harmless.
        await sendLines(
          invoice,
          lines.map((l) => (l === target ? { ...l, qty_order: quantity } : l)),
          true,
        );
        const after = await mustRead(invoiceId);
        const line = after.lines?.find((l) => String(l.id) === address.lineExternalId);
        if (line === undefined) {
          throw new PsaError(
            `HaloPSA no longer shows line ${address.lineExternalId} on recurring invoice ${invoiceId} after the write`,
            false,
          );
        }
        const confirmed = toLine(line, after);
        if (confirmed.quantity !== quantity) {
          throw new PsaError(
            `HaloPSA kept quantity ${confirmed.quantity} on line ${address.lineExternalId} instead of ${quantity}`,
            true,
          );
        }
        return confirmed;
      });
    },

    addLine(place, quantity) {
      const invoiceId = place.agreementExternalId;
      return locks.run(lockKey(invoiceId), async () => {
        const invoice = await mustRead(invoiceId);
        if (invoice.disabled === true) {
          throw new PsaError(
            `HaloPSA recurring invoice ${invoiceId} is disabled; it takes no new lines`,
            true,
          );
        }
        const item = await client.find<HaloItem>(`/Item/${encodeURIComponent(place.productExternalId)}`);
        if (item === null) {
          throw new PsaError(`HaloPSA has no item ${place.productExternalId}`, true, { status: 404 });
        }
        const lines = invoice.lines ?? [];
        const before = new Set(lines.map((l) => l.id));
        const added: HaloNewLine = {
          ihid: invoice.id,
          _itemid: item.id,
          item_shortdescription: item.name,
          item_longdescription: item.description ?? item.name,
          qty_order: quantity,
          unit_price: item.recurringprice ?? item.baseprice ?? 0,
          unit_cost: item.recurringcost ?? item.costprice ?? 0,
          isinactive: false,
          recurring_invoice_quantity_type: 0,
        };
        // A create: not repeated when its reply is lost. The write worker looks for the line first
        // (findLines) before it adds again.
        await sendLines(invoice, [...lines, added], false);
        const after = await mustRead(invoiceId);
        const created = (after.lines ?? [])
          .filter((l) => !before.has(l.id) && l._itemid === item.id)
          .sort((a, b) => b.id - a.id)[0];
        if (created === undefined) {
          throw new PsaError(
            `HaloPSA does not show the new line of item ${item.id} on recurring invoice ${invoiceId}`,
            false,
          );
        }
        return toLine(created, after);
      });
    },
  };
}
