import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { createAccounts } from '../../src/core/accounts/create-items.js';
import { gradientToken } from '../../src/core/auth/keys.js';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { createService } from '../../src/core/vendors/services.js';
import { sendCount } from '../support/world.js';
import { browserSkipReason, launchBrowser, openPage, screenshot } from './support/browser.js';
import {
  flush,
  OTHER_VENDOR,
  type PartnerWorld,
  partnerWorld,
  UNMAPPED,
  USER,
} from './support/partner-world.js';

const SECOND_VENDOR = 'Second Shield';

describe('month-end on the billing board', { skip: browserSkipReason() ?? false }, () => {
  let w: PartnerWorld;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  const card = (company: string): Locator => page.getByRole('article', { name: company });
  const linesOf = async (company: string) => {
    const companies = (await w.partner('GET', '/psa/companies')).body as { id: string; name: string }[];
    const id = companies.find((c) => c.name === company)?.id;
    const lines = await w.partner('GET', `/psa/agreement-lines?companyId=${id}`);
    return (lines.body as { quantity: number; productId: string }[]).filter(
      (l) => l.productId === w.world.productIds[0],
    );
  };
  const billed = async (company: string) => (await linesOf(company)).reduce((s, l) => s + l.quantity, 0);

  before(async () => {
    [w, browser] = await Promise.all([partnerWorld(), launchBrowser()]);
    // Labour is billed but no vendor reports it; Harbor Dental is billed 2 seats of the vendor's
    // product but its account is not mapped yet, so the vendor reports 0 for it.
    const labour = await w.partner('POST', '/psa/products', { name: 'Labour (hour)', unitPrice: '90' });
    const companies = (await w.partner('GET', '/psa/companies')).body as { id: string; name: string }[];
    const companyId = (name: string) => companies.find((c) => c.name === name)?.id as string;
    for (const [company, productId, quantity] of [
      ['Customer 2', labour.body.id as string, 10],
      [UNMAPPED.name, w.world.productIds[0] as string, 2],
    ] as const) {
      const agreement = await w.partner('POST', '/psa/agreements', {
        name: 'Extras',
        companyId: companyId(company),
      });
      await w.partner('POST', '/psa/agreement-lines', {
        agreementId: agreement.body.id,
        productId,
        quantity,
      });
    }
    // A second vendor reports 1 more unit of the same product for Customer 2: a card with two sources.
    const ctx = w.t.server.ctx;
    const { vendor, vendorKey } = await createVendor(ctx, { name: SECOND_VENDOR });
    const { integration, partnerKey } = await connectIntegration(ctx, {
      vendorId: vendor.id,
      partnerId: w.f.partnerId,
    });
    const sku = await createService(ctx, vendor, {
      name: 'Mail Shield',
      description: '',
      category: 'security',
      subcategory: 'email',
    });
    await createAccounts(ctx, integration, [
      { id: 'c2', name: 'Customer 2', description: '', isArrears: false },
    ]);
    const nowMs = ctx.clock.nowMs();
    for (const [kind, itemId, targetId] of [
      ['account', 'c2', companyId('Customer 2')],
      ['service', sku.id, w.world.productIds[0] as string],
    ] as const) {
      await ctx.store.putMapping({
        integrationId: integration.id,
        kind,
        itemId,
        targetId,
        excluded: false,
        updatedAtMs: nowMs,
      });
    }
    // Two vendor accounts whose names are near, not equal, to PSA companies.
    const first = await ctx.store.getIntegration(w.f.integrationId);
    assert.ok(first);
    await createAccounts(ctx, first, [
      { id: 'n1', name: 'CUSTOMER 1, INC.', description: '', isArrears: false },
      { id: 'n4', name: 'Custmer 4', description: '', isArrears: false },
    ]);
    const second = { ...w.f, token: gradientToken(vendorKey, partnerKey), integrationId: integration.id };
    assert.equal((await sendCount(w.t.baseUrl, second, sku.id, 'c2', 1)).status, 201);
    await flush(w.t, second);
    page = await openPage(browser, w.t.baseUrl);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await w?.t.close();
  });

  test('the first page load logs no console error while nobody is signed in', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor();
    assert.deepEqual(consoleErrors, []);
    const signIn = await page.request.post('/api/partner/session', { data: USER });
    assert.equal(signIn.status(), 200);
    await page.goto('/');
    await page.getByRole('heading', { name: /^Billing/ }).waitFor();
  });

  test('no card for what no vendor reports; "vendor reports 0" where a vendor maps the product', async () => {
    await card('Customer 0').waitFor();
    assert.equal(await page.getByText('Labour (hour)').count(), 0, 'labour is not reconciled');
    const heldBack = page.getByRole('list', { name: 'Not on the board' });
    await heldBack.getByText(/1 line of the ledger bill products no vendor reports/).waitFor();
    await card(UNMAPPED.name).getByText('Vendor reports 0').waitFor();
    assert.equal(await card('Customer 0').getByText('Vendor reports 0').count(), 0);
  });

  test('the header money is the sum of the cards, and units held back link to Mapping', async () => {
    const view = (await w.partner('GET', '/billing')).body;
    // Under-billed: Customer 0 (+10), 1 (+2), 2 (+1), 3 (+3), 4 (+3) at 5.00; over-billed: Harbor Dental (−2).
    assert.deepEqual([view.totals.revenueFound, view.totals.overBilled, view.totals.net], [95, 10, 85]);
    await page.locator('[data-total="under"]').getByText('+$95.00').waitFor();
    await page.locator('[data-total="over"]').getByText('$10.00').waitFor();
    await page.locator('[data-total="net"]').getByText('+$85.00').waitFor();
    const heldBack = page.getByRole('list', { name: 'Not on the board' });
    await heldBack.getByText(`${UNMAPPED.count} units`).waitFor();
    assert.equal(await heldBack.getByRole('link', { name: 'Map them' }).getAttribute('href'), '#/mapping');
    await screenshot(page, 'month-end-header');
  });

  test('setting a line to 0 asks first, with the effect; Cancel leaves it alone', async () => {
    const harbor = card(UNMAPPED.name);
    await harbor.getByRole('button', { name: `Approve ${UNMAPPED.name} Product 0` }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 1 line?' });
    await dialog.locator('[data-effect="down"]').getByText('$10.00').waitFor();
    await dialog.locator('[data-effect="zero"]').getByText('1 line').waitFor();
    await dialog
      .locator('[data-effect="date"]')
      .getByText(/^\d{4}-\d{2}-01$/)
      .waitFor();
    await screenshot(page, 'month-end-confirm-zero');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await billed(UNMAPPED.name), 2, 'cancel writes nothing');

    // Adjust to 0 asks too, one line at a time.
    await card('Customer 1').getByRole('button', { name: 'Adjust Customer 1 Product 0' }).click();
    await page.getByLabel('New PSA quantity for Customer 1 Product 0').fill('0');
    await card('Customer 1').getByRole('button', { name: 'Save' }).click();
    const adjust = page.getByRole('dialog', { name: 'Adjust 1 line?' });
    await adjust.locator('[data-effect="zero"]').getByText('1 line').waitFor();
    await adjust.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await billed('Customer 1'), 5);
  });

  test('Escape cancels Adjust and gives focus back to its button', async () => {
    const c1 = card('Customer 1');
    if ((await c1.getByRole('button', { name: 'Save' }).count()) === 0) {
      await c1.getByRole('button', { name: 'Adjust Customer 1 Product 0' }).click();
    }
    await page.getByLabel('New PSA quantity for Customer 1 Product 0').press('Escape');
    await c1.getByRole('button', { name: 'Save' }).waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Adjust Customer 1 Product 0',
    );
  });

  test('a bulk approve shows lines, money up and down, zeros and the date before it writes', async () => {
    await card('Customer 3').getByRole('checkbox', { name: 'Select Customer 3 Product 0' }).check();
    await card('Customer 4').getByRole('checkbox', { name: 'Select Customer 4 Product 0' }).check();
    await page.getByRole('button', { name: 'Approve selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 2 lines?' });
    await dialog.locator('[data-effect="up"]').getByText('$30.00').waitFor();
    await dialog.locator('[data-effect="up"]').getByText('2 lines').waitFor();
    await dialog.locator('[data-effect="down"]').getByText('0 lines').waitFor();
    await dialog.locator('[data-effect="zero"]').getByText('0 lines').waitFor();
    await screenshot(page, 'month-end-confirm-bulk');
    await dialog.getByRole('button', { name: 'Approve 2 lines' }).click();
    await card('Customer 3').waitFor({ state: 'detached' });
    assert.deepEqual([await billed('Customer 3'), await billed('Customer 4')], [12, 3]);
  });

  test('after approving one card, focus moves to the next card', async () => {
    await card('Customer 0').getByRole('button', { name: 'Approve Customer 0 Product 0' }).click();
    await card('Customer 0').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.tagName === 'ARTICLE');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    assert.match(focused, /Customer 1/);
  });

  test('decided lines stay visible, and undo brings the previous quantity and the card back', async () => {
    await page.getByRole('button', { name: 'Decided this period' }).click();
    const decided = page.getByRole('region', { name: 'Decided this period' });
    const row = decided.getByRole('row').filter({ hasText: 'Customer 3' });
    await row.getByText('Approved').waitFor();
    await row.getByText('9 → 12').waitFor();
    await row.getByText(USER.email).waitFor();
    await screenshot(page, 'month-end-decided');
    await row.getByRole('button', { name: 'Undo approved Customer 3 Product 0' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await billed('Customer 3'), 9, 'the previous quantity is written back');
    await page.getByRole('button', { name: 'To review' }).click();
    await card('Customer 3').waitFor();
  });

  test('the audit screen lists decisions and undos, filtered by action and user', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = page.getByRole('table');
    await table.getByRole('row').filter({ hasText: 'Undone' }).first().waitFor();
    await page.getByLabel('Action').selectOption({ label: 'Undone' });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('tbody tr')].every((r) => r.textContent?.includes('Undone')) &&
        document.querySelectorAll('tbody tr').length === 1,
    );
    await table.getByRole('row').filter({ hasText: 'Customer 3' }).getByText('12 → 9').waitFor();
    await page.getByLabel('User').fill('api token');
    await page.getByLabel('User').press('Tab');
    await page.getByText('No entry matches these filters.').waitFor();
    await screenshot(page, 'month-end-audit');
  });

  test('mapping an account applies its waiting count and the card appears without another push', async () => {
    await page.getByRole('link', { name: 'Mapping' }).click();
    const accounts = page.getByRole('region', { name: 'Accounts → companies' });
    const row = accounts.getByRole('row').filter({ hasText: UNMAPPED.name });
    await row.getByText('1 count waiting').waitFor();
    await row.getByText(/latest sent .*ago|latest sent now/).waitFor();
    const picker = accounts.getByRole('combobox', { name: UNMAPPED.name });
    await picker.focus();
    await picker.pressSequentially('harb');
    // Keyboard only: ↓ past the first match and ↑ back, then Enter.
    await picker.press('ArrowDown');
    await picker.press('ArrowUp');
    await picker.press('Enter');
    await page
      .getByRole('status')
      .getByText(`${UNMAPPED.name} → ${UNMAPPED.name} (1 waiting count applied, build scheduled)`)
      .waitFor();
    await flush(w.t, w.f);
    await page.getByRole('link', { name: 'Billing' }).click();
    const harbor = card(UNMAPPED.name);
    await harbor.locator('.figures dd').nth(1).getByText(String(UNMAPPED.count), { exact: true }).waitFor();
    assert.equal(await harbor.getByText('Vendor reports 0').count(), 0);
    const history = await w.partner(
      'GET',
      `/integrations/${w.f.integrationId}/history?accountId=${UNMAPPED.accountId}`,
    );
    assert.match(history.body.entries[0].note, /^applied from a count sent at .+ while unmapped$/);
  });

  test('near-name suggestions show their score and are accepted in bulk; exact ones stay separate', async () => {
    await page.getByRole('link', { name: 'Mapping' }).click();
    const banner = page.getByRole('region', { name: 'Suggested mappings' });
    await banner.getByRole('button', { name: 'Accept 1 exact-name match' }).waitFor();
    await banner.getByText('CUSTOMER 1, INC. → Customer 1').waitFor();
    await banner.getByText('Custmer 4 → Customer 4').waitFor();
    assert.equal(
      await banner.locator('li', { hasText: 'CUSTOMER 1, INC.' }).locator('.badge').textContent(),
      '100%',
    );
    assert.match(
      (await banner.locator('li', { hasText: 'Custmer 4' }).locator('.badge').textContent()) ?? '',
      /^(7[5-9]|[89]\d)%$/,
    );
    await screenshot(page, 'month-end-near-matches');
    await banner.getByRole('button', { name: 'Select all' }).click();
    await banner.getByRole('button', { name: 'Accept 2 selected' }).click();
    await banner.getByText('Custmer 4 → Customer 4').waitFor({ state: 'detached' });
    const accounts = (await w.partner('GET', `/integrations/${w.f.integrationId}/accounts`)).body as {
      id: string;
      mapping: { companyId: string } | null;
    }[];
    const companies = (await w.partner('GET', '/psa/companies')).body as { id: string; name: string }[];
    const idOf = (name: string) => companies.find((c) => c.name === name)?.id;
    assert.equal(accounts.find((a) => a.id === 'n1')?.mapping?.companyId, idOf('Customer 1'));
    assert.equal(accounts.find((a) => a.id === 'n4')?.mapping?.companyId, idOf('Customer 4'));
    const lookalike = accounts.find((a) => a.id === '2001');
    assert.equal(lookalike?.mapping ?? null, null, 'the exact match waits for its own click');
    await page.getByRole('link', { name: 'Billing' }).click();
  });

  test('a card with two vendors shows each one; its history shows dated points', async () => {
    const c2 = card('Customer 2');
    const split = c2.getByRole('list', { name: 'Per vendor for Customer 2 Product 0' });
    await split.getByText('Acme Backup: 4').waitFor();
    await split.getByText(`${SECOND_VENDOR}: 1`).waitFor();
    await c2.getByText('History').click();
    const points = c2.locator('.dated-points li');
    await points.first().waitFor();
    assert.match((await points.first().textContent()) ?? '', /^\d{1,2}\/\d{1,2}\/\d{4}, .+: 5$/);
    assert.equal(await points.count(), 2, 'one point per change: Acme 4, then the second vendor +1');
    await screenshot(page, 'month-end-two-vendors');
  });

  test('a past month is one pick away', async () => {
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const period = last.toISOString().slice(0, 7);
    await page.getByLabel('Period').fill(period);
    const title = last.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    await page.getByRole('heading', { name: `Billing · ${title}` }).waitFor();
    // Decisions belong to their month: last month has none of this month's.
    await page.getByRole('button', { name: 'Decided this period' }).click();
    await page.getByText('Nothing decided in this period yet.').waitFor();
    await page.getByRole('button', { name: 'To review' }).click();
    await card('Customer 1').waitFor();
  });

  test('the Vendors screen says how to add a vendor, and the key panel has all to hand it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('link', { name: 'Vendors' }).click();
    const hint = page.getByRole('note', { name: 'Vendor not listed' });
    await hint.getByText('npx tally vendor create --name "Vendor name"').waitFor();
    await page.getByRole('button', { name: `Connect ${OTHER_VENDOR}`, exact: true }).click();
    const panel = page.getByRole('region', { name: `Partner key for ${OTHER_VENDOR}` });
    const key = (await panel.getByTestId('partner-key').textContent()) ?? '';
    assert.equal(await panel.getByTestId('vendor-base-url').textContent(), `${w.t.baseUrl}/api/vendor-api`);
    assert.equal(
      await panel.getByRole('link', { name: `${w.t.baseUrl}/api-docs` }).getAttribute('href'),
      '/api-docs',
    );
    await panel.getByRole('button', { name: 'Copy instructions' }).click();
    await panel.getByRole('button', { name: 'Instructions copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, new RegExp(`Base URL: ${w.t.baseUrl}/api/vendor-api`));
    assert.match(copied, new RegExp(`Partner key: ${key}`));
    assert.match(copied, /GRADIENT-TOKEN header: base64\("<your vendor key>:<partner key>"\)/);
    assert.match(copied, new RegExp(`API documentation: ${w.t.baseUrl}/api-docs`));
    await screenshot(page, 'month-end-vendor-key');
    await panel.getByRole('button', { name: 'I have stored the key' }).click();
  });

  test('at 390 px the top bar folds into a menu and tables scroll inside their panel', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px)`);
    await screenshot(page, 'month-end-390-audit');
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Billing' }).click();
    await card('Customer 1').waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `the board fits (${wide}px)`);
    await screenshot(page, 'month-end-390-board');
  });
});
