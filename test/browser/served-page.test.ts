import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../support/harness.js';

// What the server sends for the UI, checked without a browser so it runs everywhere.
let t: TestServer;

before(async () => {
  t = await startServer();
});
after(() => t.close());

test('/ is one HTML page naming its script and stylesheet by content hash', async () => {
  const response = await fetch(`${t.baseUrl}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await response.text();
  const script = /src="(\/assets\/app\.js\?v=[0-9a-f]{16})"/.exec(html)?.[1];
  const style = /href="(\/assets\/app\.css\?v=[0-9a-f]{16})"/.exec(html)?.[1];
  assert.ok(script && style, html);

  const js = await fetch(t.baseUrl + script);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  assert.ok((await js.text()).length > 1000, 'the bundle holds the app');

  const css = await fetch(t.baseUrl + style);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  assert.match(await css.text(), /--accent/);
});

test('the UI routes stay out of the OpenAPI document', async () => {
  const doc = await (await fetch(`${t.baseUrl}/api-docs/json`)).json();
  const paths = Object.keys(doc.paths as Record<string, unknown>);
  assert.ok(!paths.includes('/'), paths.join(', '));
  assert.ok(!paths.some((p) => p.startsWith('/assets')), paths.join(', '));
});
