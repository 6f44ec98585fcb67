/**
 * The typed client of the partner API (docs/partner-api.md). Every screen talks to the server through
 * this file only. Requests carry the session cookie; a 401 anywhere means the session ended.
 */

import type { MappingKind } from '../../core/model.js';
import type {
  AgreementLineReply,
  AgreementReply,
  BoardReply,
  CardActionResultsReply,
  CardHistoryReply,
  CardReply,
  CompanyReply,
  ConnectableVendorReply,
  ConnectedReply,
  ImportCommittedReply,
  ImportPreviewReply,
  IntegrationRowReply,
  MappableAccountReply,
  MappableServiceReply,
  MappingToRemapReply,
  ProductReply,
  PsaBudgetReply,
  PsaConnectionReply,
  PsaSyncReply,
  SessionReply,
  SuggestionsAcceptedReply,
  SuggestionsReply,
} from '../../http/schemas/partner.js';
import type { IMPORT_KINDS } from '../../core/psa/import/fields.js';
import type { PsaConnectionInput } from '../../core/psa-connector/connection-input.js';
import type {
  CreatedWebhookEndpointReply,
  ReplayQueuedReply,
  SecretRotatedReply,
  TestEventQueuedReply,
  WebhookDeliveryReply,
  WebhookEndpointReply,
} from '../../http/schemas/webhooks.js';
import type { CARD_ACTIONS } from '../../core/model.js';

// Every shape below is the Static type of the route's response schema (src/http/schemas): the page
// and the server read one definition. Types only: nothing of the server ends up in the bundle.

export const API = '/api/partner';

export type SessionInfo = SessionReply;
export type Company = CompanyReply;
export type Product = ProductReply;
export type Agreement = AgreementReply;
export type AgreementLine = AgreementLineReply;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportPreview = ImportPreviewReply;
export type ImportError = ImportPreview['errors'][number];
export type VendorChoice = ConnectableVendorReply;
export type Integration = IntegrationRowReply;
export type BillingStatus = Integration['billing'];
export type Connected = ConnectedReply;
export type MappableAccount = MappableAccountReply;
export type MappableService = MappableServiceReply;
/** What the mapping screen reads of either kind: the row with its account or service mapping. */
export type MappableItem = Omit<MappableAccount, 'mapping'> & {
  mapping: MappableAccount['mapping'] | MappableService['mapping'];
};
export type Waiting = MappableItem['waiting'][number];
export type Suggestions = SuggestionsReply;
export type { MappingKind };
export type Card = CardReply;
export type CardSource = Card['sources'][number];
export type CardState = Card['state'];
export type CardAction = (typeof CARD_ACTIONS)[number];
export type BillingView = BoardReply;
export type ActionResult = CardActionResultsReply['results'][number];
export type ImportResult = ImportCommittedReply;
export type ImportChangeExample = NonNullable<ImportPreview['changes']>['examples'][number];
export type SimilarMatch = Suggestions['similar']['accounts'][number];
export type BillingTotals = BillingView['totals'];
export type Mapping = NonNullable<MappableItem['mapping']>;

/** A decision of the period, for the "Decided this period" view. */
export interface Decision {
  cardId: string;
  companyName: string;
  productName: string;
  action: CardAction;
  by: string;
  at: string;
  fromQuantity: number;
  toQuantity: number | null;
  vendorQuantity: number;
  effectiveDate: string | null;
}

export type AuditAction = CardAction | 'undo';

export interface AuditEntry {
  id: number;
  at: string;
  by: string;
  action: AuditAction;
  period: string;
  cardId: string;
  companyName: string | null;
  productName: string | null;
  fromQuantity: number;
  toQuantity: number | null;
  effectiveDate: string | null;
}

export interface AuditFilter {
  period?: string;
  action?: string;
  by?: string;
  before?: string;
}

/** A line or agreement to choose when a PSA write is ambiguous. */
export type PsaCandidate = NonNullable<ActionResult['candidates']>[number];
export type PsaWrite = NonNullable<Card['psaWrite']>;

export type PsaSync = PsaSyncReply;
export type PsaConnection = PsaConnectionReply;
export type PsaBudget = PsaBudgetReply;
export type MappingToRemap = MappingToRemapReply;
export type { PsaConnectionInput };

export interface ActionRequest {
  period: string;
  cardIds: string[];
  action: CardAction;
  quantity?: number;
  effectiveDate?: string;
  agreementLineId?: string;
  agreementId?: string;
}

/** Where each kind of item lives under an integration. */
const COLLECTION: Record<MappingKind, string> = { account: 'accounts', service: 'services' };

export type WebhookEndpoint = WebhookEndpointReply;
export type WebhookDelivery = WebhookDeliveryReply;

/** A failed call, with the server's message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Called on every 401 so the app can return to the sign-in screen. */
let onUnauthorized: () => void = () => {};
export const whenSignedOut = (handler: () => void): void => {
  onUnauthorized = handler;
};

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { contentType?: string; quiet401?: boolean } = {},
): Promise<T> {
  return (await send<T>(method, path, body, options)).body;
}

/**
 * Every page of a list route: lists answer a page at a time and name the next in X-Next-Cursor,
 * so screens that show a whole list follow the cursors.
 */
/** Every page of a paged GET, following X-Next-Cursor, folded into one value. */
async function requestPages<P, T>(path: string, fold: (all: T | undefined, page: P) => T): Promise<T> {
  let all: T | undefined;
  let after: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { body: P; headers: Headers } = await send<P>(
      'GET',
      after === null ? path : `${path}${separator}after=${encodeURIComponent(after)}`,
    );
    all = fold(all, page.body);
    after = page.headers.get('x-next-cursor');
  } while (after !== null);
  return all as T;
}

const requestAll = <T>(path: string): Promise<T[]> =>
  requestPages<T[], T[]>(path, (all, page) => [...(all ?? []), ...page]);

type NearMatch = Suggestions['similar']['accounts'][number];
const bestFirst = (a: NearMatch, b: NearMatch) => b.score - a.score || a.itemName.localeCompare(b.itemName);

/** Suggestions come a page of vendor items at a time; the screen shows them all, best first. */
const mergeSuggestions = (all: Suggestions | undefined, page: Suggestions): Suggestions =>
  all === undefined
    ? page
    : {
        accounts: [...all.accounts, ...page.accounts],
        services: [...all.services, ...page.services],
        similar: {
          accounts: [...all.similar.accounts, ...page.similar.accounts].sort(bestFirst),
          services: [...all.similar.services, ...page.similar.services].sort(bestFirst),
        },
      };

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { contentType?: string; quiet401?: boolean } = {},
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    // A file goes as it is: the browser streams it instead of the page holding it in memory.
    payload = body instanceof Blob || typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(API + path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) onUnauthorized();
    const message =
      parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string'
        ? parsed.message
        : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, parsed);
  }
  return { body: parsed as T, headers: response.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const query = (params: Record<string, string | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

const enc = encodeURIComponent;

export const api = {
  session: {
    /** The open session, or null: asked with a probe that answers 200 either way, so no console error. */
    current: async (): Promise<SessionInfo | null> => {
      const probe = await request<({ signedIn: true } & SessionInfo) | { signedIn: false }>(
        'GET',
        '/session/probe',
      );
      return probe.signedIn ? { user: probe.user, partner: probe.partner } : null;
    },
    signIn: (email: string, password: string) =>
      request<SessionInfo>('POST', '/session', { email, password }, { quiet401: true }),
    signOut: () => request<void>('DELETE', '/session', undefined, { quiet401: true }),
    changePassword: (currentPassword: string, newPassword: string) =>
      request<void>('POST', '/session/password', { currentPassword, newPassword }),
  },

  companies: {
    list: () => requestAll<Company>('/psa/companies'),
    create: (name: string) => request<Company>('POST', '/psa/companies', { name }),
    update: (id: string, name: string) => request<Company>('PATCH', `/psa/companies/${enc(id)}`, { name }),
    remove: (id: string) => request<void>('DELETE', `/psa/companies/${enc(id)}`),
  },
  products: {
    list: () => requestAll<Product>('/psa/products'),
    create: (p: { name: string; unitPrice?: number; unitCost?: number }) =>
      request<Product>('POST', '/psa/products', p),
    update: (id: string, p: Partial<Pick<Product, 'name' | 'unitPrice' | 'unitCost'>>) =>
      request<Product>('PATCH', `/psa/products/${enc(id)}`, p),
    remove: (id: string) => request<void>('DELETE', `/psa/products/${enc(id)}`),
  },
  agreements: {
    list: () => requestAll<Agreement>('/psa/agreements'),
    create: (name: string, companyId: string) =>
      request<Agreement>('POST', '/psa/agreements', { name, companyId }),
  },
  lines: {
    list: (filter: { companyId?: string; productId?: string } = {}) =>
      requestAll<AgreementLine>(`/psa/agreement-lines${query(filter)}`),
    create: (line: { agreementId: string; productId: string; quantity: number; active?: boolean }) =>
      request<AgreementLine>('POST', '/psa/agreement-lines', line),
    update: (id: string, change: { quantity?: number; active?: boolean }) =>
      request<AgreementLine>('PATCH', `/psa/agreement-lines/${enc(id)}`, change),
    remove: (id: string) => request<void>('DELETE', `/psa/agreement-lines/${enc(id)}`),
  },
  imports: {
    /** Columns maps each field to the CSV header that holds it. */
    preview: (kind: ImportKind, csv: Blob, columns: Record<string, string>) =>
      request<ImportPreview>('POST', `${importPath(kind, 'preview', columns)}&changes=true`, csv, {
        contentType: 'text/csv',
      }),
    commit: (kind: ImportKind, csv: Blob, columns: Record<string, string>, skipInvalid = false) =>
      request<ImportResult>(
        'POST',
        importPath(kind, 'commit', columns) + (skipInvalid ? '&skipInvalid=true' : ''),
        csv,
        { contentType: 'text/csv' },
      ),
  },

  vendors: () => requestAll<VendorChoice>('/vendors'),
  integrations: {
    list: () => requestAll<Integration>('/integrations'),
    connect: (vendorId: string) => request<Connected>('POST', '/integrations', { vendorId }),
    rotateKey: (id: string) => request<{ partnerKey: string }>('POST', `/integrations/${enc(id)}/rotate-key`),
    disconnect: (id: string) => request<unknown>('DELETE', `/integrations/${enc(id)}`),
    setPaused: (id: string, paused: boolean) =>
      request<unknown>('POST', `/integrations/${enc(id)}/${paused ? 'pause' : 'resume'}`),
    items: (id: string, kind: MappingKind) =>
      requestAll<MappableItem>(`/integrations/${enc(id)}/${COLLECTION[kind]}`),
    map: (id: string, kind: MappingKind, itemId: string, target: Record<string, string | boolean>) =>
      request<{ mapping: MappableItem['mapping']; waiting?: { applied: number; offered: number } }>(
        'PUT',
        `/integrations/${enc(id)}/${COLLECTION[kind]}/${enc(itemId)}/mapping`,
        target,
      ),
    unmap: (id: string, kind: MappingKind, itemId: string) =>
      request<{ mapping: MappableItem['mapping'] }>(
        'DELETE',
        `/integrations/${enc(id)}/${COLLECTION[kind]}/${enc(itemId)}/mapping`,
      ),
    applyWaiting: (id: string, accountId: string, serviceId: string) =>
      request<{ unitCount: number }>('POST', `/integrations/${enc(id)}/waiting/apply`, {
        accountId,
        serviceId,
      }),
    suggestions: (id: string) => requestPages(`/integrations/${enc(id)}/suggestions`, mergeSuggestions),
    acceptSuggestions: (
      id: string,
      picked: {
        accounts?: { accountId: string; companyId: string }[];
        services?: { serviceId: string; productId: string }[];
      } = {},
    ) => request<SuggestionsAcceptedReply>('POST', `/integrations/${enc(id)}/suggestions/accept`, picked),
  },

  billing: {
    view: async (period?: string): Promise<BillingView> => {
      // The cards come a page at a time; the first page carries the period and totals.
      const first = await send<BillingView>('GET', `/billing${query({ period })}`);
      const view = first.body;
      let after = first.headers.get('x-next-cursor');
      while (after !== null) {
        const page = await send<BillingView>('GET', `/billing${query({ period, after })}`);
        view.cards.push(...page.body.cards);
        after = page.headers.get('x-next-cursor');
      }
      return view;
    },
    history: (cardId: string) => request<CardHistoryReply>('GET', `/billing/cards/${enc(cardId)}/history`),
    act: (action: ActionRequest) => request<CardActionResultsReply>('POST', '/billing/actions', action),
    decisions: (period?: string) =>
      request<{ period: string; decisions: Decision[] }>('GET', `/billing/decisions${query({ period })}`),
    undo: (period: string, cardId: string) =>
      request<{ restoredQuantity: number }>('POST', '/billing/decisions/undo', { period, cardId }),
    audit: (filter: AuditFilter) =>
      request<{ entries: AuditEntry[] }>('GET', `/audit${query({ ...filter, limit: '200' })}`),
    /** A link, not a call: the browser downloads the file with the session cookie. */
    exportUrl: (filter: { period: string; state?: string; q?: string; includeActioned?: string }) =>
      `${API}/billing/export.csv${query(filter)}`,
  },
  psa: {
    connection: () => request<PsaConnection>('GET', '/psa/connection'),
    connect: (input: PsaConnectionInput) => request<PsaConnection>('PUT', '/psa/connection', input),
    disconnect: () => request<void>('DELETE', '/psa/connection'),
    sync: (full: boolean) => request<{ syncId: string }>('POST', '/psa/connection/sync', { full }),
    retryWrite: (id: string) => request<PsaWrite>('POST', `/psa/writes/${enc(id)}/retry`),
    toRemap: () =>
      requestPages<{ mappings: MappingToRemap[] }, MappingToRemap[]>('/psa/remap', (all, page) => [
        ...(all ?? []),
        ...page.mappings,
      ]),
  },
  eventsUrl: `${API}/events`,

  webhooks: {
    list: () => request<WebhookEndpoint[]>('GET', '/webhooks'),
    eventTypes: () => request<string[]>('GET', '/webhooks/event-types'),
    create: (endpoint: { url: string; eventTypes: string[]; description?: string }) =>
      request<CreatedWebhookEndpointReply>('POST', '/webhooks', endpoint),
    setEnabled: (id: string, enabled: boolean) =>
      request<WebhookEndpoint>('PATCH', `/webhooks/${enc(id)}`, { enabled }),
    remove: (id: string) => request<void>('DELETE', `/webhooks/${enc(id)}`),
    rotateSecret: (id: string) => request<SecretRotatedReply>('POST', `/webhooks/${enc(id)}/rotate-secret`),
    test: (id: string) => request<TestEventQueuedReply>('POST', `/webhooks/${enc(id)}/test`),
    deliveries: (id: string) => request<WebhookDelivery[]>('GET', `/webhooks/${enc(id)}/deliveries`),
    replay: (id: string, what: { eventId: string } | { since: string }) =>
      request<ReplayQueuedReply>('POST', `/webhooks/${enc(id)}/replay`, what),
  },
};

function importPath(kind: ImportKind, mode: 'preview' | 'commit', columns: Record<string, string>): string {
  const params: Record<string, string> = { mode };
  for (const [field, header] of Object.entries(columns)) params[`column.${field}`] = header;
  return `/psa/import/${kind}${query(params)}`;
}
