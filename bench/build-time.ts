/**
 * Billing-view build time for one integration of 2,000 accounts × 10 services, and for a partner
 * with 10 such integrations, beside a plain read of the same counts measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildScheduler } from '../src/core/builds/scheduler.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import type { Store } from '../src/core/ports.js';
import { contextFor, fmt, percentile, seedMapped } from './support.js';

export interface BuildTimeResult {
  label: string;
  integrations: number;
  countsPerIntegration: number;
  readMs: number;
  buildP50Ms: number;
  buildMaxMs: number;
  partnerTotalMs: number;
}

export async function measureBuildTime(options: {
  integrations: number;
  accounts: number;
  services: number;
  openStore?: () => Promise<Store>;
  label?: string;
}): Promise<BuildTimeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-build-'));
  const store = await (options.openStore ?? (() => openSqliteStore({ file: join(dir, 'build.db') })))();
  try {
    process.stderr.write(
      `seeding ${options.integrations} × ${options.accounts} accounts × ${options.services} services… `,
    );
    const { integrations } = await seedMapped(
      store,
      {
        integrations: options.integrations,
        accounts: options.accounts,
        services: options.services,
        samePartner: true,
      },
      (n) => process.stderr.write(`${n} `),
    );
    const nowMs = Date.now();
    for (const i of integrations) {
      await store.transaction(async (tx) => {
        let revision = 0;
        for (const accountId of i.accountIds) {
          for (const serviceId of i.skuIds) {
            await tx.putCount({
              integrationId: i.integrationId,
              accountId,
              serviceId,
              unitCount: (revision % 40) + 1,
              revision: ++revision,
              updatedAtMs: nowMs,
            });
          }
        }
        const state = await tx.getBuildState(i.integrationId);
        if (state)
          await tx.updateBuildState({
            ...state,
            revision,
            unbuiltChanges: revision,
            firstUnbuiltAtMs: nowMs,
          });
      });
    }
    process.stderr.write('done\n');

    const ctx = contextFor(store);
    const scheduler = new BuildScheduler(ctx, { leaseMs: 60_000, pollMs: 3_600_000 });
    await scheduler.start({ soleProcess: true });
    const readStarted = performance.now();
    for (const i of integrations) await store.listCounts(i.integrationId);
    const readMs = (performance.now() - readStarted) / integrations.length;

    const times: number[] = [];
    const partnerStarted = performance.now();
    for (const i of integrations) {
      const started = performance.now();
      const status = await scheduler.flush(i.integrationId, 120_000);
      times.push(performance.now() - started);
      if (status.builtRevision !== options.accounts * options.services)
        throw new Error('build did not cover every count');
    }
    const partnerTotalMs = performance.now() - partnerStarted;
    await scheduler.stop();
    const rows = await store.listBillingRows(integrations.map((i) => i.integrationId));
    if (rows.length !== options.integrations * options.accounts * options.services)
      throw new Error(`expected a row per pair, got ${rows.length}`);
    times.sort((a, b) => a - b);
    return {
      label: options.label ?? 'sqlite',
      integrations: options.integrations,
      countsPerIntegration: options.accounts * options.services,
      readMs,
      buildP50Ms: percentile(times, 50),
      buildMaxMs: times.at(-1) ?? NaN,
      partnerTotalMs,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const describeBuild = (r: BuildTimeResult): string =>
  `${r.label}: ${r.integrations} integration(s) × ${r.countsPerIntegration} counts: build p50 ${fmt(r.buildP50Ms)} ms, ` +
  `max ${fmt(r.buildMaxMs)} ms per integration (plain read of the counts ${fmt(r.readMs)} ms → ratio ${fmt(r.buildP50Ms / r.readMs, 1)}); ` +
  `whole partner ${fmt(r.partnerTotalMs, 0)} ms`;
