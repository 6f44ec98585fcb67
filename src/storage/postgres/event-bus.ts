import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MemoryEventBus } from '../../core/events/memory-bus.js';
import { parseBuildEvent } from '../../core/events/parse-build-event.js';
import type { AccessChange, BuildEvent, EventBus } from '../../core/ports.js';
import { assertSchemaName, schemaOfUrl } from './url-schema.js';

export interface PostgresEventBusOptions {
  url: string;
  /** Whose events to carry; defaults to the schema of the URL's search_path, else public. */
  schema?: string;
  /** First wait before reconnecting a lost listening connection; it doubles on each failure… */
  reconnectDelayMs?: number;
  /** …up to this. */
  maxReconnectDelayMs?: number;
  /** Told when the listening connection is lost or a reconnect fails; the bus keeps trying. */
  onError?: (error: unknown) => void;
}

/** What travels in a notification: a build event or an access change, and which bus sent it. */
interface Envelope {
  origin: string;
  event?: BuildEvent;
  access?: AccessChange;
}

/** An access change naming nobody in particular: forget every remembered principal. */
const EVERYTHING: AccessChange = { vendorId: null, integrationId: null };

const idOrNull = (value: unknown): string | null | undefined =>
  value === null ? null : typeof value === 'string' ? value : undefined;

/** Reads an access change from another process, or undefined when the value is not one. */
function parseAccessChange(value: unknown): AccessChange | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { vendorId, integrationId } = value as Record<string, unknown>;
  const vendor = idOrNull(vendorId);
  const integration = idOrNull(integrationId);
  if (vendor === undefined || integration === undefined) return undefined;
  return { vendorId: vendor, integrationId: integration };
}

/** PostgreSQL truncates identifiers beyond 63 bytes, which could make two long names share a channel. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The notification channel of one schema's build events. Channels belong to a database, and every
 * schema of that database would hear the others' events on a shared name (test files, or two
 * deployments in one database), so the schema is part of it.
 */
export function buildChannelOf(schema: string): string {
  const channel = `tally_builds_${assertSchemaName(schema)}`;
  if (channel.length <= MAX_IDENTIFIER_BYTES) return channel;
  return `tally_builds_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/**
 * Build events for a cluster on PostgreSQL. A build is announced with NOTIFY on the schema's
 * channel; every process keeps one connection LISTENing there and hands what it hears to its local
 * listeners, so a partner's event stream on one process sees builds that landed on another.
 *
 * The publishing process delivers to its own listeners at once and ignores its own notification:
 * a flush waiting in this process must not depend on a round trip through the database.
 * Events sent while a process is reconnecting are not replayed to it; they only refresh views
 * that readers can reload, and the billing state itself is always read from the store.
 */
export class PostgresEventBus implements EventBus {
  private readonly local = new MemoryEventBus();
  private readonly origin = randomUUID();
  private readonly publisher: pg.Pool;
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs: number;
  private closed = false;

  private constructor(
    private readonly options: PostgresEventBusOptions,
    private readonly channel: string,
  ) {
    this.reconnectDelayMs = this.firstDelayMs();
    // One connection is plenty for NOTIFY; it is opened on the first build and reused.
    this.publisher = new pg.Pool({ connectionString: options.url, max: 1 });
    // An idle pooled connection that breaks reports here; without a handler it would end the process.
    this.publisher.on('error', (error) => options.onError?.(error));
  }

  /** Connects the listening connection and resolves once this process hears the channel. */
  static async open(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
    const schema = options.schema ?? schemaOfUrl(options.url) ?? 'public';
    const bus = new PostgresEventBus(options, buildChannelOf(schema));
    await bus.listen();
    return bus;
  }

  async publish(event: BuildEvent): Promise<void> {
    this.local.deliver(event);
    const envelope: Envelope = { origin: this.origin, event };
    await this.publisher.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(envelope)]);
  }

  subscribe(listener: (event: BuildEvent) => void): () => void {
    return this.local.subscribe(listener);
  }

  async announceAccessChange(change: AccessChange): Promise<void> {
    this.local.deliverAccessChange(change);
    const envelope: Envelope = { origin: this.origin, access: change };
    await this.publisher.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(envelope)]);
  }

  onAccessChange(listener: (change: AccessChange) => void): () => void {
    return this.local.onAccessChange(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end();
    await this.publisher.end();
    await this.local.close();
  }

  private firstDelayMs(): number {
    return this.options.reconnectDelayMs ?? 100;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'tally-events' });
    client.on('notification', (message) => this.heard(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the event listening connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.listener = client;
  }

  private heard(message: pg.Notification): void {
    if (message.channel !== this.channel || !message.payload) return;
    let envelope: Partial<Envelope>;
    try {
      envelope = JSON.parse(message.payload) as Partial<Envelope>;
    } catch {
      return;
    }
    if (envelope.origin === this.origin) return;
    if (envelope.access !== undefined) {
      const change = parseAccessChange(envelope.access);
      if (change) this.local.deliverAccessChange(change);
      return;
    }
    const event = parseBuildEvent(envelope.event);
    if (event) this.local.deliver(event);
  }

  /** The listening connection broke: report it once and start reconnecting. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || client !== this.listener) return;
    this.listener = null;
    this.options.onError?.(error);
    // Access changes announced while nobody listens are lost: remembered principals go now.
    this.local.deliverAccessChange(EVERYTHING);
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        () => {
          this.reconnectDelayMs = this.firstDelayMs();
          this.local.deliverAccessChange(EVERYTHING);
        },
        (error: unknown) => {
          this.options.onError?.(error);
          this.reconnectDelayMs = Math.min(
            this.reconnectDelayMs * 2,
            this.options.maxReconnectDelayMs ?? 5000,
          );
          this.reconnectLater();
        },
      );
    }, this.reconnectDelayMs);
  }
}
