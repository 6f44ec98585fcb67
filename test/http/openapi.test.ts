import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startServer, type TestServer } from '../support/harness.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

/** The 19 routes of the vendor contract, in its numbering, with Fastify's path syntax turned into OpenAPI's. */
const VENDOR_ROUTES: [string, string][] = [
  ['get', '/api/vendor-api'],
  ['patch', '/api/vendor-api'],
  ['post', '/api/vendor-api/service'],
  ['get', '/api/vendor-api/service/{serviceId}'],
  ['patch', '/api/vendor-api/service/{serviceId}'],
  ['post', '/api/vendor-api/service/{serviceId}/count'],
  ['get', '/api/vendor-api/organization'],
  ['patch', '/api/vendor-api/organization/status/{status}'],
  ['get', '/api/vendor-api/organization/clients'],
  ['get', '/api/vendor-api/organization/accounts'],
  ['post', '/api/vendor-api/organization/accounts'],
  ['patch', '/api/vendor-api/organization/accounts/{accountId}'],
  ['patch', '/api/vendor-api/organization/accounts'],
  ['get', '/api/vendor-api/organization/services'],
  ['post', '/api/vendor-api/organization/services'],
  ['patch', '/api/vendor-api/organization/services/{serviceId}'],
  ['patch', '/api/vendor-api/organization/services'],
  ['post', '/api/vendor-api/alerting/{accountId}'],
  ['get', '/api/vendor-api/alerting/debug/{messageId}'],
];

test('the OpenAPI 3.1 document lists every vendor route with its request schemas', async () => {
  const doc = await call(t.baseUrl, 'GET', '/api-docs/json');
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, '3.1.0');
  for (const [method, path] of VENDOR_ROUTES) {
    assert.ok(doc.body.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  }
  const count = doc.body.paths['/api/vendor-api/service/{serviceId}/count'].post;
  const schema = count.requestBody.content['application/json'].schema;
  assert.deepEqual(schema.required, ['unitCount']);
  assert.equal(schema.properties.unitCount.minimum, 0);
  assert.ok(
    count.parameters.some((p: { name: string; in: string }) => p.name === 'no_build' && p.in === 'query'),
  );
  assert.ok(doc.body.components.securitySchemes.GradientToken);
  assert.ok(doc.body.paths['/api/partner/billing']?.get, 'the partner API is documented too');
});

test('the interactive docs page is served', async () => {
  const page = await fetch(`${t.baseUrl}/api-docs/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i);
});

test('unknown routes answer 404 in the error shape', async () => {
  const r = await call(t.baseUrl, 'GET', '/api/vendor-api/nope');
  assert.deepEqual(r.body, {
    statusCode: 404,
    message: 'Route GET:/api/vendor-api/nope not found',
    error: 'Not Found',
  });
});

test('health, readiness and metrics answer', async () => {
  assert.deepEqual((await call(t.baseUrl, 'GET', '/healthz')).body, { status: 'ok' });
  const ready = await call(t.baseUrl, 'GET', '/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.body.status, 'ready');
  const metrics = await fetch(`${t.baseUrl}/metrics`);
  assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
  assert.match(await metrics.text(), /tally_up 1/);
});
