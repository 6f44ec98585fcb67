import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage, screenshot } from './support/browser.js';
import {
  LOOKALIKE,
  OTHER_VENDOR,
  type PartnerWorld,
  partnerWorld,
  UNMAPPED,
  USER,
} from './support/partner-world.js';

describe('signing in and mapping', { skip: browserSkipReason() ?? false }, () => {
  let w: PartnerWorld;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [w, browser] = await Promise.all([partnerWorld(), launchBrowser()]);
    page = await openPage(browser, w.t.baseUrl);
  });
  after(async () => {
    await browser?.close();
    await w?.t.close();
  });

  test('a wrong password is refused; the right one opens the billing board', async () => {
    await page.goto('/');
    const email = page.getByLabel('Email');
    await email.fill(USER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

    await page.getByLabel('Password').fill(USER.password);
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Billing/ }).waitFor();
    await page.getByText('Ada Lovelace').waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'tally_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
  });

  test('an account with a count waiting is listed first and mapped with its searchable picker', async () => {
    await page.getByRole('link', { name: 'Mapping' }).click();
    const accounts = page.getByRole('region', { name: 'Accounts → companies' });
    const firstRow = accounts.getByRole('row').nth(1);
    await firstRow.getByRole('rowheader', { name: new RegExp(`^${UNMAPPED.name}`) }).waitFor();
    await firstRow.getByText('1 count waiting').waitFor();
    await screenshot(page, 'mapping');

    const companies = await w.partner('GET', '/psa/companies');
    const harbor = companies.body.find((c: { name: string }) => c.name === UNMAPPED.name);
    // Typed to filter, chosen with the keyboard.
    const picker = accounts.getByRole('combobox', { name: UNMAPPED.name });
    await picker.fill('harbor dent');
    await page.getByRole('option', { name: UNMAPPED.name }).waitFor();
    await picker.press('Enter');
    await page.getByRole('status').getByText(`${UNMAPPED.name} → ${UNMAPPED.name}`).waitFor();

    const listed = await w.partner('GET', `/integrations/${w.f.integrationId}/accounts`);
    const row = listed.body.find((a: { id: string }) => a.id === UNMAPPED.accountId);
    assert.deepEqual(row.mapping, { companyId: harbor.id, excluded: false });
    // After the reload the picker shows what the server holds.
    assert.equal(await accounts.getByLabel(UNMAPPED.name).inputValue(), UNMAPPED.name);
  });

  test('exact-name matches are accepted with one click', async () => {
    const banner = page.getByRole('region', { name: 'Suggested mappings' });
    await banner.getByRole('button', { name: 'Accept 1 exact-name match' }).click();
    await banner.waitFor({ state: 'detached' });
    const listed = await w.partner('GET', `/integrations/${w.f.integrationId}/accounts`);
    const row = listed.body.find((a: { id: string }) => a.id === LOOKALIKE.accountId);
    const companies = await w.partner('GET', '/psa/companies');
    const lakeside = companies.body.find((c: { name: string }) => c.name === LOOKALIKE.name);
    assert.deepEqual(row.mapping, { companyId: lakeside.id, excluded: false });
  });

  test('a vendor is connected with its key shown once, rotated, paused and resumed, and disconnected after a confirmation', async () => {
    const integrationOf = async () =>
      (await w.partner('GET', '/integrations')).body.find(
        (i: { vendorName: string }) => i.vendorName === OTHER_VENDOR,
      );
    await page.getByRole('link', { name: 'Vendors' }).click();
    await page.getByRole('button', { name: `Connect ${OTHER_VENDOR}`, exact: true }).click();
    const panel = page.getByRole('region', { name: `Partner key for ${OTHER_VENDOR}` });
    const key = (await panel.getByTestId('partner-key').textContent()) ?? '';
    assert.ok(key.length >= 16, key);
    await panel.locator('pre').getByText(key).waitFor();
    await screenshot(page, 'vendor-key');
    assert.equal((await integrationOf()).disconnectedAt, null);

    await panel.getByRole('button', { name: 'I have stored the key' }).click();
    await page.getByRole('button', { name: `Rotate the key of ${OTHER_VENDOR}` }).click();
    const rotated = (await panel.getByTestId('partner-key').textContent()) ?? '';
    assert.notEqual(rotated, key);
    await panel.getByRole('button', { name: 'I have stored the key' }).click();

    await page.getByRole('button', { name: `Pause ${OTHER_VENDOR}` }).click();
    await page.getByRole('button', { name: `Resume ${OTHER_VENDOR}` }).waitFor();
    assert.ok((await integrationOf()).pausedAt, 'paused');
    await page.getByRole('button', { name: `Resume ${OTHER_VENDOR}` }).click();
    await page.getByRole('button', { name: `Pause ${OTHER_VENDOR}` }).waitFor();
    assert.equal((await integrationOf()).pausedAt, null, 'resumed');

    await page.getByRole('button', { name: `Disconnect ${OTHER_VENDOR}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect ${OTHER_VENDOR}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await integrationOf()).disconnectedAt, null, 'cancel leaves it connected');
    await page.getByRole('button', { name: `Disconnect ${OTHER_VENDOR}` }).click();
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('button', { name: `Connect ${OTHER_VENDOR}`, exact: true }).waitFor();
    const disconnected = await integrationOf();
    assert.equal(disconnected.status, 'inactive');
    assert.ok(disconnected.disconnectedAt);
  });

  test('a user changes their password from the top bar and stays signed in', async () => {
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('not the password');
    await dialog.getByLabel(/New password/).fill('a brand new passphrase');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The current password is not right' }).waitFor();
    await dialog.getByLabel('Current password').fill(USER.password);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.waitFor({ state: 'detached' });
    const status = await page.evaluate(async () => (await fetch('/api/partner/session')).status);
    assert.equal(status, 200, 'this session stays');
    const old = await page.evaluate(
      async (body) =>
        (
          await fetch('/api/partner/session', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
        ).status,
      JSON.stringify({ email: USER.email, password: USER.password }),
    );
    assert.equal(old, 401, 'the old password no longer signs in');
  });

  test('signing out ends the session', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/partner/session')).status);
    assert.equal(status, 401);
  });
});
