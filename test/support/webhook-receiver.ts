import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
  atMs: number;
}

/** What the receiver answers to one request; a delay longer than the sender's timeout is a timeout. */
export interface Reply {
  status: number;
  delayMs?: number;
  retryAfterSeconds?: number;
  body?: string;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request and answers what `decide` says, so
 * tests inject 500s, 429s with Retry-After, timeouts and lost answers.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  decide: (request: { path: string; headers: IncomingHttpHeaders; body: string }) => Reply = () => ({
    status: 204,
  });
  private server: Server | null = null;
  private port = 0;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const reply = this.decide({ path, headers: req.headers, body });
        const answer = () => {
          this.received.push({ path, headers: req.headers, body, status: reply.status, atMs: Date.now() });
          this.notify();
          if (res.destroyed) return;
          const headers: Record<string, string> = { 'content-type': 'text/plain' };
          if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
          res.writeHead(reply.status, headers).end(reply.body ?? `answered ${reply.status}`);
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('receiver did not bind');
    this.port = address.port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Resolves once `predicate` holds (checked after every request), or fails after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receiver: condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Requests whose body has this event type. */
  ofType(type: string): Received[] {
    return this.received.filter((r) => (JSON.parse(r.body) as { type: string }).type === type);
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate()) return true;
      w.resolve();
      return false;
    });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
