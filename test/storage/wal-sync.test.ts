import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CountWriter } from '../../src/core/counts/count-writer.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { WalSync } from '../../src/storage/sqlite/wal-sync.js';
import { seedIntegration, startServer } from '../support/harness.js';
import { eventually } from '../support/eventually.js';
import { mappedWorld } from '../support/world.js';

/** A flush the test lets finish when it wants, counting how many were begun. */
function heldFlushes() {
  const releases: (() => void)[] = [];
  let begun = 0;
  return {
    flush: (file: FileHandle) => {
      begun++;
      return new Promise<void>((resolve) => releases.push(() => void file.sync().then(resolve)));
    },
    begun: () => begun,
    releaseNext: () => releases.shift()?.(),
    releaseAll: () => {
      for (const release of releases.splice(0)) release();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

test('a flush covers only callers that came before it began; those arriving meanwhile share the next one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-wal-'));
  try {
    const log = join(dir, 'x.db-wal');
    writeFileSync(log, 'frames');
    const held = heldFlushes();
    const wal = new WalSync(log, held.flush);
    const settled: string[] = [];
    const first = wal.flush().then(() => settled.push('first'));
    assert.ok(await eventually(() => held.begun() === 1), 'the first flush began');
    // Both come while the first flush runs: it may have begun before their commits, so they wait
    // for one more, and share it.
    const second = wal.flush().then(() => settled.push('second'));
    const third = wal.flush().then(() => settled.push('third'));
    await tick();
    assert.equal(held.begun(), 1, 'the next flush waits for the one under way');
    held.releaseNext();
    await first;
    assert.ok(await eventually(() => held.begun() === 2), 'one more flush began after the first');
    assert.deepEqual(settled, ['first'], 'the later callers are not answered by the earlier flush');
    held.releaseNext();
    await Promise.all([second, third]);
    assert.deepEqual(settled, ['first', 'second', 'third']);
    assert.equal(held.begun(), 2, 'one flush answered both');
    await wal.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a failed flush every later flush fails too, until the process starts again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-wal-'));
  try {
    const log = join(dir, 'x.db-wal');
    writeFileSync(log, 'frames');
    let calls = 0;
    const wal = new WalSync(log, async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    await assert.rejects(wal.flush(), /EIO/);
    await assert.rejects(wal.flush(), /EIO/, 'what the kernel kept of the file is unknown now');
    assert.equal(calls, 1, 'no flush is tried again');
    await wal.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on a file database a count is answered only after the log is flushed, and the next batch commits meanwhile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-wal-'));
  const held = heldFlushes();
  let holding = false;
  const store = await openSqliteStore({
    file: join(dir, 'tally.db'),
    // Seeding flushes at once; the counts below are held.
    flushLog: (file) => (holding ? held.flush(file) : file.sync()),
  });
  const t = await startServer({ store, config: { buildPollMs: 60_000 } });
  try {
    const f = await seedIntegration(t.server);
    const world = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
    const integration = await store.getIntegration(f.integrationId);
    assert.ok(integration);
    const input = (accountId: string, unitCount: number) => ({
      integration,
      serviceId: world.skuIds[0] as string,
      account: { accountId },
      unitCount,
      noBuild: false,
      requestId: `r-${unitCount}`,
      idempotency: null,
    });
    const writer = new CountWriter(t.server.ctx, { quietMs: 2000, maxWaitMs: 30000 });
    holding = true;
    const answered: number[] = [];
    const first = writer.submit(input(world.accountIds[0] as string, 5)).then(() => answered.push(5));
    assert.ok(await eventually(() => held.begun() === 1), 'the first batch committed and its flush began');
    assert.equal(answered.length, 0, 'not answered before its flush');
    assert.equal(
      (await store.listCounts(f.integrationId)).find((c) => c.accountId === world.accountIds[0])?.unitCount,
      5,
      'committed already: visible to the next reader',
    );

    const second = writer.submit(input(world.accountIds[1] as string, 7)).then(() => answered.push(7));
    const unitCountOf = async (accountId: string) =>
      (await store.listCounts(f.integrationId)).find((c) => c.accountId === accountId)?.unitCount;
    assert.ok(
      await eventually(async () => (await unitCountOf(world.accountIds[1] as string)) === 7),
      'the next batch committed while the first flush was held',
    );
    assert.equal(held.begun(), 1, "the second batch's flush waits for the first");
    assert.equal(answered.length, 0);
    held.releaseNext();
    await first;
    assert.ok(await eventually(() => held.begun() === 2), "the second batch's flush began");
    assert.deepEqual(answered, [5], 'the second batch waits for a flush begun after its commit');
    held.releaseNext();
    await second;
    assert.deepEqual(answered, [5, 7]);
  } finally {
    holding = false;
    held.releaseAll();
    await t.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
