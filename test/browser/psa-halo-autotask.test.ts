import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HALO_LOCKED_REASON } from '../../src/connectors/halo/connector.js';
import { addPartnerUser } from '../../src/core/users/add-partner-user.js';
import { AT_CREDENTIALS, FakeAutotask } from '../fakes/autotask.js';
import { FakeHalo, HALO_CREDENTIALS } from '../fakes/halo.js';
import { type Fixture, seedIntegration, startServer, type TestServer } from '../support/harness.js';
import { mapOntoSynced, testSecretKey } from '../support/psa.js';
import { browserSkipReason, launchBrowser, openPage, screenshot, signIn } from './support/browser.js';

const USER = { email: 'ada@blue-msp.example', password: 'correct horse battery' };

describe(
  'connecting HaloPSA, then switching to Autotask, from the PSA screen',
  { skip: browserSkipReason() ?? false },
  () => {
    let t: TestServer;
    let f: Fixture;
    let halo: FakeHalo;
    let at: FakeAutotask;
    let browser: Browser;
    let page: Page;
    const h = {} as Record<'contoso' | 'litware' | 'backup' | 'm365' | 'backupLine', { id: number }>;

    before(async () => {
      halo = await new FakeHalo().start();
      h.backup = halo.addItem('Cloud Backup');
      h.m365 = halo.addItem('Microsoft 365');
      h.contoso = halo.addClient('Contoso');
      h.litware = halo.addClient('Litware');
      const msa = halo.addInvoice(h.contoso as never, 'Managed services');
      h.backupLine = halo.addLine(msa, h.backup as never, 4);
      halo.addLine(msa, h.m365 as never, 25, { quantityType: 1 });
      halo.addLine(halo.addInvoice(h.litware as never, 'Main'), h.backup as never, 1);
      at = await new FakeAutotask().start();
      t = await startServer({
        config: { secretKey: testSecretKey(), psaWritePollMs: 50, buildQuietMs: 0, buildMaxWaitMs: 0 },
        psaSleep: async () => {},
      });
      f = await seedIntegration(t.server);
      await addPartnerUser(t.server.ctx, { partnerId: f.partnerId, ...USER, name: 'Ada Lovelace' });
      browser = await launchBrowser();
      page = await openPage(browser, t.baseUrl);
      await signIn(page, USER);
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await halo?.stop();
      await at?.stop();
    });

    test('HaloPSA connects with its own fields and syncs', async () => {
      await page.getByRole('link', { name: 'PSA' }).click();
      await page.getByRole('combobox', { name: /^PSA/ }).selectOption('halo');
      await page.getByLabel('Resource server').fill(halo.baseUrl);
      await page.getByLabel('Client id').fill(HALO_CREDENTIALS.clientId);
      await page.getByLabel('Client secret').fill(HALO_CREDENTIALS.clientSecret);
      await page.getByRole('button', { name: 'Test and connect' }).click();
      await page.getByRole('heading', { name: 'HaloPSA' }).waitFor();
      await page.getByText(`as ${HALO_CREDENTIALS.clientId}`).waitFor();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByText('2 companies, 2 products, 2 agreements, 3 lines').waitFor();
    });

    test('a line HaloPSA computes says why it cannot be approved; another is written to HaloPSA', async () => {
      await mapOntoSynced(
        t,
        f,
        [
          { companyCwId: h.contoso.id, itemCwId: h.m365.id, unitCount: 30 },
          { companyCwId: h.contoso.id, itemCwId: h.backup.id, unitCount: 6 },
          { companyCwId: h.litware.id, itemCwId: h.backup.id, unitCount: 1 },
        ],
        'halo',
      );
      await page.getByRole('link', { name: 'Billing' }).click();
      const locked = page.locator('article.card').filter({ hasText: 'Microsoft 365' });
      await locked.getByText(HALO_LOCKED_REASON).waitFor();
      await locked.getByText('HaloPSA', { exact: true }).waitFor();
      assert.equal(await locked.getByRole('button', { name: /^Approve/ }).isDisabled(), true);
      await screenshot(page, 'psa-halo-locked');

      const backup = page
        .locator('article.card')
        .filter({ hasText: 'Cloud Backup' })
        .filter({ hasText: 'Contoso' });
      await backup.getByRole('button', { name: /^Approve/ }).click();
      await backup.waitFor({ state: 'detached', timeout: 10_000 });
      await t.server.psa.writes.idle();
      for (let i = 0; i < 100 && halo.line(h.backupLine.id)?.qty_order !== 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(halo.line(h.backupLine.id)?.qty_order, 6);
    });

    test('switching to Autotask shows its budget and the mappings left to remap', async () => {
      const edr = at.addService('Cloud Backup', 6, 2);
      at.addContractService(at.addContract(at.addCompany('Contoso'), 'Managed services'), edr, 6);
      await page.getByRole('link', { name: 'PSA' }).click();
      await page.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('combobox', { name: /^PSA/ }).selectOption('autotask');
      await page.getByLabel('API user name').fill(AT_CREDENTIALS.username);
      await page.getByLabel('Secret', { exact: true }).fill(AT_CREDENTIALS.secret);
      await page.getByLabel('Integration code').fill(AT_CREDENTIALS.integrationCode);
      await page.getByLabel('Zone lookup address').fill(at.baseUrl);
      await page.getByRole('button', { name: 'Test and connect' }).click();
      await page.getByRole('heading', { name: 'Datto Autotask' }).waitFor();
      await page.getByRole('button', { name: 'Full sync' }).click();
      await page.locator('[data-sync-state="succeeded"]').waitFor();
      await page.reload();
      const budget = page.locator('.psa-budget');
      await budget.getByText('Within budget').waitFor();
      await budget.getByText(/of 2,000\s+requests in the last hour, at most 2 at once/).waitFor();
      // Contoso and Cloud Backup carried over by name; Autotask has no Litware and no Microsoft 365.
      const remap = page.getByRole('region', { name: 'Mappings to remap' });
      await remap.getByText('Litware').waitFor();
      await remap.getByText('Microsoft 365').waitFor();
      assert.equal(await remap.locator('tbody tr').count(), 2);
      await screenshot(page, 'psa-autotask-budget');
    });
  },
);
