/**
 * Webhook fan-out: events emitted at a steady rate into the outbox of a SQLite store, delivered by
 * the real worker over loopback to a receiver that fails a share of requests at random. Checks that
 * every event reached every endpoint subscribed to it, that repeats carry the same webhook-id and
 * body, and that each integration's events reached each endpoint in order; reports delivery lag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectIntegration } from '../src/core/integrations/connect.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import { createVendor } from '../src/core/vendors/create-vendor.js';
import { createWebhookEndpoint } from '../src/core/webhooks/create-endpoint.js';
import { emitWebhookEvents, type EventInput } from '../src/core/webhooks/emit.js';
import { WebhookWorker } from '../src/core/webhooks/worker.js';
import { httpWebhookTransport } from '../src/http/webhook-transport.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { contextFor, percentile } from './support.js';

export interface WebhookBenchOptions {
  events: number;
  endpoints: number;
  integrations: number;
  /** Share of requests the receiver answers with 500, at random. */
  failureRate: number;
  /** Events put in the outbox per second. */
  eventsPerSecond: number;
  /** Gives up (and reports it) after this long. */
  timeoutS: number;
  label: string;
}

export interface WebhookBenchResult {
  options: WebhookBenchOptions;
  deliveriesExpected: number;
  deliveredPairs: number;
  requests: number;
  failuresInjected: number;
  /** Requests that repeated an (endpoint, event) pair already answered 2xx: answers the sender did not get in time. */
  repeatsAfterSuccess: number;
  idMismatches: number;
  orderViolations: number;
  lagP50Ms: number;
  lagP99Ms: number;
  firstTryP50Ms: number;
  durationS: number;
  deliveriesPerS: number;
  timedOut: boolean;
}

interface Hit {
  endpoint: number;
  id: string;
  body: string;
  ok: boolean;
  atMs: number;
}

export async function measureWebhooks(options: WebhookBenchOptions): Promise<WebhookBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-webhooks-'));
  const hits: Hit[] = [];
  let failuresInjected = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = Math.random() < options.failureRate;
      if (fail) failuresInjected++;
      hits.push({
        endpoint: Number(req.url?.slice(4)),
        id: String(req.headers['webhook-id']),
        body: Buffer.concat(chunks).toString('utf8'),
        ok: !fail,
        atMs: Date.now(),
      });
      res.writeHead(fail ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('receiver did not bind');

  const store = await openSqliteStore({ file: join(dir, 'bench.db') });
  const ctx = contextFor(store);
  const worker = new WebhookWorker(ctx, {
    transport: httpWebhookTransport({ allowPrivateNetworks: false }),
    leaseMs: 30_000,
    pollMs: 20,
    timeoutMs: 5_000,
    maxInFlightPerEndpoint: 4,
    maxConcurrent: 64,
    retry: { baseMs: 50, maxDelayMs: 500, retryForMs: 3 * 24 * 3600_000 },
    disableAfterMs: 3 * 24 * 3600_000,
    onError: (error) => console.error('webhook worker:', error),
  });
  try {
    const { partner } = await createPartner(ctx, { name: 'Bench MSP' });
    const integrations: { id: string; vendorId: string }[] = [];
    for (let i = 0; i < options.integrations; i++) {
      const { vendor } = await createVendor(ctx, { name: `Bench Vendor ${i}` });
      const { integration } = await connectIntegration(ctx, { vendorId: vendor.id, partnerId: partner.id });
      integrations.push({ id: integration.id, vendorId: vendor.id });
    }
    // Half the endpoints take every billing event, half only billing.built: subscriptions are filtered.
    const subscribes: ((type: string) => boolean)[] = [];
    for (let e = 0; e < options.endpoints; e++) {
      const all = e % 2 === 0;
      await createWebhookEndpoint(
        ctx,
        { kind: 'partner', id: partner.id },
        {
          url: `http://127.0.0.1:${address.port}/ep-${e}`,
          eventTypes: all ? ['billing.built', 'card.changed'] : ['billing.built'],
        },
        { allowPrivateNetworks: false },
      );
      subscribes.push(all ? () => true : (type) => type === 'billing.built');
    }

    await worker.start({ soleProcess: true });
    const startedMs = Date.now();
    const sequence = new Map<string, number>();
    const emitted: { type: string; occurredAtMs: number }[] = [];
    const BATCH = 10;
    const batchEveryMs = (1000 * BATCH) / options.eventsPerSecond;
    for (let n = 0; n < options.events; n += BATCH) {
      const due = startedMs + (n / BATCH) * batchEveryMs;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const nowMs = Date.now();
      const batch: EventInput[] = [];
      for (let k = n; k < Math.min(options.events, n + BATCH); k++) {
        const integration = integrations[k % integrations.length] as { id: string; vendorId: string };
        const seq = (sequence.get(integration.id) ?? 0) + 1;
        sequence.set(integration.id, seq);
        const type = k % 10 < 7 ? 'billing.built' : 'card.changed';
        emitted.push({ type, occurredAtMs: nowMs });
        batch.push(
          type === 'billing.built'
            ? {
                type,
                partnerId: partner.id,
                vendorId: integration.vendorId,
                integrationId: integration.id,
                occurredAtMs: nowMs,
                data: { integrationId: integration.id, revision: seq, countsChanged: k },
              }
            : {
                type: 'card.changed',
                partnerId: partner.id,
                vendorId: integration.vendorId,
                integrationId: integration.id,
                occurredAtMs: nowMs,
                data: {
                  cardId: `c${k}`,
                  companyId: 'c',
                  productId: `p${k}`,
                  integrationId: integration.id,
                  vendorQuantity: seq,
                  previousVendorQuantity: seq - 1,
                },
              },
        );
      }
      await store.transaction((tx) => emitWebhookEvents(tx, ctx.ids, batch));
    }
    const deliveriesExpected = emitted.reduce(
      (sum, e) => sum + subscribes.filter((s) => s(e.type)).length,
      0,
    );
    const delivered = new Map<string, Hit>();
    const deadline = startedMs + options.timeoutS * 1000;
    let scanned = 0;
    while (Date.now() < deadline) {
      for (; scanned < hits.length; scanned++) {
        const h = hits[scanned] as Hit;
        if (h.ok && !delivered.has(`${h.endpoint} ${h.id}`)) delivered.set(`${h.endpoint} ${h.id}`, h);
      }
      if (delivered.size >= deliveriesExpected) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const finishedMs = Date.now();
    await worker.stop();

    // Checks over every request the receiver saw.
    const firstBody = new Map<string, string>();
    const lastSeq = new Map<string, number>();
    const firstSeen = new Map<string, number>();
    const succeeded = new Set<string>();
    let idMismatches = 0;
    let orderViolations = 0;
    let repeatsAfterSuccess = 0;
    for (const h of hits) {
      const body = JSON.parse(h.body) as {
        type: string;
        timestamp: string;
        data: { integrationId: string; revision?: number; vendorQuantity?: number };
      };
      const known = firstBody.get(h.id);
      if (known === undefined) firstBody.set(h.id, h.body);
      else if (known !== h.body) idMismatches++;
      const pair = `${h.endpoint} ${h.id}`;
      if (succeeded.has(pair)) repeatsAfterSuccess++;
      if (h.ok) succeeded.add(pair);
      if (firstSeen.has(pair)) continue;
      firstSeen.set(pair, h.atMs - Date.parse(body.timestamp));
      // Order: an event seen for the first time must not be older than one already seen. A repeat
      // may come late (a request the sender gave up on can still be read by the receiver).
      const seq = body.data.revision ?? body.data.vendorQuantity ?? 0;
      const key = `${h.endpoint} ${body.data.integrationId}`;
      if (seq < (lastSeq.get(key) ?? 0)) orderViolations++;
      lastSeq.set(key, Math.max(seq, lastSeq.get(key) ?? 0));
    }
    const lags = [...delivered.values()]
      .map((h) => h.atMs - Date.parse((JSON.parse(h.body) as { timestamp: string }).timestamp))
      .sort((a, b) => a - b);
    const firstTries = [...firstSeen.values()].sort((a, b) => a - b);
    const durationS = (finishedMs - startedMs) / 1000;
    return {
      options,
      deliveriesExpected,
      deliveredPairs: delivered.size,
      requests: hits.length,
      failuresInjected,
      repeatsAfterSuccess,
      idMismatches,
      orderViolations,
      lagP50Ms: percentile(lags, 50),
      lagP99Ms: percentile(lags, 99),
      firstTryP50Ms: percentile(firstTries, 50),
      durationS,
      deliveriesPerS: Math.round(delivered.size / durationS),
      timedOut: delivered.size < deliveriesExpected,
    };
  } finally {
    await worker.stop();
    await store.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeWebhooks(r: WebhookBenchResult, baseline?: WebhookBenchResult): string {
  const o = r.options;
  const ratio = baseline
    ? ` (${(r.lagP50Ms / Math.max(1, baseline.lagP50Ms)).toFixed(1)}× the baseline p50)`
    : '';
  return [
    `Webhooks, ${o.label}: ${o.events} events at ${o.eventsPerSecond}/s over ${o.integrations} integrations to ${o.endpoints} endpoints, ${Math.round(o.failureRate * 100)} % failures`,
    `  delivered ${r.deliveredPairs}/${r.deliveriesExpected} (event, endpoint) pairs${r.timedOut ? ' — TIMED OUT' : ''} in ${r.durationS.toFixed(1)} s (${r.deliveriesPerS}/s), ${r.requests} requests, ${r.failuresInjected} failures injected`,
    `  repeats after a 2xx ${r.repeatsAfterSuccess}, same webhook-id with another body ${r.idMismatches}, order violations ${r.orderViolations}`,
    `  lag to 2xx p50 ${r.lagP50Ms} ms, p99 ${r.lagP99Ms} ms${ratio}; lag to first attempt p50 ${r.firstTryP50Ms} ms`,
  ].join('\n');
}
