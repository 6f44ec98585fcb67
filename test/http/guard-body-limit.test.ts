import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

const BODY_LIMIT_BYTES = 2048;

let t: TestServer;
let f: Fixture;
before(async () => {
  t = await startServer({ config: { bodyLimitBytes: BODY_LIMIT_BYTES } });
  f = await seedIntegration(t.server);
});
after(() => t.close());

/** A Create Service body of about `bytes` bytes. */
const serviceBody = (bytes: number): string => {
  const body = { name: 'Backup', description: '', category: 'backup', subcategory: 'cloud backup' };
  const padding = bytes - JSON.stringify(body).length;
  return JSON.stringify({ ...body, description: 'x'.repeat(padding) });
};

const TOO_LARGE = { statusCode: 413, message: 'Request body is too large', error: 'Payload Too Large' };

test('a body over the limit gets 413 in the error shape and writes nothing', async () => {
  const raw = serviceBody(BODY_LIMIT_BYTES + 1);
  assert.equal(Buffer.byteLength(raw), BODY_LIMIT_BYTES + 1);
  const response = await call(t.baseUrl, 'POST', '/api/vendor-api/service', { token: f.vendorToken, raw });
  assert.equal(response.status, 413);
  assert.deepEqual(response.body, TOO_LARGE);
  assert.deepEqual(await t.store.listSkus(f.vendorId), []);
});

test('a streamed body without a length is cut off at the limit too', async () => {
  const raw = new TextEncoder().encode(serviceBody(BODY_LIMIT_BYTES * 4));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < raw.length; i += 1024) controller.enqueue(raw.subarray(i, i + 1024));
      controller.close();
    },
  });
  const response = await fetch(`${t.baseUrl}/api/vendor-api/service`, {
    method: 'POST',
    headers: { 'GRADIENT-TOKEN': f.vendorToken, 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  assert.equal(response.status, 413);
  assert.deepEqual(await response.json(), TOO_LARGE);
  assert.deepEqual(await t.store.listSkus(f.vendorId), []);
});

test('a body at the limit passes', async () => {
  const raw = serviceBody(BODY_LIMIT_BYTES);
  const response = await call(t.baseUrl, 'POST', '/api/vendor-api/service', { token: f.vendorToken, raw });
  assert.equal(response.status, 201);
  const skus = await t.store.listSkus(f.vendorId);
  assert.equal(skus.length, 1);
  assert.equal(skus[0]!.description.length, JSON.parse(raw).description.length);
});
