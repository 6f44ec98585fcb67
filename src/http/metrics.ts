import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per server so tests can run several servers in one process. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'tally_http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'tally_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly countsAccepted = new Counter({
    name: 'tally_counts_accepted_total',
    help: 'Unit counts accepted (201)',
    registers: [this.registry],
  });
  readonly countsRejected = new Counter({
    name: 'tally_counts_rejected_total',
    help: 'Unit counts refused, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly builds = new Counter({
    name: 'tally_builds_total',
    help: 'Billing-view builds that landed',
    registers: [this.registry],
  });
  readonly buildDuration = new Histogram({
    name: 'tally_build_duration_seconds',
    help: 'Time to rebuild one integration billing view',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly buildLag = new Histogram({
    name: 'tally_build_lag_seconds',
    help: 'From the first unbuilt change to its build landing',
    buckets: [0.1, 0.5, 1, 2, 3, 5, 10, 20, 30, 45, 60, 120],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'tally_rate_limit_rejections_total',
    help: 'Vendor API requests refused with 429',
    registers: [this.registry],
  });
  readonly anomalies = new Counter({
    name: 'tally_anomaly_blocks_total',
    help: 'Vendor API requests refused with 403, by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'tally_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookLatency = new Histogram({
    name: 'tally_webhook_latency_seconds',
    help: 'Time a webhook receiver took to answer',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly up = new Gauge({ name: 'tally_up', help: 'Always 1 while serving', registers: [this.registry] });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.up.set(1);
  }
}
