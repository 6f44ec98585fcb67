import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage, screenshot } from './support/browser.js';
import { type PartnerWorld, partnerWorld, USER } from './support/partner-world.js';

/** A PSA's product export; its headers are not Tally's field names, so the columns must be mapped. */
const csv = (price: string) =>
  ['Item,List price,Our cost', 'Cloud Backup 1TB,12.50,7.25', `Endpoint Shield,${price},4`, ''].join('\r\n');

describe('the ledger import', { skip: browserSkipReason() ?? false }, () => {
  let w: PartnerWorld;
  let browser: Browser;
  let page: Page;

  const productNames = async () =>
    (await w.partner('GET', '/psa/products')).body.map((p: { name: string }) => p.name).sort();

  before(async () => {
    [w, browser] = await Promise.all([partnerWorld(), launchBrowser()]);
    page = await openPage(browser, w.t.baseUrl);
    assert.equal((await page.request.post('/api/partner/session', { data: USER })).status(), 200);
    await page.goto('/#/ledger/import');
    await page.getByRole('heading', { name: 'PSA ledger' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await w?.t.close();
  });

  const choose = async (body: string) => {
    await page.getByRole('combobox', { name: 'Import', exact: true }).selectOption({ label: 'Products' });
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });
    await page.getByLabel('Product name (required)').selectOption('Item');
    await page.getByLabel('Unit price').selectOption('List price');
    await page.getByLabel('Unit cost').selectOption('Our cost');
    await page.getByRole('button', { name: 'Preview' }).click();
  };

  test('a file with a bad row shows that row and its reason, and imports nothing', async () => {
    const before = await productNames();
    await choose(csv('twelve'));
    const errors = page.getByRole('table', { name: 'Rows with errors' });
    const row = errors.getByRole('row').nth(1);
    await row.waitFor();
    assert.equal(await row.getByRole('cell').first().textContent(), '3');
    assert.match((await row.getByRole('cell').nth(1).textContent()) ?? '', /price/i);
    await page.getByText('Nothing will be imported while any row is bad').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Import \d/ }).count(), 0);
    await screenshot(page, 'import-preview');
    assert.deepEqual(await productNames(), before);
  });

  test('the corrected file imports every row', async () => {
    await choose(csv('9.90'));
    await page.getByText('2 valid').waitFor();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByRole('status').getByText('Imported 2 products.').waitFor();
    const products = (await w.partner('GET', '/psa/products')).body;
    const shield = products.find((p: { name: string }) => p.name === 'Endpoint Shield');
    assert.deepEqual([shield.unitPrice, shield.unitCost], [9.9, 4]);
  });
});
