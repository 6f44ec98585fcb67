/**
 * A fake HaloPSA on 127.0.0.1, built from what the real one accepts (psa-apis.md §3, §7): the
 * client-credentials token endpoint (form-encoded only, short-lived tokens, tenant check), Bearer
 * authentication, lists paged with pageinate/page_no/page_size and `record_count` (50 rows, silently,
 * without pageinate), recurring invoices with their lines in Halo's snake_case and sentinels, the
 * array upsert of POST /api/RecurringInvoice with a switch for what happens to lines a request leaves
 * out, and switchable faults.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fault, FakePsaServer, type RecordedRequest } from './fake-server.js';

export interface HaloCredentials {
  clientId: string;
  clientSecret: string;
}

export const HALO_CREDENTIALS: HaloCredentials = {
  clientId: '0c5c7f3e-2d6a-4a57-9c1b-6e2f0d8a4b21',
  clientSecret: 'b7Q2-secret-9xK4-halo',
};

const NO_DATE = '1899-12-30T00:00:00';

type Rec = Record<string, unknown> & { id: number };
export type HaloLineRec = Rec & { ihid: number; _itemid: number; qty_order: number };
export type HaloInvoiceRec = Rec & { client_id: number; lines: HaloLineRec[] };

export type HaloFaultKind =
  /** 429 with Retry-After. */
  | 'rate-limit'
  /** 500 with Halo's text. */
  | 'server-error'
  /** 401: the token presented has expired (and stays refused). */
  | 'expired-token'
  /** The write is applied, then the connection is destroyed before any reply. */
  | 'drop-after-apply';

/** Halo's list keys per endpoint. */
const LIST_KEYS = { Client: 'clients', Item: 'items', RecurringInvoice: 'invoices' } as const;

export class FakeHalo extends FakePsaServer<HaloFaultKind> {
  readonly clients = new Map<number, Rec>();
  readonly items = new Map<number, Rec>();
  readonly invoices = new Map<number, HaloInvoiceRec>();
  readonly requests: RecordedRequest[] = [];
  /** Keep the request log (off for benchmarks). */
  record = true;
  /** What POST /api/RecurringInvoice does with stored lines the request leaves out. */
  omittedLines: 'keep' | 'drop' = 'keep';
  /** Token lifetime in seconds. */
  tokenLifetimeSeconds = 3600;
  /** When set, /auth/token requires `?tenant=` with this value (a wrong one gives 500, as Halo does). */
  tenant: string | undefined;
  latencyMs = 0;
  /** Requests answered (or refused) so far, token requests included, also when the log is off. */
  requestsServed = 0;
  tokensIssued = 0;
  /** POSTs to /api/RecurringInvoice applied. */
  postsApplied = 0;
  /** How often each line's quantity was changed: proves "exactly once". */
  readonly quantityChanges = new Map<number, number>();
  /** Lines created by POST. */
  readonly linesCreated: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly tokens = new Map<string, number>();
  private nextId = 100;

  constructor(readonly credentials: HaloCredentials = HALO_CREDENTIALS) {
    super('HaloPSA');
  }

  /** Every token issued so far stops working (as at the end of its lifetime). */
  expireTokens(): void {
    this.tokens.clear();
  }

  addClient(name: string, options: { inactive?: boolean } = {}): Rec {
    const rec: Rec = {
      id: this.nextId++,
      name,
      toplevel_id: 1,
      toplevel_name: 'Clients',
      inactive: options.inactive ?? false,
      colour: '',
      accountsid: '',
      datecreated: '2025-03-01T09:00:00',
      lastinvoiceenddate: NO_DATE,
      main_site_id: -1,
    };
    this.clients.set(rec.id, rec);
    return rec;
  }

  addItem(
    name: string,
    options: { baseprice?: number; costprice?: number; recurringprice?: number; recurring?: boolean } = {},
  ): Rec {
    const rec: Rec = {
      id: this.nextId++,
      name,
      description: name,
      internalreference: name.replace(/\W/g, '').slice(0, 20).toUpperCase(),
      externalreference: '',
      baseprice: options.baseprice ?? 10,
      costprice: options.costprice ?? 4,
      isrecurringitem: options.recurring ?? true,
      recurringprice: options.recurringprice ?? options.baseprice ?? 10,
      recurringcost: options.costprice ?? 4,
      assetgroup_id: -1,
      supplier_id: -1,
      taxcode: 5,
      datecreated: '2025-03-01T09:00:00',
    };
    this.items.set(rec.id, rec);
    return rec;
  }

  addInvoice(client: Rec, reference: string, options: { disabled?: boolean } = {}): HaloInvoiceRec {
    const rec: HaloInvoiceRec = {
      id: this.nextId++,
      use: 'invoice',
      client_id: client.id,
      client_name: client.name,
      disabled: options.disabled ?? false,
      reference,
      notes_1: '',
      name: client.name,
      invoicenumber: '0',
      posted: false,
      schedule_date: NO_DATE,
      nextcreationdate: '2026-12-01T00:00:00',
      period: 3,
      contract_id: -1,
      contract_ref: '',
      salesorder_id: -2,
      datesent: NO_DATE,
      currency_code: 1,
      paymentstatus: -1,
      lines: [],
    };
    this.invoices.set(rec.id, rec);
    return rec;
  }

  addLine(
    invoice: HaloInvoiceRec,
    item: Rec,
    quantity: number,
    options: { quantityType?: number; inactive?: boolean; enddate?: string } = {},
  ): HaloLineRec {
    const line = this.newLine(invoice, item, quantity);
    line.recurring_invoice_quantity_type = options.quantityType ?? 0;
    line.isinactive = options.inactive ?? false;
    if (options.enddate) line.enddate = options.enddate;
    invoice.lines.push(line);
    return line;
  }

  /** A line as Halo stores it, with its sentinels. */
  private newLine(invoice: HaloInvoiceRec, item: Rec | undefined, quantity: number): HaloLineRec {
    const unitPrice = Number(item?.recurringprice ?? item?.baseprice ?? 0);
    return {
      id: this.nextId++,
      ihid: invoice.id,
      item_code: '',
      item_shortdescription: String(item?.name ?? ''),
      item_longdescription: String(item?.description ?? ''),
      nominal_code: '',
      tax_code: '5',
      qty_order: quantity,
      unit_price: unitPrice,
      net_amount: unitPrice * quantity,
      _itemid: item?.id ?? -1,
      unit_cost: Number(item?.recurringcost ?? item?.costprice ?? 0),
      asset_id: -1,
      contract_id: -1,
      recurring_invoice_id: -1,
      recurring_invoice_line_id: 0,
      actioncode: -1,
      meter_id: -1,
      ticket_id: -1,
      lineactiondate: NO_DATE,
      prepay_id: -1,
      isinactive: false,
      quantity_users: [],
      quantity_assets: [],
      quantity_licences: [],
      quantity_subscriptions: [],
      recurring_invoice_quantity_type: 0,
      sequenceid: invoice.lines.length + 1,
      startdate: '2026-01-01T00:00:00',
      enddate: NO_DATE,
      original_client_id: invoice.client_id,
    };
  }

  /** A line by id, wherever it is. */
  line(id: number): HaloLineRec | undefined {
    for (const invoice of this.invoices.values()) {
      const found = invoice.lines.find((l) => l.id === id);
      if (found) return found;
    }
    return undefined;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.requestsServed++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (this.record) {
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        headers: req.headers,
        body,
      });
    }
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    try {
      if (url.pathname === '/auth/token') return this.token(req, res, url, body);
      this.route(req, res, url, body);
    } catch (error) {
      this.json(res, 500, (error as Error).message);
    }
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  }

  private token(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    if (req.method !== 'POST') return this.json(res, 405, 'The requested resource does not support GET');
    if (this.tenant !== undefined && url.searchParams.get('tenant') !== this.tenant) {
      // Halo answers a tenant it does not know with a server error.
      return this.json(res, 500, { ClassName: 'System.Exception', Message: 'Tenant not found' });
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.json(res, 400, {
        error: 'invalid_request',
        error_description: 'Form encoding is required',
      });
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return this.json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (
      form.get('client_id') !== this.credentials.clientId ||
      form.get('client_secret') !== this.credentials.clientSecret
    ) {
      return this.json(res, 401, {
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      });
    }
    if (form.get('scope') !== 'all') return this.json(res, 400, { error: 'invalid_scope' });
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
    this.tokensIssued++;
    this.json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds });
  }

  private authorized(req: IncomingMessage): string | null {
    const match = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const expiresAtMs = match ? this.tokens.get(match[1] as string) : undefined;
    if (!match || expiresAtMs === undefined) return null;
    if (Date.now() >= expiresAtMs) {
      this.tokens.delete(match[1] as string);
      return null;
    }
    return match[1] as string;
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) return this.json(res, 404, 'Not found');
    const path = url.pathname.slice('/api'.length);
    const token = this.authorized(req);
    if (token === null) return this.json(res, 401, { error: 'invalid_token' });
    const fault = this.takeFault(method, path);
    if (fault?.kind === 'rate-limit') {
      res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds), 'content-type': 'text/plain' });
      res.end('Too Many Requests');
      return;
    }
    if (fault?.kind === 'server-error') {
      return this.json(res, 500, { ClassName: 'System.Exception', Message: 'Execution Timeout Expired' });
    }
    if (fault?.kind === 'expired-token') {
      this.tokens.delete(token);
      return this.json(res, 401, { error: 'invalid_token', error_description: 'The token has expired' });
    }

    const list = /^\/(Client|Item|RecurringInvoice)$/i.exec(path);
    if (list && method === 'GET') {
      const name = (['Client', 'Item', 'RecurringInvoice'] as const).find(
        (n) => n.toLowerCase() === (list[1] as string).toLowerCase(),
      ) as keyof typeof LIST_KEYS;
      return this.list(res, url, name);
    }
    const one = /^\/(Item|RecurringInvoice)\/(-?\d+)$/i.exec(path);
    if (one && method === 'GET') {
      const id = Number(one[2]);
      const rec = (one[1] as string).toLowerCase() === 'item' ? this.items.get(id) : this.invoices.get(id);
      return rec ? this.json(res, 200, rec) : this.json(res, 404, `No record found with id ${id}`);
    }
    if (/^\/RecurringInvoice$/i.test(path) && method === 'POST') return this.upsert(req, res, body, fault);
    this.json(res, 404, `The requested resource ${path} was not found`);
  }

  private rowsOf(name: keyof typeof LIST_KEYS, url: URL): Rec[] {
    const flag = (key: string) => url.searchParams.get(key)?.toLowerCase() === 'true';
    switch (name) {
      case 'Client':
        return [...this.clients.values()].filter((c) => flag('includeinactive') || c.inactive !== true);
      case 'Item':
        return [...this.items.values()].filter((i) => !flag('recurringonly') || i.isrecurringitem === true);
      case 'RecurringInvoice': {
        const clientId = url.searchParams.get('client_id');
        const lines = flag('includelines');
        return [...this.invoices.values()]
          .filter((i) => clientId === null || i.client_id === Number(clientId))
          .map((i) => (lines ? i : { ...i, lines: undefined }));
      }
    }
  }

  private list(res: ServerResponse, url: URL, name: keyof typeof LIST_KEYS): void {
    const rows = this.rowsOf(name, url).sort((a, b) => a.id - b.id);
    const key = LIST_KEYS[name];
    if (url.searchParams.get('pageinate')?.toLowerCase() === 'true') {
      const size = Math.max(Number(url.searchParams.get('page_size') ?? 50) || 50, 1);
      const page = Math.max(Number(url.searchParams.get('page_no') ?? 1) || 1, 1);
      return this.json(res, 200, {
        page_no: page,
        page_size: size,
        record_count: rows.length,
        [key]: rows.slice((page - 1) * size, page * size),
      });
    }
    // Unpaged, Halo answers `count` rows (50 unless asked), and nothing says there were more.
    const count = Math.max(Number(url.searchParams.get('count') ?? 50) || 50, 1);
    const shown = rows.slice(0, count);
    this.json(res, 200, { record_count: shown.length, [key]: shown });
  }

  private upsert(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    fault: Fault<HaloFaultKind> | undefined,
  ): void {
    let input: unknown;
    try {
      input = JSON.parse(body);
    } catch {
      return this.json(res, 400, 'The request body is not valid JSON');
    }
    if (!Array.isArray(input)) return this.json(res, 400, 'The request body must be an array');
    // Checked whole before anything is applied, as Halo saves a request in one transaction.
    const plans: { invoice: HaloInvoiceRec; header: Record<string, unknown>; lines: Rec[] | undefined }[] =
      [];
    for (const element of input as Record<string, unknown>[]) {
      const id = Number(element.id);
      const invoice = this.invoices.get(id);
      if (!invoice) return this.json(res, 400, `Recurring invoice ${String(element.id)} does not exist`);
      const { lines, ...header } = element;
      if (lines !== undefined && !Array.isArray(lines)) return this.json(res, 400, 'lines must be an array');
      for (const line of (lines as Rec[] | undefined) ?? []) {
        if (typeof line.qty_order !== 'number' || !Number.isFinite(line.qty_order)) {
          return this.json(res, 400, `Line ${String(line.id ?? 'new')}: qty_order must be a number`);
        }
        const existing = Number(line.id ?? 0) > 0;
        if (existing && !invoice.lines.some((l) => l.id === line.id)) {
          return this.json(res, 400, `Line ${String(line.id)} is not on recurring invoice ${id}`);
        }
        if (!existing && !this.items.has(Number(line._itemid))) {
          return this.json(res, 400, `Item ${String(line._itemid)} does not exist`);
        }
      }
      plans.push({ invoice, header, lines: lines as Rec[] | undefined });
    }
    for (const { invoice, header, lines } of plans) {
      Object.assign(invoice, header, { id: invoice.id, client_id: invoice.client_id });
      if (lines === undefined) continue;
      const next: HaloLineRec[] = [];
      const sent = new Set<number>();
      for (const line of lines) {
        const stored = invoice.lines.find((l) => l.id === line.id);
        if (stored) {
          sent.add(stored.id);
          // Halo counts a computed line itself: what is sent for its quantity does not stick.
          const computed = Number(stored.recurring_invoice_quantity_type) !== 0;
          const quantity = computed ? stored.qty_order : (line.qty_order as number);
          if (quantity !== stored.qty_order) {
            this.quantityChanges.set(stored.id, (this.quantityChanges.get(stored.id) ?? 0) + 1);
          }
          Object.assign(stored, line, {
            id: stored.id,
            ihid: invoice.id,
            qty_order: quantity,
            net_amount: Number(line.unit_price ?? stored.unit_price) * quantity,
          });
          next.push(stored);
        } else {
          const created = this.newLine(
            invoice,
            this.items.get(Number(line._itemid)),
            line.qty_order as number,
          );
          const { id: _ignored, ...fields } = line;
          Object.assign(created, fields, { id: created.id, ihid: invoice.id });
          this.linesCreated.push(created.id);
          next.push(created);
        }
      }
      const kept = this.omittedLines === 'keep' ? invoice.lines.filter((l) => !sent.has(l.id)) : [];
      invoice.lines = [...kept, ...next].sort((a, b) => a.id - b.id);
    }
    this.postsApplied++;
    if (fault?.kind === 'drop-after-apply') {
      req.socket.destroy();
      return;
    }
    this.json(res, 200, plans[0]?.invoice ?? null);
  }
}
