/** The committed document and types are what the server describes today: regenerate when they differ. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../../../src/bin/openapi-document.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const HINT = 'run `npm run generate -w clients/typescript`';

test('openapi.json and src/schema.ts match the vendor API the server describes', async () => {
  const document = await openApiDocument({ vendorOnly: true });
  assert.deepEqual(JSON.parse(read('../openapi.json')), document, `openapi.json is stale: ${HINT}`);
  const types = astToString(await openapiTS(JSON.parse(JSON.stringify(document))));
  const committed = read('../src/schema.ts');
  assert.ok(committed.endsWith(types), `src/schema.ts is stale: ${HINT}`);
  assert.deepEqual(
    Object.keys(document.paths as object).filter((p) => !p.startsWith('/api/vendor-api')),
    [],
  );
});
