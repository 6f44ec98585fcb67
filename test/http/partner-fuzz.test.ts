/**
 * A fuzz pass over the partner API and the CSV import: generated bodies, params and queries never
 * get a 5xx, every error has the documented shape, and a refused request leaves the partner's ledger,
 * decisions and mappings exactly as they were.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import { after, before, test } from 'node:test';
import { MAX_QUANTITY } from '../../src/core/limits/input-limits.js';
import { RELAXED_GUARD } from '../support/auth-cases.js';
import { call, seedIntegration, startServer, type Fixture, type TestServer } from '../support/harness.js';
import { mappedWorld, type World } from '../support/world.js';

const RUNS = 80;

let t: TestServer;
let f: Fixture;
let w: World;
let agreementId: string;
let lineId: string;

before(async () => {
  t = await startServer({ config: { ...RELAXED_GUARD, buildPollMs: 600_000, alertPollMs: 600_000 } });
  f = await seedIntegration(t.server);
  w = await mappedWorld(t.server, f, { accounts: 2, services: 1 });
  const agreement = await partner('POST', '/psa/agreements', { name: 'MSA', companyId: w.companyIds[0] });
  agreementId = agreement.body.id;
  const line = await partner('POST', '/psa/agreement-lines', {
    agreementId,
    productId: w.productIds[0],
    quantity: 2,
  });
  lineId = line.body.id;
});
after(() => t.close());

const partner = (method: string, path: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/partner${path}`, { bearer: f.partnerToken, body });

/** Everything a partner request could change. */
const snapshot = async () => ({
  companies: (await t.store.listCompanies(f.partnerId, {})).rows,
  products: await t.store.listProducts(f.partnerId),
  agreements: await t.store.listAgreements(f.partnerId, {}),
  lines: await t.store.listAgreementLines(f.partnerId, {}),
  actions: await t.store.listCardActions(f.partnerId, '2026-11'),
  accountMappings: await t.store.listMappings(f.integrationId, 'account'),
  serviceMappings: await t.store.listMappings(f.integrationId, 'service'),
});

interface Req {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
}

async function fuzz(requests: fc.Arbitrary<Req>) {
  const seen = { accepted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const before = await snapshot();
      const r = await call(t.baseUrl, request.method, `/api/partner${request.path}`, {
        bearer: f.partnerToken,
        ...(request.raw !== undefined ? { raw: request.raw } : { body: request.body }),
        ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
      });
      const where = `${request.method} ${request.path} ${request.raw ?? JSON.stringify(request.body)}`;
      assert.ok(r.status < 500, `${r.status} for ${where}: ${JSON.stringify(r.body)}`);
      if (r.status < 400) {
        seen.accepted++;
        return;
      }
      seen.refused++;
      assert.equal(r.body.statusCode, r.status, where);
      assert.equal(r.body.error, STATUS_CODES[r.status], where);
      assert.equal(typeof r.body.message, 'string', where);
      assert.deepEqual(await snapshot(), before, `a refused request wrote data: ${where}`);
    }),
    { numRuns: RUNS },
  );
  assert.ok(seen.accepted > 0 && seen.refused > 0, `outcomes: ${JSON.stringify(seen)}`);
}

const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
/** Numbers at and past every edge: huge, tiny, negative, too fine, and the largest legal one. */
const quantities = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(1e303, 1e308, 1e22, MAX_QUANTITY, MAX_QUANTITY + 1, 0.1234567, -1, 1e-7),
  },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: anyJson },
);
const names = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Contoso', 'Fabrikam', 'Northwind') },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(201), '\u0000', '\ud800') },
  { weight: 1, arbitrary: anyJson },
);
const money = fc.oneof(
  fc.constantFrom<unknown>(0, 5, '12.50', '0.1', 1e22, '1e5', -1, '9007199254.740993', 'abc'),
  anyJson,
);
const body = <T>(shape: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: shape }, { weight: 1, arbitrary: anyJson });
const longId = fc.constantFrom('x'.repeat(256), 'é'.repeat(256), 'nope', '%00', '..');

test('PSA companies, products, agreements and lines', async () => {
  const requests: fc.Arbitrary<Req> = fc.oneof<fc.Arbitrary<Req>[]>(
    body(fc.record({ name: names }, { requiredKeys: [] })).map((b) => ({
      method: 'POST',
      path: '/psa/companies',
      body: b,
    })),
    body(fc.record({ name: names, unitPrice: money, unitCost: money }, { requiredKeys: ['name'] })).map(
      (b) => ({ method: 'POST', path: '/psa/products', body: b }),
    ),
    body(
      fc.record({
        agreementId: fc.oneof(fc.constant('AGREEMENT'), longId),
        productId: fc.oneof(fc.constant('PRODUCT'), longId),
        quantity: quantities,
        active: fc.oneof(fc.boolean(), anyJson),
      }),
    ).map((b) => ({ method: 'POST', path: '/psa/agreement-lines', body: b })),
    fc
      .tuple(fc.oneof(fc.constant('LINE'), longId), body(fc.record({ quantity: quantities })))
      .map(([id, b]) => ({
        method: 'PATCH',
        path: `/psa/agreement-lines/${encodeURIComponent(id)}`,
        body: b,
      })),
    fc.tuple(fc.constantFrom('companies', 'products', 'agreements'), longId).map(([kind, id]) => ({
      method: 'PATCH',
      path: `/psa/${kind}/${encodeURIComponent(id)}`,
      body: { name: 'X' },
    })),
    fc
      .tuple(
        fc.constantFrom('/psa/companies', '/psa/products', '/psa/agreement-lines', '/integrations'),
        fc.array(fc.tuple(fc.constantFrom('limit', 'after', 'companyId'), anyText), { maxLength: 3 }),
      )
      .map(([path, pairs]) => ({
        method: 'GET',
        path: `${path}?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      })),
  );
  // Placeholders stand for the ids made in before(); a function cannot be generated, a name can.
  await fuzz(
    requests.map((r: Req) => {
      const text = JSON.stringify(r.body ?? null)
        .replaceAll('"AGREEMENT"', JSON.stringify(agreementId))
        .replaceAll('"PRODUCT"', JSON.stringify(w.productIds[0]));
      return {
        ...r,
        path: r.path.replace('LINE', lineId),
        body: r.body === undefined ? undefined : JSON.parse(text),
      };
    }),
  );
});

test('billing actions, board queries and mappings', async () => {
  const cardId = () => `${w.companyIds[0]}.${w.productIds[0]}`;
  const requests: fc.Arbitrary<Req> = fc.oneof<fc.Arbitrary<Req>[]>(
    body(
      fc.record(
        {
          period: fc.oneof(fc.constantFrom('2026-11', '2026-13', 'now'), anyText),
          action: fc.oneof(fc.constantFrom('approve', 'adjust', 'dismiss'), anyText),
          cardIds: fc.oneof(fc.constant(['CARD']), fc.array(anyText, { maxLength: 3 }), anyJson),
          quantity: quantities,
        },
        { requiredKeys: ['period', 'action', 'cardIds'] },
      ),
    ).map((b) => ({ method: 'POST', path: '/billing/actions', body: b })),
    fc
      .array(
        fc.tuple(fc.constantFrom('period', 'state', 'q', 'includeActioned', 'limit', 'after'), anyText),
        { maxLength: 4 },
      )
      .map((pairs) => ({
        method: 'GET',
        path: `/billing?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      })),
    fc
      .tuple(
        fc.constantFrom('accounts', 'services'),
        fc.oneof(fc.constantFrom('1000', 'ITEM'), longId),
        body(
          fc.record(
            {
              companyId: fc.oneof(fc.constant('COMPANY'), anyText),
              productId: fc.oneof(fc.constant('PRODUCT'), anyText),
              excluded: fc.oneof(fc.boolean(), anyJson),
            },
            { requiredKeys: [] },
          ),
        ),
      )
      .map(([kind, id, b]) => ({
        method: 'PUT',
        path: `/integrations/${f.integrationId}/${kind}/${encodeURIComponent(id === 'ITEM' ? (w.skuIds[0] as string) : id)}/mapping`,
        body: b,
      })),
  );
  await fuzz(
    requests.map((r: Req) => {
      const text = JSON.stringify(r.body ?? null)
        .replaceAll('"CARD"', JSON.stringify(cardId()))
        .replaceAll('"COMPANY"', JSON.stringify(w.companyIds[1]))
        .replaceAll('"PRODUCT"', JSON.stringify(w.productIds[0]));
      return { ...r, body: r.body === undefined ? undefined : JSON.parse(text) };
    }),
  );
});

test('CSV import: generated files, previews and commits', async () => {
  const cell = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('Customer 0', 'Customer 1', 'Product 0', 'Acme', '3', '0.5') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '1e303',
        '1e308',
        '10000000000000',
        '0.1234567',
        '-1',
        '',
        '"',
        '""',
        '=1+1',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
  const header = fc.constantFrom('name', 'name,unitPrice,unitCost', 'company,product,quantity', 'nope', '');
  const file = fc
    .tuple(header, fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 }))
    .map(([head, rows]) => [head, ...rows.map((r) => r.join(','))].join('\n'));
  const requests = fc
    .tuple(
      fc.constantFrom('companies', 'products', 'lines', 'agreement-lines', 'nope'),
      fc.constantFrom('preview', 'commit'),
      file,
      fc.constantFrom('text/csv', 'application/json', 'text/plain'),
    )
    .map(([kind, mode, raw, contentType]) => ({
      method: 'POST',
      path: `/psa/import/${kind}?mode=${mode}`,
      raw,
      contentType,
    }));
  await fuzz(requests);
});
