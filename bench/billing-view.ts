/**
 * The billing view of a partner with 50 integrations (GET /api/partner/billing, 2,000 cards) while
 * its vendors push counts, beside the same view with nothing else running, in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { startServerProcess, stopProcess } from '../test/support/process.js';
import { countLoad, fmt, runLoad, seedMapped, statusCounts } from './support.js';

const VIEWS_PER_SECOND = 5;

export interface BillingViewResult {
  integrations: number;
  quietP50Ms: number;
  quietP99Ms: number;
  busyP50Ms: number;
  busyP99Ms: number;
  viewsPerSecondBusy: number;
  countsPerSecond: number;
  non200: number;
}

export async function measureBillingView(options: {
  durationS: number;
  integrations: number;
}): Promise<BillingViewResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-billing-'));
  const file = join(dir, 'bench.db');
  try {
    const store = await openSqliteStore({ file });
    process.stderr.write(`billing view: seeding a partner with ${options.integrations} integrations… `);
    const { partnerTokens, integrations } = await seedMapped(store, {
      integrations: options.integrations,
      accounts: 20,
      services: 2,
      samePartner: true,
    });
    await store.close();
    process.stderr.write('done\n');
    const { child, baseUrl } = await startServerProcess(['--db', file], {
      TALLY_RATE_LIMIT_PER_SECOND: '100',
      TALLY_BUILD_QUIET_MS: '200',
    });
    try {
      const counts = countLoad(integrations);
      // Every pair gets a count, and the builds land, before the view is measured.
      await runLoad({ url: baseUrl, connections: 16, duration: 3, requests: [counts.request] });
      await new Promise((r) => setTimeout(r, 1500));
      // A person looking at the board, five views a second: the question is how long one takes
      // while the vendors push, not how many views the server could serve instead of counts.
      const view = {
        url: `${baseUrl}/api/partner/billing`,
        connections: 1,
        overallRate: VIEWS_PER_SECOND,
        headers: { authorization: `Bearer ${partnerTokens[0]}` },
      };
      await runLoad({ ...view, duration: 1 });
      process.stderr.write(`billing view: GET /api/partner/billing alone for ${options.durationS}s…\n`);
      const quiet = await runLoad({ ...view, duration: options.durationS });
      process.stderr.write(`billing view: the same while counts are pushed…\n`);
      const [busy, pushed] = await Promise.all([
        runLoad({ ...view, duration: options.durationS }),
        runLoad({ url: baseUrl, connections: 30, duration: options.durationS, requests: [counts.request] }),
      ]);
      const non200 = Object.entries({ ...statusCounts(quiet), ...statusCounts(busy) })
        .filter(([code]) => code !== '200')
        .reduce((sum, [, v]) => sum + (v?.count ?? 0), 0);
      return {
        integrations: options.integrations,
        quietP50Ms: quiet.latency.p50,
        quietP99Ms: quiet.latency.p99,
        busyP50Ms: busy.latency.p50,
        busyP99Ms: busy.latency.p99,
        viewsPerSecondBusy: busy.requests.average,
        countsPerSecond: (statusCounts(pushed)['201']?.count ?? 0) / options.durationS,
        non200,
      };
    } finally {
      await stopProcess(child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const describeBillingView = (r: BillingViewResult): string =>
  [
    `billing view, partner with ${r.integrations} integrations: alone p50 ${fmt(r.quietP50Ms)} ms, p99 ${fmt(r.quietP99Ms)} ms; ` +
      `while ${fmt(r.countsPerSecond, 0)} counts/s are pushed p50 ${fmt(r.busyP50Ms)} ms, p99 ${fmt(r.busyP99Ms)} ms ` +
      `(${fmt(r.viewsPerSecondBusy, 0)} views/s; ratio of p99s ${fmt(r.busyP99Ms / r.quietP99Ms, 2)})`,
    `  non-200 views: ${r.non200}`,
  ].join('\n');
