import autocannon from 'autocannon';
/** Shared pieces of the benchmarks: a seeded database, the count load, peak memory, percentiles. */
import { readFileSync } from 'node:fs';
import { gradientToken } from '../src/core/auth/keys.js';
import { systemClock } from '../src/core/clock.js';
import type { CoreContext } from '../src/core/context.js';
import { MemoryEventBus } from '../src/core/events/memory-bus.js';
import { randomIds } from '../src/core/ids.js';
import { connectIntegration } from '../src/core/integrations/connect.js';
import { createPartner } from '../src/core/partners/create-partner.js';
import type { Store } from '../src/core/ports.js';
import { createService } from '../src/core/vendors/services.js';
import { createVendor } from '../src/core/vendors/create-vendor.js';

export const contextFor = (store: Store): CoreContext => ({
  store,
  clock: systemClock,
  ids: randomIds,
  events: new MemoryEventBus(),
});

export interface SeededIntegration {
  integrationId: string;
  token: string;
  skuIds: string[];
  accountIds: string[];
}

/**
 * One vendor and one partner with `integrations` integrations between the vendor and partners of
 * its own, each with `accounts` accounts and `services` services, all mapped.
 */
export async function seedMapped(
  store: Store,
  size: { integrations: number; accounts: number; services: number; samePartner?: boolean },
  progress: (done: number) => void = () => {},
): Promise<{ partnerIds: string[]; partnerTokens: string[]; integrations: SeededIntegration[] }> {
  const ctx = contextFor(store);
  const integrations: SeededIntegration[] = [];
  const partnerIds: string[] = [];
  const partnerTokens: string[] = [];
  const nowMs = Date.now();
  let shared: string | null = null;
  for (let i = 0; i < size.integrations; i++) {
    const { vendor, vendorKey } = await createVendor(ctx, { name: `Bench Vendor ${i}` });
    const skuIds: string[] = [];
    for (let s = 0; s < size.services; s++) {
      skuIds.push(
        (
          await createService(ctx, vendor, {
            name: `S${s}`,
            description: '',
            category: 'backup',
            subcategory: 'cloud backup',
          })
        ).id,
      );
    }
    let partnerId: string;
    if (size.samePartner && shared) partnerId = shared;
    else {
      const made = await createPartner(ctx, { name: `Bench MSP ${i}` });
      partnerId = made.partner.id;
      partnerIds.push(partnerId);
      partnerTokens.push(made.partnerToken);
    }
    shared = partnerId;
    const { integration, partnerKey } = await connectIntegration(ctx, { vendorId: vendor.id, partnerId });
    const accountIds = Array.from({ length: size.accounts }, (_, a) => String(10_000 + a));
    await store.transaction(async (tx) => {
      for (const s of skuIds) {
        const productId = ctx.ids.objectId();
        await tx.insertProduct({
          id: productId,
          partnerId,
          name: `P ${s}`,
          unitPriceMicros: 4_500_000,
          unitCostMicros: 2_000_000,
          createdAtMs: nowMs,
        });
        await tx.putMapping({
          integrationId: integration.id,
          kind: 'service',
          itemId: s,
          targetId: productId,
          excluded: false,
          updatedAtMs: nowMs,
        });
      }
      for (const id of accountIds) {
        await tx.upsertAccount({
          integrationId: integration.id,
          id,
          name: `Customer ${id}`,
          description: '',
          isActive: true,
          isArrears: false,
          createdAtMs: nowMs,
          updatedAtMs: nowMs,
        });
        const companyId = ctx.ids.objectId();
        await tx.insertCompany({ id: companyId, partnerId, name: `Company ${i}-${id}`, createdAtMs: nowMs });
        await tx.putMapping({
          integrationId: integration.id,
          kind: 'account',
          itemId: id,
          targetId: companyId,
          excluded: false,
          updatedAtMs: nowMs,
        });
      }
    });
    integrations.push({
      integrationId: integration.id,
      token: gradientToken(vendorKey, partnerKey),
      skuIds,
      accountIds,
    });
    progress(i + 1);
  }
  return { partnerIds, partnerTokens, integrations };
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] as number;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/** Runs one autocannon load phase. */
export const runLoad = (options: autocannon.Options): Promise<autocannon.Result> =>
  new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** Responses per status code of a load phase. */
export const statusCounts = (result: autocannon.Result) =>
  result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;

/**
 * Set-unit-count requests rotating over every integration's token, account and service, so the
 * per-token rate limit is never what a run measures. `reset()` restarts the rotation.
 */
export function countLoad(integrations: SeededIntegration[]): { request: autocannon.Request; reset(): void } {
  let sequence = 0;
  return {
    reset: () => {
      sequence = 0;
    },
    request: {
      method: 'POST',
      setupRequest: (request) => {
        const n = sequence++;
        const integration = integrations[n % integrations.length]!;
        const account =
          integration.accountIds[Math.floor(n / integrations.length) % integration.accountIds.length]!;
        return {
          ...request,
          method: 'POST',
          path: `/api/vendor-api/service/${integration.skuIds[n % integration.skuIds.length]}/count`,
          headers: { 'content-type': 'application/json', 'gradient-token': integration.token },
          body: JSON.stringify({ accountId: account, unitCount: n % 500 }),
        };
      },
    },
  };
}

/** Accepted counts so far: every commit bumps its integration's revision by exactly one. */
export async function committedCounts(store: Store): Promise<number> {
  let total = 0;
  for (const partner of await store.listPartners()) {
    for (const integration of await store.listIntegrationsOfPartner(partner.id)) {
      total += (await store.getBuildState(integration.id))?.revision ?? 0;
    }
  }
  return total;
}
