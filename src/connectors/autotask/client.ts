import { PsaError } from '../../core/psa-connector/port.js';
import {
  type Attempt,
  type RetryPolicy,
  fetchOnce,
  jsonOrNull,
  refused,
  retryAfterMs,
  withRetries,
} from '../http/retries.js';
import type { AutotaskBudget } from './budget.js';
import {
  AT_MAX_RECORDS,
  type AtFilter,
  type AtPage,
  type AtThresholdInformation,
  type AtZone,
} from './types.js';

/** How the client reaches one Autotask database. */
export interface AtClientOptions extends RetryPolicy {
  /** Where the zone is looked up, e.g. https://webservices.autotask.net (no path). */
  site: string;
  username: string;
  secret: string;
  integrationCode: string;
  /** The zone's API base found earlier (ends in /atservicesrest/); looked up on first use when absent. */
  zoneUrl?: string;
  /** The connection's share of the database's requests, shared by every client of the connection. */
  budget: AutotaskBudget;
  /** Told of every zone found, so the next connector of the connection starts from it. */
  onZone?: (zoneUrl: string) => void;
  /** One request's time limit; a request past it is retried like a 5xx (reads only). */
  timeoutMs?: number;
}

/** A request body, or one built at the moment the request is sent (batches that fill while they wait). */
type Body = unknown | (() => unknown);

/** Autotask's words when a database is past its hourly limit (not those of the per-endpoint thread limit). */
const HOURLY_LIMIT = /per hour|hourly/i;

/** Autotask's own words for an error: its errors[], a list of strings (bodies are not always JSON). */
function describe(status: number, errors: string[], fallback: string): string {
  return `Autotask answered ${status}: ${errors.length > 0 ? errors.join('; ') : fallback}`;
}

const errorsOf = (body: unknown): string[] => {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
};

/**
 * A small typed client for Autotask's REST API v1.0: the zone lookup (kept, and looked up again when
 * Autotask stops knowing the credentials at a cached zone), the three authentication headers,
 * queries followed page by page through nextPageUrl, and the connection's request budget. Reads are
 * retried (429 after Retry-After; 5xx, timeouts and dropped connections with backoff); a create is
 * retried only when it was refused (429, or the budget held it back) because an unanswered create
 * may have been applied, and a second would count twice.
 */
export class AutotaskClient {
  zoneUrl: string | null;
  /** Requests sent, retries included (for the benchmark and tests). */
  requestCount = 0;
  /** The zone was looked up by this client: a 401 now means the credentials, not a moved database. */
  private zoneFresh = false;

  constructor(private readonly options: AtClientOptions) {
    this.zoneUrl = options.zoneUrl ?? null;
  }

  get budget(): AutotaskBudget {
    return this.options.budget;
  }

  /** Asks Autotask which zone (API address) serves the user's database; needs no credentials. */
  async lookupZone(): Promise<string> {
    const { site, username } = this.options;
    const url = `${site}/atservicesrest/v1.0/zoneInformation?user=${encodeURIComponent(username)}`;
    // Zone lookups are neither thread-limited nor part of the database's API traffic: outside the budget.
    const response = await withRetries(this.options, true, () => this.zoneAttempt(url));
    const zone = (await response.json().catch(() => null)) as AtZone | null;
    if (typeof zone?.url !== 'string' || zone.url === '') {
      throw new PsaError(`Autotask's zone lookup at ${site} answered no zone for "${username}"`, true);
    }
    const zoneUrl = zone.url.endsWith('/') ? zone.url : `${zone.url}/`;
    // Credentials go to Autotask's own https addresses, or back to the lookup's own host (a sandbox).
    const parsed = new URL(zoneUrl);
    if (parsed.protocol !== 'https:' && parsed.origin !== new URL(site).origin) {
      throw new PsaError(`Autotask named a zone that is not https: ${parsed.origin}`, true);
    }
    this.zoneUrl = zoneUrl;
    this.zoneFresh = true;
    this.options.onZone?.(zoneUrl);
    return zoneUrl;
  }

  private async zoneAttempt(url: string): Promise<Attempt> {
    const response = await fetchOnce(
      'Autotask',
      url,
      { method: 'GET', headers: { accept: 'application/json' } },
      this.options.timeoutMs ?? 30_000,
    );
    if (!(response instanceof Response) || response.ok) return response;
    const errors = errorsOf(await jsonOrNull(response));
    const details = { status: response.status, errors };
    if (response.status === 429) {
      return {
        error: new PsaError(describe(429, errors, 'too many requests'), false, details),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    }
    // Autotask answers 500 to a user it does not know (blank or wrong): asking again will not help.
    const permanent = response.status <= 500;
    const message = `Autotask's zone lookup failed for "${this.options.username}" (${describe(
      response.status,
      errors,
      response.status === 500 ? 'no such API user' : response.statusText,
    )})`;
    return { error: new PsaError(message, permanent, details), retryAfterMs: null };
  }

  private async apiBase(): Promise<string> {
    if (this.zoneUrl === null) await this.lookupZone();
    return `${this.zoneUrl as string}V1.0`;
  }

  /** GET of a path under V1.0, e.g. /Internal/thresholdInformation. */
  async get<T>(path: string): Promise<T> {
    const response = await this.send('GET', path, undefined, true);
    return (await response.json()) as T;
  }

  /** One entity by id; null when Autotask has none (it answers 404 or `{ item: null }`). */
  async find<T>(entity: string, id: number): Promise<T | null> {
    try {
      const found = await this.get<{ item?: T | null }>(`/${entity}/${id}`);
      return found.item ?? null;
    } catch (error) {
      if (error instanceof PsaError && error.details.status === 404) return null;
      throw error;
    }
  }

  /** Creates an entity; answers Autotask's itemId. Never repeated unless it was refused. */
  async create(entity: string, body: unknown): Promise<number> {
    const response = await this.send('POST', `/${entity}`, body, false);
    const created = (await response.json().catch(() => null)) as { itemId?: unknown } | null;
    const itemId = Number(created?.itemId);
    if (!Number.isFinite(itemId)) {
      // It was applied (2xx); the caller must still treat it as sent.
      throw new PsaError(`Autotask created the ${entity} entry but answered no itemId`, true, {
        status: response.status,
      });
    }
    return itemId;
  }

  /** Autotask's own count of the database's requests this hour (all integrations). */
  async thresholdInformation(): Promise<AtThresholdInformation> {
    return this.get<AtThresholdInformation>('/Internal/thresholdInformation');
  }

  /**
   * Every row a query matches, a page (at most 500) at a time, following nextPageUrl until it is
   * null. `filter` may be built when the first request is sent, so a batch keeps filling until then.
   */
  async *query<T>(
    entity: string,
    filter: AtFilter[] | (() => AtFilter[]),
    includeFields?: string[],
  ): AsyncGenerator<T[]> {
    const body = () => ({
      filter: typeof filter === 'function' ? filter() : filter,
      MaxRecords: AT_MAX_RECORDS,
      ...(includeFields !== undefined && { IncludeFields: includeFields }),
    });
    let response = await this.send('POST', `/${entity}/query`, body, true);
    const origin = new URL(await this.apiBase()).origin;
    for (;;) {
      const page = (await response.json()) as AtPage<T>;
      if (page.items?.length > 0) yield page.items;
      const next = page.pageDetails?.nextPageUrl ?? null;
      if (next === null || next === '') return;
      // Credentials go to the zone's own address only, whatever a next-page address says.
      if (new URL(next).origin !== origin) {
        throw new PsaError(
          `Autotask sent a next-page address on another host: ${new URL(next).origin}`,
          true,
        );
      }
      response = await this.sendTo('GET', next, undefined, true);
    }
  }

  async queryAll<T>(
    entity: string,
    filter: AtFilter[] | (() => AtFilter[]),
    includeFields?: string[],
  ): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.query<T>(entity, filter, includeFields)) rows.push(...page);
    return rows;
  }

  /**
   * A request to a path under V1.0. Autotask's own count is probed first when it is due. A 401 at
   * a zone remembered from before looks the zone up again: a database that moved answers there.
   */
  private async send(method: string, path: string, body: Body, safeToRepeat: boolean): Promise<Response> {
    await this.probeWhenDue();
    const zoneBefore = this.zoneUrl;
    try {
      return await this.sendTo(method, (await this.apiBase()) + path, body, safeToRepeat);
    } catch (error) {
      const moved =
        error instanceof PsaError && error.details.status === 401 && !this.zoneFresh && zoneBefore !== null;
      if (!moved) throw error;
      // A 401 was refused before anything was applied, so even a create may be sent again.
      if ((await this.lookupZone()) === zoneBefore) throw error;
      return this.sendTo(method, (await this.apiBase()) + path, body, safeToRepeat);
    }
  }

  private async probeWhenDue(): Promise<void> {
    if (!this.options.budget.claimProbe()) return;
    try {
      const url = `${await this.apiBase()}/Internal/thresholdInformation`;
      const info = (await (await this.sendTo('GET', url, undefined, true)).json()) as AtThresholdInformation;
      if (
        Number.isFinite(info.currentTimeframeRequestCount) &&
        Number.isFinite(info.externalRequestThreshold)
      ) {
        this.options.budget.notePsaWide(info.currentTimeframeRequestCount, info.externalRequestThreshold);
      }
    } catch {
      // The probe only informs pacing; the request it came before goes on and reports its own failure.
      this.options.budget.probeFailed();
    }
  }

  private sendTo(method: string, url: string, body: Body, safeToRepeat: boolean): Promise<Response> {
    return withRetries(this.options, safeToRepeat, () =>
      this.options.budget.run(() => this.attempt(method, url, body)),
    );
  }

  private async attempt(method: string, url: string, body: Body): Promise<Attempt> {
    this.requestCount++;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ApiIntegrationCode: this.options.integrationCode,
      UserName: this.options.username,
      Secret: this.options.secret,
    };
    const value = typeof body === 'function' ? (body as () => unknown)() : body;
    if (value !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchOnce(
      'Autotask',
      url,
      { method, headers, body: value === undefined ? undefined : JSON.stringify(value) },
      this.options.timeoutMs ?? 30_000,
    );
    if (!(response instanceof Response) || response.ok) return response;
    const errors = errorsOf(await jsonOrNull(response));
    const details = { status: response.status, errors };
    if (errors.some((e) => HOURLY_LIMIT.test(e))) {
      const { resumesAtMs, waitMs } = this.options.budget.noteHourlyLimit();
      const resumesAt = new Date(resumesAtMs).toISOString();
      return {
        error: new PsaError(
          `${describe(response.status, errors, '')}; requests resume at ${resumesAt}`,
          false,
          {
            ...details,
            code: 'budget-spent',
            retryAtMs: resumesAtMs,
          },
        ),
        retryAfterMs: waitMs,
      };
    }
    return refused('Autotask', response, (fallback) => describe(response.status, errors, fallback), details);
  }
}
