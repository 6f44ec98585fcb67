import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { json, tally, tallyServing, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
after(cleanup);

const get = async (baseUrl: string, path: string, token: string) => {
  const response = await fetch(`${baseUrl}${path}`, { headers: { 'GRADIENT-TOKEN': token } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('tally vendor create --sandbox prints every key of a sandbox connected to its own partner', async () => {
  const db = join(dir, 'vendor-create.db');
  const made = json(
    await tally(['vendor', 'create', '--name', 'Acme Backup CI', '--sandbox', '--json', '--db', db]),
  );
  assert.equal(made.sandbox, true);
  for (const key of ['vendorId', 'vendorKey', 'partnerId', 'partnerToken', 'integrationId', 'partnerKey']) {
    assert.equal(typeof made[key], 'string', key);
  }
  assert.equal(made.gradientToken, Buffer.from(`${made.vendorKey}:${made.partnerKey}`).toString('base64'));
  // It cannot be connected to anybody else.
  const other = json(await tally(['partner', 'create', '--name', 'Real MSP', '--json', '--db', db]));
  const refused = await tally([
    'integration',
    'connect',
    '--vendor',
    made.vendorId,
    '--partner',
    other.partnerId,
    '--db',
    db,
  ]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /sandbox/);

  const help = await tally(['vendor', 'create', '--help']);
  assert.match(help.stdout, /--sandbox/);
});

test('tally sandbox serves a ready sandbox and prints its token; a second run reopens it with new keys', async () => {
  const db = join(dir, 'sandbox.db');
  const help = await tally(['sandbox', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /\$ tally sandbox/);

  const first = json(await tally(['sandbox', '--no-serve', '--json', '--db', db]));
  assert.equal(first.created, true);
  const server = await tallyServing(['sandbox', '--json', '--port', '0', '--db', db]);
  try {
    const summary = server.lines.find((line) => 'gradientToken' in line) as Record<string, string>;
    assert.ok(summary, 'the summary is printed once the port is bound');
    assert.equal(summary.baseUrl, server.baseUrl);
    assert.equal(summary.vendorId, first.vendorId, 'the same sandbox, found by name');
    assert.notEqual(summary.gradientToken, first.gradientToken, 'with new keys');
    assert.equal((await get(server.baseUrl, '/api/vendor-api', first.gradientToken as string)).status, 401);

    const clock = await get(server.baseUrl, '/api/vendor-api/sandbox/clock', summary.gradientToken as string);
    assert.equal(clock.status, 200);
    assert.equal(clock.body.offsetMs, 0);
    const organization = await get(
      server.baseUrl,
      '/api/vendor-api/organization',
      summary.gradientToken as string,
    );
    assert.equal(organization.status, 200);
    assert.equal(organization.body.name, 'Sandbox Vendor (sandbox partner)');
  } finally {
    assert.equal(await server.stop(), 0);
  }
  const withUser = json(
    await tally(['sandbox', '--no-serve', '--json', '--user-email', 'ci@acme.example', '--db', db]),
  );
  assert.equal(withUser.partnerEmail, 'ci@acme.example');
  assert.ok(String(withUser.partnerPassword).length >= 10, 'a generated password, shown once');
  const text = await tally(['sandbox', '--no-serve', '--reset', '--db', db]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /GRADIENT-TOKEN/);
  assert.match(text.stderr, /emptied it/);
});
