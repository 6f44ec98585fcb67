/**
 * A heavy tenant commits a large CSV import (1,000,000 companies, about 19 MB, by default) while
 * another tenant keeps sending counts one after another. Reports the other tenant's count latency
 * (p50, p99, max) during the commit against the same figures measured just before with no import
 * (the baseline), plus the longest event-loop stall of the server.
 *   node --import tsx bench/noisy-neighbour.ts [--rows N] [--postgres]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { composeTally } from '../src/bin/tally-server.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import { openStore } from '../src/storage/open.js';
import { contextFor, fmt, percentile, seedMapped } from './support.js';

export interface NoisyResult {
  store: string;
  rows: number;
  importSeconds: number;
  baseline: { n: number; p50: number; p99: number; max: number };
  during: { n: number; p50: number; p99: number; max: number };
  loopMaxMs: number;
}

const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
};

export async function measureNoisyNeighbour(options: {
  rows: number;
  postgresUrl?: string;
}): Promise<NoisyResult> {
  const file = join(tmpdir(), `tally-noisy-${process.pid}.db`);
  const storeConfig = {
    databaseUrl: options.postgresUrl ?? null,
    sqliteFile: file,
    sqliteSynchronous: 'FULL' as const,
  };
  const store = await openStore(storeConfig);
  const config = loadConfig(
    {},
    {
      logLevel: 'silent',
      port: 0,
      importMaxBytes: 64 * 1024 * 1024,
      rateLimitPerSecond: 100_000,
      authFailureLimit: 100_000,
      databaseUrl: options.postgresUrl ?? null,
      sqliteFile: file,
    },
  );
  const server = await composeTally(config, { store });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  try {
    const { integrations } = await seedMapped(store, { integrations: 1, accounts: 20, services: 2 });
    const quiet = integrations[0];
    if (!quiet) throw new Error('seeding failed');
    const { partnerToken } = await createPartner(contextFor(store), { name: 'Heavy MSP' });

    let n = 0;
    const sendCount = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/vendor-api/service/${quiet.skuIds[n % 2]}/count`, {
        method: 'POST',
        headers: { 'GRADIENT-TOKEN': quiet.token, 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: quiet.accountIds[n % 20], unitCount: n }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`count answered ${response.status}`);
      n++;
      return performance.now() - started;
    };

    // Baseline: the same count loop, 3 s with nothing else going on.
    const baseline: number[] = [];
    const baselineEnd = performance.now() + 3000;
    while (performance.now() < baselineEnd) baseline.push(await sendCount());

    let csv = 'name\n';
    for (let i = 0; i < options.rows; i++) csv += `Company ${String(i).padStart(8, '0')}\n`;
    const during: number[] = [];
    let importing = true;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const counting = (async () => {
      while (importing) during.push(await sendCount());
    })();
    const started = performance.now();
    const imported = await fetch(`${baseUrl}/api/partner/psa/import/companies?mode=commit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partnerToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const importBody = (await imported.json()) as { created?: number };
    const importSeconds = (performance.now() - started) / 1000;
    importing = false;
    await counting;
    loop.disable();
    if (imported.status !== 201 || importBody.created !== options.rows) {
      throw new Error(`import answered ${imported.status}: ${JSON.stringify(importBody).slice(0, 200)}`);
    }
    return {
      store: options.postgresUrl ? 'PostgreSQL' : 'SQLite',
      rows: options.rows,
      importSeconds,
      baseline: summary(baseline),
      during: summary(during),
      loopMaxMs: loop.max / 1e6,
    };
  } finally {
    await server.close();
    await store.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}

export const describeNoisy = (r: NoisyResult): string =>
  `noisy neighbour (${r.store}, ${r.rows.toLocaleString('en-US')}-row import committed in ${fmt(r.importSeconds)} s): ` +
  `other tenant's counts p50 ${fmt(r.during.p50)} ms, p99 ${fmt(r.during.p99)} ms, max ${fmt(r.during.max)} ms ` +
  `(${r.during.n} counts); baseline p50 ${fmt(r.baseline.p50)} ms, p99 ${fmt(r.baseline.p99)} ms; ` +
  `p99 ratio ${fmt(r.during.p99 / r.baseline.p99, 2)}; event loop max stall ${fmt(r.loopMaxMs, 0)} ms`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '1000000' }, postgres: { type: 'string' } },
  });
  console.log(
    describeNoisy(await measureNoisyNeighbour({ rows: Number(values.rows), postgresUrl: values.postgres })),
  );
}
