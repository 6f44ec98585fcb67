import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { signIn } from '../../src/core/auth/sign-in.js';
import { systemClock } from '../../src/core/clock.js';
import { MemoryEventBus } from '../../src/core/events/memory-bus.js';
import { randomIds } from '../../src/core/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { json, tally, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
after(cleanup);

test('partner create adds the first user and partner user add another; both can sign in', async () => {
  const env = { TALLY_DB: join(dir, 'users.db') };
  const created = json(
    await tally(
      ['partner', 'create', '--name', 'Blue MSP', '--user-email', 'Owner@Blue.example', '--json'],
      env,
    ),
  );
  assert.match(created.partnerId, /^[0-9a-f]{24}$/);
  assert.equal(created.user.email, 'owner@blue.example');
  assert.equal(created.user.name, 'owner');
  assert.match(created.user.password, /^[A-Za-z0-9_-]{24}$/, 'a generated password is printed once');

  const added = json(
    await tally(
      [
        'partner',
        'user',
        'add',
        '--partner',
        created.partnerId,
        '--email',
        'billing@blue.example',
        '--name',
        'Billing desk',
        '--password',
        'a long passphrase',
        '--json',
      ],
      env,
    ),
  );
  assert.deepEqual(added, { userId: added.userId, email: 'billing@blue.example', name: 'Billing desk' });

  const text = await tally(
    ['partner', 'user', 'add', '--partner', created.partnerId, '--email', 'third@blue.example'],
    env,
  );
  assert.equal(text.code, 0);
  assert.match(text.stdout, /password +[A-Za-z0-9_-]{24}\n/);
  assert.match(text.stdout, /shown only now/);

  const [duplicate, short, unknown, orphanPassword] = await Promise.all([
    tally(['partner', 'user', 'add', '--partner', created.partnerId, '--email', 'BILLING@blue.example'], env),
    tally(
      [
        'partner',
        'user',
        'add',
        '--partner',
        created.partnerId,
        '--email',
        'x@blue.example',
        '--password',
        'short',
      ],
      env,
    ),
    tally(['partner', 'user', 'add', '--partner', 'nope', '--email', 'y@blue.example'], env),
    tally(['partner', 'create', '--name', 'Green MSP', '--password', 'a long passphrase'], env),
  ]);
  assert.notEqual(duplicate.code, 0);
  assert.match(duplicate.stderr, /A user with email billing@blue\.example already exists/);
  assert.match(short.stderr, /password must have at least 10 characters/);
  assert.match(unknown.stderr, /No partner found with id: nope/);
  assert.match(unknown.stderr, /hint: use the partnerId printed by `tally partner create`/);
  assert.match(orphanPassword.stderr, /--password needs --user-email/);

  const store = await openSqliteStore({ file: env.TALLY_DB });
  const ctx = { store, clock: systemClock, ids: randomIds, events: new MemoryEventBus() };
  try {
    const owner = await signIn(ctx, {
      email: 'owner@blue.example',
      password: created.user.password,
      lifetimeMs: 60_000,
    });
    assert.equal(owner.partner.id, created.partnerId);
    const billing = await signIn(ctx, {
      email: 'billing@blue.example',
      password: 'a long passphrase',
      lifetimeMs: 60_000,
    });
    assert.equal(billing.user.name, 'Billing desk');
    await assert.rejects(
      signIn(ctx, { email: 'owner@blue.example', password: 'a long passphrase', lifetimeMs: 60_000 }),
    );
  } finally {
    await store.close();
  }
});
