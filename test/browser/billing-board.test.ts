import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { sendCount } from '../support/world.js';
import { browserSkipReason, launchBrowser, openPage, screenshot } from './support/browser.js';
import { firstOfMonthFromNow, type PartnerWorld, partnerWorld, USER } from './support/partner-world.js';

describe('the billing board', { skip: browserSkipReason() ?? false }, () => {
  let w: PartnerWorld;
  let browser: Browser;
  let page: Page;

  const card = (company: string): Locator => page.getByRole('article', { name: company });
  const billing = async (query = '') => (await w.partner('GET', `/billing${query}`)).body;
  const cardOf = async (company: string, query = '') => {
    const view = await billing(query);
    return view.cards.find((c: { companyName: string }) => c.companyName === company);
  };

  before(async () => {
    [w, browser] = await Promise.all([partnerWorld(), launchBrowser()]);
    page = await openPage(browser, w.t.baseUrl);
    // Signing in through the API gives the page its cookie; the sign-in screen has its own test.
    const signIn = await page.request.post('/api/partner/session', { data: USER });
    assert.equal(signIn.status(), 200);
    await page.goto('/');
    await page.getByRole('heading', { name: /^Billing/ }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await w?.t.close();
  });

  test('shows the totals and the cards grouped by what they need', async () => {
    const view = await billing();
    const totals = page.locator('.totals');
    await totals.getByText(String(view.totals.linesToReview), { exact: true }).waitFor();
    await page
      .getByRole('region', { name: 'New revenue' })
      .getByRole('article', { name: 'Customer 0' })
      .waitFor();
    await page
      .getByRole('region', { name: 'Reconcile' })
      .getByRole('article', { name: 'Customer 1' })
      .waitFor();
    const figures = card('Customer 1').locator('.figures');
    assert.deepEqual(await figures.locator('dd').allTextContents(), ['5', '7', '+2']);
    // The chart is drawn from the card's history once it is on screen.
    await card('Customer 1')
      .getByRole('img', { name: /Vendor quantity over the last 1 change/ })
      .waitFor();
    await screenshot(page, 'billing-board');
  });

  test('the list view groups, sorts and keeps the actions', async () => {
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByLabel('Group by').selectOption({ label: 'Vendor' });
    const table = page.getByRole('table');
    await table.getByRole('rowgroup').filter({ hasText: 'Acme Backup' }).first().waitFor();
    await table.getByRole('button', { name: /Difference/ }).click();
    await screenshot(page, 'billing-list');
    assert.equal(
      await table.getByRole('columnheader', { name: /Difference/ }).getAttribute('aria-sort'),
      'descending',
    );
    await page.getByRole('button', { name: 'Cards' }).click();
  });

  test('a count sent to the vendor API appears on the open page without a reload', async () => {
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const response = await sendCount(
      w.t.baseUrl,
      w.f,
      w.world.skuIds[0] as string,
      w.world.accountIds[0] as string,
      15,
    );
    assert.equal(response.status, 201);
    // No flush: the build runs after the 200 ms quiet window and its event reaches the page.
    await card('Customer 0').locator('.figures dd').nth(1).getByText('15', { exact: true }).waitFor();
    await page.locator('.live .updated').waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );
  });

  test('the CSV export holds the lines the filter shows', async () => {
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('Customer 3');
    await card('Customer 0').waitFor({ state: 'detached' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 2, csv);
    assert.match(lines[1] as string, /Customer 3/);
    assert.match(lines[1] as string, /Product 0/);
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('');
  });

  test('approving with an effective date writes the vendor quantity to the ledger', async () => {
    const effectiveDate = firstOfMonthFromNow(2);
    const date = page.getByLabel('Effective date', { exact: true });
    assert.equal(await date.inputValue(), firstOfMonthFromNow(1), 'the default is the 1st of next month');
    await date.fill(effectiveDate);
    await card('Customer 1').getByRole('button', { name: 'Approve Customer 1 Product 0' }).click();
    await card('Customer 1').waitFor({ state: 'detached' });

    const companyId = w.world.companyIds[1] as string;
    const lines = await w.partner('GET', `/psa/agreement-lines?companyId=${companyId}`);
    assert.deepEqual(
      lines.body.map((l: { quantity: number }) => l.quantity),
      [7],
    );
    const actioned = await cardOf('Customer 1', '?includeActioned=true');
    assert.equal(actioned.action.action, 'approve');
    assert.equal(actioned.action.effectiveDate, effectiveDate);
  });

  test('bulk dismiss takes the selected cards off the board and leaves the ledger alone', async () => {
    const before = await w.partner('GET', '/psa/agreement-lines');
    await card('Customer 3').getByRole('checkbox', { name: 'Select Customer 3 Product 0' }).check();
    await card('Customer 4').getByRole('checkbox', { name: 'Select Customer 4 Product 0' }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Dismiss selected' }).click();
    // A bulk action asks first.
    const dialog = page.getByRole('dialog', { name: 'Dismiss 2 lines?' });
    await dialog.getByRole('button', { name: 'Dismiss 2 lines' }).click();
    await card('Customer 3').waitFor({ state: 'detached' });
    await card('Customer 4').waitFor({ state: 'detached' });

    for (const company of ['Customer 3', 'Customer 4']) {
      assert.equal((await cardOf(company)) ?? null, null, `${company} left the default view`);
      assert.equal((await cardOf(company, '?includeActioned=true')).action.action, 'dismiss');
    }
    assert.deepEqual((await w.partner('GET', '/psa/agreement-lines')).body, before.body);
  });

  test('adjusting writes the typed quantity to the ledger', async () => {
    await card('Customer 0').getByRole('button', { name: 'Adjust Customer 0 Product 0' }).click();
    await page.getByLabel('New PSA quantity for Customer 0 Product 0').fill('12');
    await card('Customer 0').getByRole('button', { name: 'Save' }).click();
    await card('Customer 0').waitFor({ state: 'detached' });
    const companyId = w.world.companyIds[0] as string;
    const lines = await w.partner('GET', `/psa/agreement-lines?companyId=${companyId}`);
    assert.deepEqual(
      lines.body.map((l: { quantity: number }) => l.quantity),
      [12],
    );
  });
});
