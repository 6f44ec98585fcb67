import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addPartnerUser } from '../../src/core/users/add-partner-user.js';
import { CW_CREDENTIALS, FakeConnectWise } from '../fakes/connectwise.js';
import { type Fixture, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { mapOntoSynced, testSecretKey } from '../support/psa.js';
import { browserSkipReason, launchBrowser, openPage, screenshot, signIn } from './support/browser.js';

const USER = { email: 'grace@blue-msp.example', password: 'correct horse battery' };

describe('connecting ConnectWise and writing approvals back', { skip: browserSkipReason() ?? false }, () => {
  let t: TestServer;
  let f: Fixture;
  let cw: FakeConnectWise;
  let browser: Browser;
  let page: Page;
  let contoso: { id: number };
  let edr: { id: number };
  let addition: { id: number };
  let fabrikam: { id: number };
  let cloudEdr: { id: number };

  before(async () => {
    cw = await new FakeConnectWise().start();
    edr = cw.addCatalogItem('EDR', 'Endpoint protection');
    contoso = cw.addCompany('Contoso');
    addition = cw.addAddition(cw.addAgreement(contoso as never, 'Managed services'), edr as never, 4);
    const fab = cw.addCompany('Fabrikam');
    fabrikam = fab;
    cw.addAddition(cw.addAgreement(fab, 'Security'), edr as never, 2);
    cloudEdr = cw.addAddition(cw.addAgreement(fab, 'Cloud'), edr as never, 3);
    t = await startServer({
      config: { secretKey: testSecretKey(), psaWritePollMs: 50, buildQuietMs: 0, buildMaxWaitMs: 0 },
      psaSleep: async () => {},
    });
    f = await seedIntegration(t.server);
    await addPartnerUser(t.server.ctx, { partnerId: f.partnerId, ...USER, name: 'Grace Hopper' });
    browser = await launchBrowser();
    page = await openPage(browser, t.baseUrl);
    await signIn(page, USER);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await cw?.stop();
  });

  test('a wrong key is explained; the right credentials connect; Sync now shows what came in', async () => {
    await page.getByRole('link', { name: 'PSA' }).click();
    await page.getByLabel('Site (API address)').fill(cw.baseUrl);
    await page.getByLabel('Company id').fill(CW_CREDENTIALS.companyId);
    await page.getByLabel('Public key').fill(CW_CREDENTIALS.publicKey);
    await page.getByLabel('Private key').fill('wrong');
    await page.getByLabel('Client id').fill(CW_CREDENTIALS.clientId);
    await page.getByRole('button', { name: 'Test and connect' }).click();
    await page.getByRole('status').filter({ hasText: 'The connection test failed' }).waitFor();

    await page.getByLabel('Private key').fill(CW_CREDENTIALS.privateKey);
    await page.getByRole('button', { name: 'Test and connect' }).click();
    await page.getByText(`Connected to ${cw.baseUrl}`).waitFor();
    await page.getByText('Not synced yet.').waitFor();

    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('2 companies, 1 products, 3 agreements, 3 lines').waitFor();
    await page.locator('[data-sync-state="succeeded"]').waitFor();
    await screenshot(page, 'psa-connected');
  });

  test('synced companies carry a ConnectWise badge and cannot be edited or deleted', async () => {
    await page.getByRole('link', { name: 'Ledger' }).click();
    const row = page.locator('tr[data-source="connectwise"]').filter({ hasText: 'Contoso' });
    await row.getByText('ConnectWise PSA', { exact: true }).waitFor();
    await row.getByText('Change it in ConnectWise').waitFor();
    assert.equal(await row.getByRole('button').count(), 0);
  });

  test('an approval ConnectWise refuses shows its reason and a retry, which writes it', async () => {
    await mapOntoSynced(t, f, [{ companyCwId: contoso.id, itemCwId: edr.id, unitCount: 9 }]);
    cw.inject('invalid-object', { method: 'PATCH' });
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('button', { name: 'Approve Contoso' }).first().click();
    const card = page.locator('article.card').filter({ hasText: 'Contoso' });
    await card.getByText('ConnectWise PSA did not take it').waitFor();
    await card
      .getByText('The field billAmount must be between 0 and 99999999.99.', { exact: false })
      .waitFor();
    assert.equal(cw.additions.get(addition.id)?.quantity, 4);

    await card.getByRole('button', { name: 'Retry' }).click();
    // Written, the decided card leaves the list of cards to review.
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(cw.additions.get(addition.id)?.quantity, 9);
    assert.equal(cw.patchesApplied.get(addition.id), 1);
  });

  test('with two ConnectWise lines of the product, the chooser asks which one takes the quantity', async () => {
    await mapOntoSynced(t, f, [{ companyCwId: fabrikam.id, itemCwId: edr.id, unitCount: 8 }]);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('button', { name: 'Approve Fabrikam' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('has 2 active ConnectWise PSA lines').waitFor();
    await dialog.getByRole('radio', { name: /Cloud/ }).check();
    await screenshot(page, 'psa-chooser');
    await dialog.getByRole('button', { name: 'Write it there' }).click();
    const card = page.locator('article.card').filter({ hasText: 'Fabrikam' });
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    // 8 in all: the Security line keeps its 2, the chosen Cloud line takes 6.
    assert.equal(cw.additions.get(cloudEdr.id)?.quantity, 6);
  });
});
