/**
 * The PSA write outbox's claim: each write is held by one worker, and a PSA that rewrites a whole
 * agreement (HaloPSA) gets one write per agreement at a time, in every process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PsaKind } from '../../src/core/model.js';
import type { PsaWrite } from '../../src/core/psa-connector/store.js';
import { T0_MS, describeEachStore } from './contract-support.js';

const write = (id: string, kind: PsaKind, agreementId: string): PsaWrite => ({
  id,
  partnerId: 'p1',
  kind,
  op: 'set_quantity',
  period: '2026-03',
  cardId: `card-${id}`,
  companyId: 'c1',
  productId: 'p1',
  lineId: `line-${id}`,
  agreementId,
  targetQuantity: 5,
  state: 'pending',
  attempts: 0,
  lastError: null,
  nextAttemptAtMs: T0_MS,
  leaseUntilMs: null,
  createdAtMs: T0_MS,
  updatedAtMs: T0_MS,
  remoteRef: null,
  effectiveDate: null,
});

describeEachStore('store contract: claiming PSA writes', ({ store }) => {
  test('writes of one whole-invoice agreement are held one at a time; other PSAs in parallel', async () => {
    const s = store();
    for (const w of [
      write('h1', 'halo', 'inv-1'),
      write('h2', 'halo', 'inv-1'),
      write('h3', 'halo', 'inv-2'),
      write('c1', 'connectwise', 'agr-1'),
      write('c2', 'connectwise', 'agr-1'),
    ]) {
      await s.insertPsaWrite(w);
    }
    const lease = T0_MS + 60_000;
    const first = (await s.claimPsaWrites(T0_MS, lease, 10, ['halo'])).map((w) => w.id).sort();
    assert.deepEqual(first, ['c1', 'c2', 'h1', 'h3']);
    // A second worker (another process) finds h2's agreement held and leaves it.
    assert.deepEqual(await s.claimPsaWrites(T0_MS, lease, 10, ['halo']), []);
    const h1 = (await s.getPsaWrite('p1', 'h1')) as PsaWrite;
    assert.ok(await s.settlePsaWrite({ ...h1, state: 'written', leaseUntilMs: null }, lease));
    const next = await s.claimPsaWrites(T0_MS, lease, 10, ['halo']);
    assert.deepEqual(
      next.map((w) => w.id),
      ['h2'],
    );
    // Without the rule (another PSA's worker), agreement sharing does not hold a write back.
    await s.insertPsaWrite(write('h4', 'halo', 'inv-2'));
    assert.deepEqual(
      (await s.claimPsaWrites(T0_MS, lease, 10)).map((w) => w.id),
      ['h4'],
    );
  });
});
