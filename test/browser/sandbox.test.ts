import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/harness.js';
import { ADMIN_TOKEN, SandboxClient } from '../support/sandbox.js';
import { browserSkipReason, launchBrowser, openPage, screenshot, signIn } from './support/browser.js';

const USER = { email: 'ci@acme-backup.example', password: 'correct horse battery' };

describe("a sandbox's cards in the web UI", { skip: browserSkipReason() ?? false }, () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let sandbox: SandboxClient;
  let service: string;

  before(async () => {
    [t, browser] = await Promise.all([
      startServer({ config: { adminToken: ADMIN_TOKEN, buildQuietMs: 60_000, buildPollMs: 100 } }),
      launchBrowser(),
    ]);
    const made = await fetch(`${t.baseUrl}/api/admin/vendors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Acme Backup CI',
        sandbox: true,
        userEmail: USER.email,
        password: USER.password,
      }),
    });
    assert.equal(made.status, 201);
    const keys = await made.json();
    assert.deepEqual(keys.user, { email: USER.email });
    sandbox = new SandboxClient(t.baseUrl, keys);
    service = await sandbox.service('Cloud Backup');
    await sandbox.accounts({ id: '1', name: 'Fabrikam' }, { id: '2', name: 'Northwind Traders' });
    for (const [account, units] of [
      ['1', 12],
      ['2', 3],
    ] as const)
      assert.equal((await sandbox.count(service, account, units)).status, 201);
    await sandbox.advance({ seconds: 60 });
    page = await openPage(browser, t.baseUrl);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the sandbox partner signs in and sees the cards its vendor built, updated as the clock moves', async () => {
    await signIn(page, USER);
    const newRevenue = page.getByRole('region', { name: 'New revenue' });
    await newRevenue.getByRole('article', { name: 'Fabrikam' }).waitFor();
    await newRevenue.getByRole('article', { name: 'Northwind Traders' }).waitFor();
    await screenshot(page, 'sandbox-billing');

    // A new count builds only when the test clock passes the quiet window; the board follows live.
    assert.equal((await sandbox.count(service, '1', 15)).status, 201);
    const fabrikam = page.getByRole('article', { name: 'Fabrikam' });
    await fabrikam.locator('.figures dd').nth(1).getByText('12', { exact: true }).waitFor();
    const moved = await sandbox.advance({ seconds: 60 });
    assert.equal(moved.body.buildsRun, 1);
    await fabrikam.locator('.figures dd').nth(1).getByText('15', { exact: true }).waitFor();
  });
});
