import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestStore } from '../support/stores.js';
import { describeEachStore } from './contract-support.js';

describeEachStore('store contract: readiness ping', ({ store }) => {
  test('ping answers while the store is open', async () => {
    await store().ping();
  });
});

test('ping rejects once the store is closed, so /readyz would say unavailable', async () => {
  const closed = await openTestStore('sqlite');
  await closed.close();
  await assert.rejects(closed.ping());
});
