import type { DemoVendorSeed } from './demo/seed-demo.js';
import { note } from './support/output.js';

/** One count the simulation keeps moving. */
interface Moving {
  vendorName: string;
  gradientToken: string;
  accountId: string;
  serviceId: string;
  serviceName: string;
  unitCount: number;
}

/** A small step up or down, never below zero: seats come and go a few at a time. */
export const nextCount = (current: number, random: () => number): number => {
  const steps = [-2, -1, 1, 1, 2, 3];
  const step = steps[Math.floor(random() * steps.length)] ?? 1;
  return Math.max(0, Math.round(current) + step);
};

/**
 * Keeps changing the demo's mapped counts through the real vendor API of `baseUrl`, one count every
 * `intervalMs`, so the billing board visibly moves. Each push is one line on stderr. Returns a stop
 * function.
 */
export function startSimulation(
  baseUrl: string,
  vendors: DemoVendorSeed[],
  intervalMs: number,
  random: () => number = Math.random,
): () => void {
  const moving: Moving[] = vendors.flatMap((v) =>
    v.mappedPairs.map((pair) => ({
      vendorName: v.vendor.name,
      gradientToken: v.gradientToken,
      accountId: pair.accountId,
      serviceId: pair.serviceId,
      serviceName: Object.values(v.services).find((s) => s.id === pair.serviceId)?.name ?? pair.serviceId,
      unitCount: pair.unitCount,
    })),
  );
  if (moving.length === 0) throw new Error('The demo has no mapped counts to move');
  let busy = false;
  const push = async () => {
    // A slow server must not pile requests up: skip a beat instead.
    if (busy) return;
    busy = true;
    const target = moving[Math.floor(random() * moving.length)] as Moving;
    const unitCount = nextCount(target.unitCount, random);
    try {
      const response = await fetch(`${baseUrl}/api/vendor-api/service/${target.serviceId}/count`, {
        method: 'POST',
        headers: { 'GRADIENT-TOKEN': target.gradientToken, 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: target.accountId, unitCount }),
      });
      note(
        `simulate: ${target.vendorName} · account ${target.accountId} · ${target.serviceName}: ` +
          `${target.unitCount} → ${unitCount} (${response.status})`,
      );
      if (response.ok) target.unitCount = unitCount;
    } catch (error) {
      note(`simulate: ${baseUrl} did not answer (${(error as Error).message})`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void push(), intervalMs);
  return () => clearInterval(timer);
}
