import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake PSA received it (for assertions on what Tally sent). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FaultOptions {
  /** How many matching requests meet the fault (default 1). */
  times?: number;
  method?: string;
  pathIncludes?: string;
  /** For a 429: what Retry-After says (default 1). */
  retryAfterSeconds?: number;
}

export interface Fault<K extends string> {
  kind: K;
  method?: string;
  pathIncludes?: string;
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * What every fake PSA is: a real HTTP server on a loopback port of its own, and a queue of faults
 * the next matching requests meet. A fake serves requests in `handle`.
 */
export abstract class FakePsaServer<K extends string> {
  private server: Server | null = null;
  private faults: Fault<K>[] = [];

  constructor(private readonly psaName: string) {}

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** How paths compare when a fault names part of one (Autotask's are case-insensitive). */
  protected comparablePath(path: string): string {
    return path;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`fake ${this.psaName} is not listening`);
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
    this.server = null;
  }

  /** The next `times` matching requests meet the fault. */
  inject(kind: K, options: FaultOptions = {}): void {
    this.faults.push({
      kind,
      method: options.method,
      pathIncludes:
        options.pathIncludes === undefined ? undefined : this.comparablePath(options.pathIncludes),
      remaining: options.times ?? 1,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  /** The fault this request meets, if any (it counts against the fault's times). */
  protected takeFault(method: string, path: string): Fault<K> | undefined {
    const comparable = this.comparablePath(path);
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method === method) &&
        (f.pathIncludes === undefined || comparable.includes(f.pathIncludes)),
    );
    if (fault) fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }
}
