/**
 * A partner moves from ConnectWise PSA to HaloPSA: the old PSA's pending writes fail, the first full
 * sync of HaloPSA carries the mappings whose company and product it has under the same name, the
 * rest are listed to remap, and a carried card writes to HaloPSA.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CW_CREDENTIALS, FakeConnectWise } from '../fakes/connectwise.js';
import { FakeHalo, HALO_CREDENTIALS } from '../fakes/halo.js';
import { type Fixture, type TestServer } from '../support/harness.js';
import { mapOntoSynced, partnerBoard, startPsaServer, syncNow, writesSettled } from '../support/psa.js';

let t: TestServer;
let f: Fixture;
let cw: FakeConnectWise;
let halo: FakeHalo;
const PERIOD = new Date().toISOString().slice(0, 7);

const { partner } = partnerBoard(() => ({ t, f }), PERIOD);
const cards = async () =>
  (await partner('GET', `/billing?period=${PERIOD}&includeActioned=true`)).body.cards as {
    id: string;
    companyName: string;
    productName: string;
    psaQuantity: number;
    vendorQuantity: number;
    psa: { kind: string } | null;
  }[];

before(async () => {
  cw = await new FakeConnectWise().start();
  halo = await new FakeHalo().start();
  ({ t, f } = await startPsaServer());
});
after(async () => {
  await t.close();
  await cw.stop();
  await halo.stop();
});

test('switching from ConnectWise to HaloPSA keeps the mappings HaloPSA can match by name', async () => {
  // ConnectWise: three customers, one product, mapped and counted.
  const edr = cw.addCatalogItem('EDR', 'Endpoint Protection');
  const contoso = cw.addCompany('Contoso, Inc.');
  const fabrikam = cw.addCompany('Fabrikam');
  const litware = cw.addCompany('Litware');
  for (const company of [contoso, fabrikam, litware]) cw.addAddition(cw.addAgreement(company, 'MSA'), edr, 4);
  assert.equal(
    (await partner('PUT', '/psa/connection', { kind: 'connectwise', site: cw.baseUrl, ...CW_CREDENTIALS }))
      .status,
    200,
  );
  await syncNow(t, f, true);
  await mapOntoSynced(t, f, [
    { companyCwId: contoso.id, itemCwId: edr.id, unitCount: 7 },
    { companyCwId: fabrikam.id, itemCwId: edr.id, unitCount: 5 },
    { companyCwId: litware.id, itemCwId: edr.id, unitCount: 3 },
  ]);
  // A decision whose write is still waiting when the partner switches.
  cw.inject('timeout', { method: 'PATCH', times: 100_000 });
  const before = await cards();
  const litwareCard = before.find((c) => c.companyName === 'Litware');
  assert.ok(litwareCard);
  assert.equal(
    (
      await partner('POST', '/billing/actions', {
        period: PERIOD,
        cardIds: [litwareCard.id],
        action: 'approve',
      })
    ).status,
    200,
  );

  // HaloPSA: Contoso (without "Inc."), two customers called Fabrikam, no Litware.
  const endpoint = halo.addItem('Endpoint protection');
  const haloContoso = halo.addClient('Contoso');
  const fabA = halo.addClient('Fabrikam');
  halo.addClient('FABRIKAM');
  const contosoLine = halo.addLine(halo.addInvoice(haloContoso, 'Managed services'), endpoint, 2);
  halo.addLine(halo.addInvoice(fabA, 'Main'), endpoint, 1);
  const switched = await partner('PUT', '/psa/connection', {
    kind: 'halo',
    site: halo.baseUrl,
    ...HALO_CREDENTIALS,
  });
  assert.equal(switched.status, 200, JSON.stringify(switched.body));
  const failed = (await partner('GET', '/psa/writes?state=failed')).body.writes;
  assert.equal(failed.length, 1);
  assert.match(failed[0].lastError, /switched from ConnectWise PSA to HaloPSA/);

  await syncNow(t, f, true);
  await t.server.scheduler.flush(f.integrationId, 10_000);

  // Contoso and the product moved; Fabrikam (two candidates) and Litware (none) wait to be remapped.
  const remap = (await partner('GET', '/psa/remap')).body.mappings as {
    kind: string;
    itemId: string;
    itemName: string;
    target: { name: string; psa: string };
    candidates: { id: string; name: string }[];
  }[];
  assert.deepEqual(
    remap
      .map((r) => [r.kind, r.itemName, r.target.name, r.target.psa, r.candidates.map((c) => c.name).sort()])
      .sort(),
    [
      ['account', `Account ${fabrikam.id}`, 'Fabrikam', 'connectwise', ['FABRIKAM', 'Fabrikam']],
      ['account', `Account ${litware.id}`, 'Litware', 'connectwise', []],
    ],
  );
  const after = await cards();
  const carried = after.find((c) => c.psa?.kind === 'halo' && c.companyName === 'Contoso');
  assert.ok(carried, JSON.stringify(after));
  assert.equal(carried.productName, 'Endpoint protection');
  assert.equal(carried.psaQuantity, 2);
  assert.equal(carried.vendorQuantity, 7);

  // The carried card writes to HaloPSA.
  const approved = await partner('POST', '/billing/actions', {
    period: PERIOD,
    cardIds: [carried.id],
    action: 'approve',
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  await writesSettled(t, f);
  assert.equal(halo.line(contosoLine.id)?.qty_order, 7);
});
