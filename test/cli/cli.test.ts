import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { DEMO_COMPANIES, DEMO_LINES, DEMO_VENDORS, type DemoVendor } from '../../src/cli/demo/catalog.js';
import { openSqliteStore } from '../../src/storage/sqlite/open.js';
import { type CliJson, json, tally, tallyServing, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
after(cleanup);

/** GET /api/vendor-api with a GRADIENT-TOKEN; the status says whether the token works. */
const getVendor = async (baseUrl: string, token: string) => {
  const response = await fetch(`${baseUrl}/api/vendor-api`, { headers: { 'GRADIENT-TOKEN': token } });
  return {
    status: response.status,
    body: (await response.json()) as { data?: { id: string; name: string } },
  };
};

const postCount = async (baseUrl: string, token: string, serviceId: string, body: object) => {
  const response = await fetch(`${baseUrl}/api/vendor-api/service/${serviceId}/count`, {
    method: 'POST',
    headers: { 'GRADIENT-TOKEN': token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { message: string } };
};

/** Every command in the tree, with its full name ("vendor create"). */
const everyCommand = (command: Command, prefix = ''): { name: string; command: Command }[] => {
  const name = `${prefix} ${command.name()}`.trim();
  return [{ name, command }, ...command.commands.flatMap((sub) => everyCommand(sub, name))];
};

/** The full --help text of a command, including the examples added after it. */
const helpOf = (command: Command): string => {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
};

test('every command has a description and an example in its --help', () => {
  const commands = everyCommand(buildProgram()).filter(({ name }) => !name.endsWith(' help'));
  assert.ok(commands.length >= 12, `found ${commands.map((c) => c.name).join(', ')}`);
  for (const { name, command } of commands) {
    assert.ok(command.description().length > 10, `${name} has a description`);
    assert.match(
      helpOf(command),
      /Examples?:\n {2}\$ tally|Examples?:\n {2}\$ npx tally/,
      `${name} has an example`,
    );
  }
});

test('--help exits 0 from the real CLI', async () => {
  const [top, leaf] = await Promise.all([tally(['--help']), tally(['serve', '--help'])]);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /self-hosted vendor usage sync/);
  assert.equal(leaf.code, 0);
  assert.match(leaf.stdout, /--port <port>.*env PORT, default 8080/s);
});

test('vendor, partner and integration commands print keys that work against the server', async () => {
  const db = join(dir, 'keys.db');
  const env = { TALLY_DB: db };
  // The first command creates the schema; the rest may then run side by side.
  const recipeVendor = json(await tally(['vendor', 'create', '--name', 'Acme Backup', '--json'], env));
  const [vendor, partner, migrated] = (
    await Promise.all([
      tally(['vendor', 'create', '--name', 'Globex Security', '--description', 'EDR', '--json'], env),
      tally(['partner', 'create', '--name', 'Blue MSP', '--json'], env),
      tally(['migrate', '--json'], env),
    ])
  ).map(json) as CliJson[];
  assert.deepEqual(migrated?.applied, [], 'the schema is already current');
  assert.match(vendor?.vendorId, /^[0-9a-f]{24}$/);
  assert.match(vendor?.vendorKey, /^tvk_/);
  assert.match(partner?.partnerToken, /^tpt_/);
  const connect = (vendorId: string, ...extra: string[]) =>
    tally(['integration', 'connect', '--vendor', vendorId, '--partner', partner?.partnerId, ...extra], env);

  const [recipe, wrongKey, withKey] = await Promise.all([
    connect(recipeVendor.vendorId),
    connect(vendor?.vendorId, '--vendor-key', recipeVendor.vendorKey),
    connect(vendor?.vendorId, '--vendor-key', vendor?.vendorKey, '--json'),
  ]);
  // Without the vendor key: the partner key and the recipe, which must yield a working token.
  assert.equal(recipe.code, 0, recipe.stderr);
  const partnerKey = /partnerKey\s+(tpk_\S+)/.exec(recipe.stdout)?.[1];
  assert.ok(partnerKey, recipe.stdout);
  assert.match(recipe.stdout, new RegExp(`base64\\("<vendorKey>:${partnerKey}"\\)`));
  const recipeToken = Buffer.from(`${recipeVendor.vendorKey}:${partnerKey}`).toString('base64');
  assert.notEqual(wrongKey.code, 0);
  assert.match(wrongKey.stderr, /--vendor-key is not the API key of vendor/);
  const connected = json(withKey);
  assert.match(connected.partnerKey, /^tpk_/);
  assert.equal(
    connected.gradientToken,
    Buffer.from(`${vendor?.vendorKey}:${connected.partnerKey}`).toString('base64'),
  );

  const [again, server] = await Promise.all([
    connect(recipeVendor.vendorId),
    tallyServing(['serve', '--port', '0', '--db', db]),
  ]);
  try {
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already connected/);
    const [globex, acme] = await Promise.all([
      getVendor(server.baseUrl, connected.gradientToken),
      getVendor(server.baseUrl, recipeToken),
    ]);
    assert.equal(globex.status, 200);
    assert.equal(globex.body.data?.name, 'Globex Security');
    assert.equal(acme.status, 200);
    assert.equal(acme.body.data?.name, 'Acme Backup');
    const psa = await fetch(`${server.baseUrl}/api/partner/psa/companies`, {
      headers: { authorization: `Bearer ${partner?.partnerToken}` },
    });
    assert.equal(psa.status, 200, 'the partner token is accepted');
  } finally {
    assert.equal(await server.stop(), 0, 'SIGTERM shuts the server down cleanly');
  }
});

test('the demo is idempotent, reissues its keys, and serves what it prints', async () => {
  const db = join(dir, 'fresh', 'folder', 'demo.db');
  const env = { TALLY_DB: db };
  const first = json(await tally(['demo', '--json'], env));
  assert.ok(existsSync(db), 'the database folder is created');
  for (const key of [
    'vendorKey',
    'partnerKey',
    'gradientToken',
    'partnerToken',
    'integrationId',
    'serviceId',
  ]) {
    assert.ok(first[key], `demo --json has ${key}`);
  }
  assert.equal(first.accountId, '1001');
  assert.equal(first.baseUrl, 'http://127.0.0.1:8080');
  assert.equal(first.partnerEmail, 'demo@contoso.example');
  assert.match(first.partnerPassword, /^[A-Za-z0-9_-]{24}$/);
  assert.deepEqual(
    first.vendors.map((v: { name: string }) => v.name),
    DEMO_VENDORS.map((v) => v.name),
  );

  const server = await tallyServing(['demo', '--serve', '--json', '--port', '0'], env);
  try {
    const second = server.lines.find((line) => 'gradientToken' in line) as Record<string, string>;
    assert.ok(second, 'demo --serve --json prints the summary');
    for (const key of ['vendorId', 'partnerId', 'integrationId', 'serviceId', 'accountId']) {
      assert.equal(second[key], first[key], `${key} is stable across runs`);
    }
    assert.notEqual(second.gradientToken, first.gradientToken, 'keys are reissued');
    assert.equal(second.baseUrl, server.baseUrl);

    assert.equal((await getVendor(server.baseUrl, first.gradientToken)).status, 401, 'old token retired');
    const got = await getVendor(server.baseUrl, second.gradientToken as string);
    assert.equal(got.status, 200);
    assert.equal(got.body.data?.name, 'Northwind Backup');

    const count = await postCount(
      server.baseUrl,
      second.gradientToken as string,
      second.serviceId as string,
      {
        accountId: second.accountId,
        unitCount: 50,
      },
    );
    assert.equal(count.status, 201, count.body.message);
    const unmapped = await postCount(
      server.baseUrl,
      second.gradientToken as string,
      second.serviceId as string,
      {
        accountId: second.unmappedAccountId,
        unitCount: 5,
      },
    );
    assert.equal(unmapped.status, 404);
    assert.equal(unmapped.body.message, 'No account map found with id: 1004');

    assert.notEqual(second.partnerPassword, first.partnerPassword, 'the demo password is reset');
    const signIn = (password: string) =>
      fetch(`${server.baseUrl}/api/partner/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: second.partnerEmail, password }),
      });
    assert.equal((await signIn(first.partnerPassword as string)).status, 401, 'old password retired');
    const signedIn = await signIn(second.partnerPassword as string);
    assert.equal(signedIn.status, 200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // The seeded counts are built after the debounce, a moment after start-up.
    const states = async () => {
      const board = await fetch(`${server.baseUrl}/api/partner/billing`, { headers: { cookie } });
      return new Set(((await board.json()) as { cards: { state: string }[] }).cards.map((c) => c.state));
    };
    let seen = await states();
    for (let tries = 0; seen.size < 3 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await states();
    }
    assert.deepEqual(
      [...seen].sort(),
      ['new_revenue', 'no_change', 'reconcile'],
      'the demo board has every state',
    );
  } finally {
    assert.equal(await server.stop(), 0);
  }

  const store = await openSqliteStore({ file: db });
  try {
    assert.equal((await store.listVendors()).filter((v) => v.name === 'Northwind Backup').length, 1);
    assert.equal((await store.listPartners()).filter((p) => p.name === 'Contoso IT').length, 1);
    const [northwind] = DEMO_VENDORS as [DemoVendor];
    const accepted = northwind.counts.filter(
      (c) =>
        northwind.accounts.find((a) => a.id === c.accountId)?.company &&
        northwind.services.find((s) => s.key === c.serviceKey)?.product,
    ).length;
    assert.equal((await store.listSkus(first.vendorId)).length, northwind.services.length);
    assert.equal((await store.listAccounts(first.integrationId)).length, northwind.accounts.length);
    assert.equal((await store.listCounts(first.integrationId)).length, accepted);
    const history = await store.listHistory(first.integrationId, { limit: 1000 });
    assert.equal(history.length, accepted + 1, 'the demo counts once, plus the one the test sent');
    assert.equal((await store.listCompanies(first.partnerId, {})).total, DEMO_COMPANIES.length);
    const lines = await store.listAgreementLines(first.partnerId, {});
    assert.equal(lines.length, DEMO_LINES.length, 'agreement lines are seeded once');
  } finally {
    await store.close();
  }
});

test('bad input exits non-zero and says what to do', async () => {
  const env = { TALLY_DB: join(dir, 'bad.db') };
  const [noName, emptyName, unknownVendor, badPort, badEnv] = await Promise.all([
    tally(['vendor', 'create'], env),
    tally(['partner', 'create', '--name', '  '], env),
    tally(['integration', 'connect', '--vendor', '0123456789abcdef01234567', '--partner', 'x'], env),
    tally(['serve', '--port', 'eighty'], env),
    tally(['migrate'], { ...env, TALLY_BUILD_QUIET_MS: '-5' }),
  ]);
  assert.notEqual(noName.code, 0);
  assert.match(noName.stderr, /required option '--name <name>'/);
  assert.match(noName.stderr, /--help/);
  assert.notEqual(emptyName.code, 0);
  assert.match(emptyName.stderr, /--name must not be empty/);
  assert.notEqual(unknownVendor.code, 0);
  assert.match(unknownVendor.stderr, /No vendor found with id: 0123456789abcdef01234567/);
  assert.match(unknownVendor.stderr, /hint: use the ids printed by `tally vendor create`/);
  assert.notEqual(badPort.code, 0);
  assert.match(badPort.stderr, /--port <port>.*Expected a whole number/);
  assert.notEqual(badEnv.code, 0);
  assert.match(badEnv.stderr, /buildQuietMs \(TALLY_BUILD_QUIET_MS\)/);
  assert.match(badEnv.stderr, /tally config show/);
});

test('config show names each value’s source and hides secrets', async () => {
  const shown = json(
    await tally(['config', 'show', '--json', '--port', '9001'], {
      TALLY_BUILD_QUIET_MS: '750',
      DATABASE_URL: 'postgres://tally:s3cret@db.example:5432/tally',
      TALLY_ADMIN_TOKEN: 'an-admin-token-of-some-length',
    }),
  );
  assert.deepEqual(shown.port, { value: 9001, source: 'flag', env: 'PORT' });
  assert.deepEqual(shown.buildQuietMs, { value: 750, source: 'env', env: 'TALLY_BUILD_QUIET_MS' });
  assert.equal(shown.buildMaxWaitMs.source, 'default');
  assert.equal(shown.databaseUrl.value, 'postgres://tally:***@db.example:5432/tally');
  assert.equal(shown.adminToken.value, '***');
});
