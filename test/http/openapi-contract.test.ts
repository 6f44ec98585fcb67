import { Validator } from '@seriousme/openapi-schema-validator';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_TAGS } from '../../src/http/schemas/tags.js';
import { call, startServer, type TestServer } from '../support/harness.js';

let t: TestServer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is arbitrary JSON
let doc: any;
before(async () => {
  t = await startServer();
  doc = (await call(t.baseUrl, 'GET', '/api-docs/json')).body;
});
after(() => t.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Every operation of the document as [method, path, operation]. */
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => METHODS.includes(method))
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
      .map(([method, op]) => [method, path, op as any] as const),
  );

test('/api-docs/json is a valid OpenAPI 3.1 document', async () => {
  const result = await new Validator().validate(doc);
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(result.errors ?? [], []);
  assert.equal(result.valid, true);
  const broken = await new Validator().validate({ ...doc, info: { title: 'Tally' } });
  assert.equal(broken.valid, false, 'the validator refuses a document without info.version');
});

test('every operation has a stable named operationId, a known tag and its responses', () => {
  const ids = new Set<string>();
  const known = new Set(API_TAGS.map((tag) => tag.name));
  for (const [method, path, op] of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${where} has an operationId`);
    assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
    ids.add(op.operationId);
    assert.ok(op.tags?.length === 1 && known.has(op.tags[0]), `${where} has one known tag`);
    const statuses = Object.keys(op.responses ?? {});
    assert.ok(
      statuses.some((s) => /^2/.test(s)),
      `${where} declares a success`,
    );
    for (const status of statuses.filter((s) => /^[45]/.test(s))) {
      const schema = op.responses[status].content?.['application/json']?.schema;
      assert.deepEqual(schema?.required, ['statusCode', 'message'], `${where} ${status} has the error shape`);
      assert.ok(op.responses[status].description, `${where} ${status} is described`);
    }
  }
  for (const id of [
    'setUnitCount',
    'listBillingCards',
    'getIntegration',
    'createAccounts',
    'adminCreatePartner',
  ])
    assert.ok(ids.has(id), `${id} is an operation`);
});

test('the tags are grouped into the vendor, partner and admin APIs, each with its security', () => {
  assert.deepEqual(
    doc['x-tagGroups'].map((g: { name: string }) => g.name),
    ['Vendor API', 'Partner API', 'Admin API'],
  );
  const schemes = doc.components.securitySchemes;
  assert.equal(schemes.GradientToken.name, 'GRADIENT-TOKEN');
  assert.equal(schemes.Bearer.scheme, 'bearer');
  assert.equal(schemes.SessionCookie.in, 'cookie');
  const groupOf = new Map(API_TAGS.map((tag) => [tag.name, tag.group]));
  const open = new Set(['signIn', 'signOut']);
  for (const [method, path, op] of operations()) {
    if (open.has(op.operationId)) continue;
    const names = (op.security ?? []).flatMap((s: object) => Object.keys(s));
    const expected = {
      'Vendor API': ['GradientToken'],
      'Partner API': ['Bearer', 'SessionCookie'],
      'Admin API': ['Bearer'],
    }[groupOf.get(op.tags[0]) as string];
    assert.deepEqual(names, expected, `${method.toUpperCase()} ${path} names its security`);
  }
});

test('the vendor count reply is documented with its envelope and the 404 of an unmapped pair', () => {
  const count = doc.paths['/api/vendor-api/service/{serviceId}/count'].post;
  const created = count.responses['201'].content['application/json'].schema;
  assert.deepEqual(Object.keys(created.properties), ['status', 'data', 'message']);
  assert.ok(created.properties.data.properties.build.properties.state);
  assert.ok(count.responses['404'] && count.responses['429'] && count.responses['422']);
});
