import type { CoreContext } from '../context.js';
import { RoundLoop } from '../round-loop.js';
import type { PsaConnection, PsaWrite } from './store.js';
import type { PsaDeps } from './deps.js';
import { PsaError, type PsaConnector, type RemoteLine, type WriteJournal } from './port.js';
import { PSA_NAMES } from '../model.js';

export interface WriteWorkerOptions {
  pollMs: number;
  /** How long a claimed write is held; past it, another worker presumes this one dead. */
  leaseMs: number;
  /** Writes claimed per round. */
  batchSize?: number;
  /** Transient failures before a write is given up as failed (the partner can retry it). */
  maxAttempts?: number;
  onError?: (error: unknown) => void;
}

/** Same tolerance as card states: quantities are decimals. */
const EPSILON = 1e-9;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Sends queued PSA writes. A write is claimed under a lease (compare-and-set in the store, so any
 * number of processes may run this), its attempt is recorded before anything is sent, and a write
 * that was tried before is re-read first: if the PSA already holds the target (a reply lost, a
 * crash between send and record), it is recorded as written without sending again. Once the PSA
 * confirms, the ledger line takes the confirmed quantity in the same transaction as the write's state.
 */
export class PsaWriteWorker {
  private readonly loop: RoundLoop;
  private readonly connectors = new Map<string, { stamp: number; connector: PsaConnector }>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: PsaDeps,
    private readonly options: WriteWorkerOptions,
  ) {
    this.loop = new RoundLoop(ctx.clock, () => this.round(), options);
  }

  /**
   * Begins sending. A process that owns its store alone (embedded SQLite) knows any lease it finds
   * belongs to a run that died, so it takes those writes back at once instead of waiting out the lease.
   */
  async start(options: { soleProcess: boolean }): Promise<void> {
    if (options.soleProcess) await this.ctx.store.expirePsaWriteLeases(this.ctx.clock.nowMs());
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Resolves once no round is running. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** Looks for work now (after a decision queued a write). */
  kick(): void {
    this.loop.kick();
  }

  private async round(): Promise<void> {
    for (;;) {
      if (this.loop.isStopped) return;
      const nowMs = this.ctx.clock.nowMs();
      const claimed = await this.ctx.store.claimPsaWrites(
        nowMs,
        nowMs + this.options.leaseMs,
        this.options.batchSize ?? 32,
        this.deps.wholeAgreementKinds,
      );
      if (claimed.length === 0) return;
      // The connector's client keeps each connection to its own number of requests in flight.
      await Promise.all(claimed.map((write) => this.process(write)));
    }
  }

  private connectorOf(connection: PsaConnection): PsaConnector {
    const cached = this.connectors.get(connection.partnerId);
    if (cached && cached.stamp === connection.updatedAtMs) return cached.connector;
    const connector = this.deps.connectorFor(connection);
    this.connectors.set(connection.partnerId, { stamp: connection.updatedAtMs, connector });
    return connector;
  }

  private async process(claimed: PsaWrite): Promise<void> {
    const lease = claimed.leaseUntilMs as number;
    // The attempt is on record before anything is sent: after a crash, the next worker knows it
    // must look at the PSA before sending again.
    const write: PsaWrite = {
      ...claimed,
      attempts: claimed.attempts + 1,
      updatedAtMs: this.ctx.clock.nowMs(),
    };
    if (!(await this.ctx.store.settlePsaWrite(write, lease))) return;
    try {
      const connection = await this.ctx.store.getPsaConnection(write.partnerId);
      if (!connection || connection.kind !== write.kind) {
        throw new PsaError(`${PSA_NAMES[write.kind]} is not connected`, true);
      }
      await this.send(this.connectorOf(connection), write, lease);
    } catch (error) {
      await this.fail(write, lease, error);
    }
  }

  private async send(connector: PsaConnector, write: PsaWrite, lease: number): Promise<void> {
    const triedBefore = write.attempts > 1;
    const { partnerId } = write;
    const agreement =
      write.agreementId === null
        ? undefined
        : await this.ctx.store.getAgreement(partnerId, write.agreementId);
    if (!agreement?.psa) throw new PsaError('The agreement of this write is no longer in the ledger', true);

    if (write.op === 'set_quantity') {
      const line =
        write.lineId === null ? undefined : await this.ctx.store.getAgreementLine(partnerId, write.lineId);
      if (!line?.psa) throw new PsaError('The agreement line of this write is no longer in the ledger', true);
      const address = { agreementExternalId: agreement.psa.externalId, lineExternalId: line.psa.externalId };
      let confirmed: RemoteLine | null = null;
      if (triedBefore) {
        confirmed = await connector.readLine(address);
        if (!confirmed) throw new PsaError(`The line no longer exists in ${PSA_NAMES[write.kind]}`, true);
        // A write whose change the PSA already acknowledged is confirmed by what it holds now, even
        // when someone moved the line since: sending a relative change again would count it twice.
        if (write.remoteRef === null && Math.abs(confirmed.quantity - write.targetQuantity) >= EPSILON) {
          confirmed = null;
        }
      }
      confirmed ??= await connector.setQuantity(address, write.targetQuantity, this.journal(write, lease));
      const held = confirmed;
      await this.ctx.store.transaction(async (tx) => {
        const done = {
          ...write,
          state: 'written' as const,
          lastError: null,
          leaseUntilMs: null,
          updatedAtMs: this.ctx.clock.nowMs(),
        };
        if (!(await tx.settlePsaWrite(done, lease))) return;
        await tx.updateAgreementLine({ ...line, quantity: held.quantity, updatedAtMs: done.updatedAtMs });
        this.deps.events.emit({ type: 'write', write: done });
      });
      return;
    }

    const product = await this.ctx.store.getProduct(partnerId, write.productId);
    if (!product?.psa) throw new PsaError('The product of this write is no longer in the ledger', true);
    const place = {
      agreementExternalId: agreement.psa.externalId,
      productExternalId: product.psa.externalId,
    };
    let created: RemoteLine | undefined;
    if (triedBefore) {
      // An add whose reply was lost may have happened: adopt the line it made instead of adding twice.
      created = (await connector.findLines(place))[0];
      if (created && Math.abs(created.quantity - write.targetQuantity) >= EPSILON) {
        created = await connector.setQuantity(
          { agreementExternalId: place.agreementExternalId, lineExternalId: created.externalId },
          write.targetQuantity,
          this.journal(write, lease),
        );
      }
    }
    created ??= await connector.addLine(place, write.targetQuantity, this.journal(write, lease));
    const line = created;
    await this.ctx.store.transaction(async (tx) => {
      const nowMs = this.ctx.clock.nowMs();
      const ids = await tx.upsertSyncedLines(
        partnerId,
        write.kind,
        [
          {
            ...line,
            active: true,
            agreementId: agreement.id,
            companyId: agreement.companyId,
            productId: product.id,
          },
        ],
        nowMs,
        () => this.ctx.ids.objectId(),
      );
      const done = {
        ...write,
        lineId: ids.get(line.externalId) ?? null,
        state: 'written' as const,
        lastError: null,
        leaseUntilMs: null,
        updatedAtMs: nowMs,
      };
      if (!(await tx.settlePsaWrite(done, lease))) throw new Error('lease lost');
      this.deps.events.emit({ type: 'write', write: done });
    });
  }

  /** What the connector may know and record of this write while it sends it. */
  private journal(write: PsaWrite, lease: number): WriteJournal {
    return {
      sentRef: write.remoteRef,
      effectiveDate: write.effectiveDate ?? new Date(write.createdAtMs).toISOString().slice(0, 10),
      recordSent: async (ref) => {
        const noted = { ...write, remoteRef: ref, updatedAtMs: this.ctx.clock.nowMs() };
        // Lost lease: another worker owns the write now and will confirm it by reading.
        if (!(await this.ctx.store.settlePsaWrite(noted, lease))) throw new Error('lease lost');
        write.remoteRef = ref;
      },
    };
  }

  private async fail(write: PsaWrite, lease: number, error: unknown): Promise<void> {
    const nowMs = this.ctx.clock.nowMs();
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PsaError && error.permanent;
    // A spent request budget (Autotask) resumes by itself: the write waits for it, whatever its count.
    const budgetBackAtMs = error instanceof PsaError ? error.details.retryAtMs : undefined;
    const giveUp =
      permanent || (budgetBackAtMs === undefined && write.attempts >= (this.options.maxAttempts ?? 8));
    const next: PsaWrite = giveUp
      ? { ...write, state: 'failed', lastError: message, leaseUntilMs: null, updatedAtMs: nowMs }
      : {
          ...write,
          lastError: message,
          leaseUntilMs: null,
          nextAttemptAtMs:
            budgetBackAtMs ?? nowMs + Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (write.attempts - 1)),
          updatedAtMs: nowMs,
        };
    if (await this.ctx.store.settlePsaWrite(next, lease))
      this.deps.events.emit({ type: 'write', write: next });
    if (!(error instanceof PsaError)) this.options.onError?.(error);
  }
}
