import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import http from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';

// A real collection between samples, so the samples show what is held, not garbage not yet swept.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let t: TestServer;
let f: Fixture;

before(async () => {
  t = await startServer();
  f = await seedIntegration(t.server);
});
after(() => t.close());

const ROWS = 200_000;
const ROWS_PER_CHUNK = 1000;
/** Every 20 000th row has no name: the preview must find each one, far into the file. */
const isBad = (i: number) => i % 20_000 === 0;
const row = (i: number) =>
  `${isBad(i) ? '' : `Company ${String(i).padStart(6, '0')}`},${'note '.repeat(7)}\n`;

/** The CSV, made chunk by chunk as the upload pulls it, so the test never holds the file either. */
function* csvChunks(counter: { bytes: number }): Generator<Buffer> {
  const header = Buffer.from('name,notes\n');
  counter.bytes += header.length;
  yield header;
  for (let first = 1; first <= ROWS; first += ROWS_PER_CHUNK) {
    let text = '';
    for (let i = first; i < first + ROWS_PER_CHUNK && i <= ROWS; i++) text += row(i);
    const chunk = Buffer.from(text);
    counter.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * POSTs a stream with node:http, which waits for the socket to drain before reading on. (fetch
 * reads a stream body ahead of the socket, so its buffers would be measured instead of the server.)
 */
function postStream(path: string, body: Readable): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${t.baseUrl}${path}`,
      { method: 'POST', headers: { authorization: `Bearer ${f.partnerToken}`, 'content-type': 'text/csv' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    pipeline(body, request, (error) => error && reject(error));
  });
}

const heldBytes = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

test('a CSV of 200 000 rows (about 10 MB) streams through a preview in bounded memory', async () => {
  const baseline = heldBytes();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, heldBytes())), 100);
  const counter = { bytes: 0 };
  try {
    const response = await postStream(
      '/api/partner/psa/import/companies?mode=preview',
      Readable.from(csvChunks(counter)),
    );
    const body = response.body as { rows: number; valid: number; errors: unknown[]; sample: unknown[] };
    assert.equal(response.status, 200);
    assert.equal(body.rows, ROWS);
    assert.equal(body.valid, ROWS - ROWS / 20_000);
    assert.deepEqual(
      body.errors,
      Array.from({ length: ROWS / 20_000 }, (_, k) => ({
        line: (k + 1) * 20_000 + 1,
        reason: 'name is empty',
      })),
    );
    assert.deepEqual(body.sample[0], { name: 'Company 000001' });
  } finally {
    clearInterval(sampler);
  }
  const fileBytes = counter.bytes;
  assert.ok(fileBytes > 9_000_000, `the file is about 10 MB (${fileBytes} bytes)`);
  const growth = peak - baseline;
  assert.ok(growth < fileBytes / 2, `held memory grew by ${growth} bytes for a ${fileBytes}-byte file`);
  assert.equal((await t.store.listCompanies(f.partnerId, {})).total, 0, 'a preview writes nothing');
});
