import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_CREDENTIALS, FakeAutotask } from '../fakes/autotask.js';
import { CW_CREDENTIALS, FakeConnectWise } from '../fakes/connectwise.js';
import { FakeHalo, HALO_CREDENTIALS } from '../fakes/halo.js';
import { json, tally, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
let cw: FakeConnectWise;
before(async () => {
  cw = await new FakeConnectWise().start();
  const company = cw.addCompany('Contoso');
  cw.addAddition(cw.addAgreement(company, 'MSA'), cw.addCatalogItem('EDR', 'Endpoint protection'), 4);
});
after(async () => {
  await cw.stop();
  cleanup();
});

test('psa connect, sync and status; the embedded default generates a private key file', async () => {
  const env = { TALLY_DB: join(dir, 'psa.db') };
  const partner = json(await tally(['partner', 'create', '--name', 'Blue MSP', '--json'], env));
  const flags = (privateKey: string) => [
    '--partner',
    partner.partnerId,
    '--site',
    cw.baseUrl,
    '--company-id',
    CW_CREDENTIALS.companyId,
    '--public-key',
    CW_CREDENTIALS.publicKey,
    '--private-key',
    privateKey,
    '--client-id',
    CW_CREDENTIALS.clientId,
  ];
  const refused = await tally(['psa', 'connect', 'connectwise', ...flags('wrong')], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error: The connection test failed: ConnectWise answered 401/);

  const connected = await tally(
    ['psa', 'connect', 'connectwise', ...flags(CW_CREDENTIALS.privateKey), '--json'],
    env,
  );
  assert.equal(connected.code, 0, connected.stderr);
  assert.deepEqual(json(connected), {
    kind: 'connectwise',
    site: cw.baseUrl,
    account: CW_CREDENTIALS.companyId,
    settings: { clientId: CW_CREDENTIALS.clientId, codebase: 'v2026_1/' },
    lastSync: null,
  });
  assert.match(connected.stderr, /secret\.key to seal PSA credentials; back it up/);
  const keyFile = join(dir, 'secret.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
  assert.ok(!connected.stdout.includes(CW_CREDENTIALS.privateKey));

  const synced = json(await tally(['psa', 'sync', '--partner', partner.partnerId, '--json'], env));
  assert.equal(synced.state, 'succeeded');
  assert.equal(synced.full, true, 'the first sync is full');
  assert.deepEqual(synced.counts, { companies: 1, products: 1, agreements: 1, lines: 1 });

  const status = json(await tally(['psa', 'status', '--partner', partner.partnerId, '--json'], env));
  assert.equal(status.lastSync.id, synced.id);
  assert.deepEqual(status.writes, { pending: 0, failed: 0 });
  const text = await tally(['psa', 'status', '--partner', partner.partnerId], env);
  assert.match(text.stdout, /last sync +succeeded, full/);

  const shown = json(await tally(['config', 'show', '--json'], { ...env, TALLY_SECRET_KEY: 'abc' }));
  assert.ok(!JSON.stringify(shown).includes('"abc"'), 'config show redacts the secret key');
});

test('psa connect halo and autotask take their own flags; status names the PSA connected', async () => {
  const halo = await new FakeHalo().start();
  const at = await new FakeAutotask().start();
  try {
    halo.addLine(halo.addInvoice(halo.addClient('Contoso'), 'MSA'), halo.addItem('Cloud Backup'), 3);
    at.addContractService(
      at.addContract(at.addCompany('Contoso'), 'MSA'),
      at.addService('Cloud Backup', 6, 2),
      3,
    );
    const env = { TALLY_DB: join(dir, 'psa-switch.db') };
    const partner = json(await tally(['partner', 'create', '--name', 'Green MSP', '--json'], env));
    const haloConnected = await tally(
      [
        'psa',
        'connect',
        'halo',
        '--partner',
        partner.partnerId,
        '--site',
        halo.baseUrl,
        '--client-id',
        HALO_CREDENTIALS.clientId,
        '--client-secret',
        HALO_CREDENTIALS.clientSecret,
        '--json',
      ],
      env,
    );
    assert.equal(haloConnected.code, 0, haloConnected.stderr);
    assert.deepEqual(json(haloConnected).settings, { authUrl: `${halo.baseUrl}/auth` });
    const haloSync = json(await tally(['psa', 'sync', '--partner', partner.partnerId, '--json'], env));
    assert.deepEqual(haloSync.counts, { companies: 1, products: 1, agreements: 1, lines: 1 });

    const badShare = await tally(
      ['psa', 'connect', 'autotask', '--partner', partner.partnerId, '--username', 'u', '--secret', 's'],
      env,
    );
    assert.notEqual(badShare.code, 0, 'a required flag is missing');
    assert.match(badShare.stderr, /--integration-code/);
    const atConnected = await tally(
      [
        'psa',
        'connect',
        'autotask',
        '--partner',
        partner.partnerId,
        '--username',
        AT_CREDENTIALS.username,
        '--secret',
        AT_CREDENTIALS.secret,
        '--integration-code',
        AT_CREDENTIALS.integrationCode,
        '--site',
        at.baseUrl,
        '--requests-per-hour',
        '500',
      ],
      env,
    );
    assert.equal(atConnected.code, 0, atConnected.stderr);
    assert.match(atConnected.stdout, /Connected partner .* to Datto Autotask/);
    assert.match(atConnected.stdout, /requestsPerHour +500/);
    const status = await tally(['psa', 'status', '--partner', partner.partnerId], env);
    assert.match(status.stdout, /^Datto Autotask at /m);
  } finally {
    await halo.stop();
    await at.stop();
  }
});
