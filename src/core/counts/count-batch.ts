import { invalidId } from '../errors.js';
import { isObjectId } from '../ids.js';
import type { BuildState, Integration, Mapping, WaitingCount } from '../model.js';
import type { Repo } from '../ports.js';
import type { UnmappedAnnouncer } from '../webhooks/unmapped.js';

/** What a count needs to know about its service; fixed for the length of one transaction. */
export interface ServiceFacts {
  /** The service exists for this integration and is active. */
  known: boolean;
  mapping: Mapping | undefined;
}

/**
 * Reads what a service id names: an organization service of the integration, else one of the
 * vendor's SKUs. An id that is neither an organization service nor 24-hex is refused (400).
 */
export function serviceFacts(
  serviceId: string,
  found: { orgServiceActive: boolean | null; skuExists: boolean; mapping: Mapping | undefined },
): ServiceFacts {
  if (found.orgServiceActive === null && !isObjectId(serviceId)) throw invalidId();
  // An organization service shadows a SKU with the same id; an inactive one takes no counts.
  const known = found.orgServiceActive ?? found.skuExists;
  return { known, mapping: known ? found.mapping : undefined };
}

/**
 * The shared part of the counts committed in one transaction. Facts that cannot change inside it
 * (services and their mappings) are read once; each integration's build state is locked once and
 * written once, as is its last-sync time. A batch of counts then costs a few statements per count.
 */
export class CountBatch {
  private readonly states = new Map<string, BuildState>();
  private readonly services = new Map<string, ServiceFacts>();
  private readonly syncs = new Map<string, { integration: Integration; atMs: number }>();
  private readonly waiting: { partnerId: string; vendorId: string; count: WaitingCount }[] = [];
  private announced: { keys: string[]; atMs: number } | null = null;

  /** `unmapped` announces refused counts by webhook; without it they are only remembered as waiting. */
  constructor(
    readonly tx: Repo,
    private readonly unmapped: UnmappedAnnouncer | null = null,
  ) {}

  /** Notes a count remembered as waiting for a mapping, for its `count.unmapped` event at `finish`. */
  waited(integration: Integration, count: WaitingCount): void {
    if (this.unmapped)
      this.waiting.push({ partnerId: integration.partnerId, vendorId: integration.vendorId, count });
  }

  /** The integration's build state, locked on first use so concurrent writers queue behind it. */
  async buildState(integrationId: string): Promise<BuildState> {
    const cached = this.states.get(integrationId);
    if (cached) return cached;
    const state = await this.tx.lockBuildState(integrationId);
    if (!state) throw new Error(`Integration ${integrationId} has no build state`);
    this.states.set(integrationId, state);
    return state;
  }

  /** Replaces the integration's build state; written at `finish`. */
  setBuildState(state: BuildState): void {
    this.states.set(state.integrationId, state);
  }

  /**
   * Resolves a count's service id: an organization service of the integration, else one of the
   * vendor's SKUs. An id that is neither an organization service nor 24-hex is refused (400).
   */
  async service(integration: Integration, serviceId: string): Promise<ServiceFacts> {
    const key = `${integration.id}\u0000${serviceId}`;
    const cached = this.services.get(key);
    if (cached) return cached;
    const facts = serviceFacts(
      serviceId,
      await this.tx.getServiceFacts(integration.id, integration.vendorId, serviceId),
    );
    this.services.set(key, facts);
    return facts;
  }

  /** Notes an accepted count, for the integration's last-sync time and first activation. */
  synced(integration: Integration, atMs: number): void {
    this.syncs.set(integration.id, { integration, atMs });
  }

  /** Writes what the batch kept in memory. Must run before the transaction commits. */
  async finish(nowMs: number): Promise<void> {
    if (this.unmapped && this.waiting.length > 0) {
      this.announced = { keys: await this.unmapped.announce(this.tx, this.waiting, nowMs), atMs: nowMs };
    }
    for (const state of this.states.values()) await this.tx.updateBuildState(state);
    for (const { integration, atMs } of this.syncs.values()) {
      await this.tx.touchIntegrationSync(integration.id, atMs);
      // The first accepted count switches a new or pending integration on.
      if (integration.status === 'inactive' || integration.status === 'pending') {
        await this.tx.setIntegrationStatus(integration.id, 'active');
      }
    }
  }

  /** Tells the announcer what went out, once the batch's transaction has committed. */
  committed(): void {
    if (this.unmapped && this.announced) this.unmapped.committed(this.announced.keys, this.announced.atMs);
  }
}
