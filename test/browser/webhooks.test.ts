import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { browserSkipReason, launchBrowser, openPage, screenshot, signIn } from './support/browser.js';
import { type PartnerWorld, partnerWorld, USER } from './support/partner-world.js';

describe('the Webhooks screen', { skip: browserSkipReason() ?? false }, () => {
  let w: PartnerWorld;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await new WebhookReceiver().start();
    [w, browser] = await Promise.all([partnerWorld(), launchBrowser()]);
    page = await openPage(browser, w.t.baseUrl);
    await signIn(page, USER);
  });
  after(async () => {
    await browser?.close();
    await w?.t.close();
    await receiver?.close();
  });

  test('an endpoint is added with its secret shown once; a test event shows in its log and is replayed', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoint yet.').waitFor();

    await page.getByLabel('URL').fill(receiver.url('/ui'));
    await page.getByLabel('Description').fill('Billing robot');
    await page.getByRole('checkbox', { name: 'card.actioned' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByTestId('webhook-secret').textContent();
    assert.match(secret ?? '', /^whsec_/);
    await screenshot(page, 'webhooks-secret');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    assert.equal(await page.getByTestId('webhook-secret').count(), 0, 'the secret is gone from the page');

    const listed = await w.partner('GET', '/webhooks');
    assert.deepEqual(listed.body[0].eventTypes, ['billing.built', 'card.actioned']);
    assert.equal(listed.body[0].description, 'Billing robot');

    await page.getByRole('button', { name: `Send a test event to ${receiver.url('/ui')}` }).click();
    await receiver.until(() => receiver.received.some((r) => r.path === '/ui'));
    const eventId = String(receiver.received.find((r) => r.path === '/ui')?.headers['webhook-id']);

    await page.getByRole('link', { name: receiver.url('/ui') }).click();
    const log = page.getByTestId('delivery-log');
    for (let i = 0; i < 50; i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      if ((await log.getByText('delivered').count()) > 0) break;
      await page.waitForTimeout(100);
    }
    await log.getByText('webhook.test').waitFor();
    await log.getByText('delivered').waitFor();
    await log.getByText('204 ·').waitFor();
    await screenshot(page, 'webhooks-log');

    await log.getByRole('button', { name: `Replay ${eventId}` }).click();
    await receiver.until(() => receiver.received.filter((r) => r.path === '/ui').length === 2);
    const ids = receiver.received.filter((r) => r.path === '/ui').map((r) => r.headers['webhook-id']);
    assert.deepEqual(ids, [eventId, eventId], 'a replay keeps the webhook-id');

    await page.getByRole('button', { name: `Disable ${receiver.url('/ui')}` }).click();
    await page.getByRole('button', { name: `Enable ${receiver.url('/ui')}` }).waitFor();
    await page.getByRole('button', { name: `Delete ${receiver.url('/ui')}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No endpoint yet.').waitFor();
    assert.equal((await w.partner('GET', '/webhooks')).body.length, 0);
  });
});
