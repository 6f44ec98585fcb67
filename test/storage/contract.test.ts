/**
 * The store contract: every Repo method behaves the same on SQLite and on PostgreSQL. The HTTP
 * suites exercise the stores through the domain; this suite pins down the port itself, so a
 * difference between the engines shows up here, named, rather than as an odd HTTP failure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account, HistoryEntry, OrgService, Product } from '../../src/core/model.js';
import type { AlertRecord, TicketRecord } from '../../src/core/ports.js';
import {
  T0_MS,
  billingRows,
  buildState,
  byKey,
  describeEachStore,
  integrationRecord,
  partnerRecord,
  seedBase,
  vendorRecord,
} from './contract-support.js';

describeEachStore('store contract: vendors, services and partners', ({ store }) => {
  test('vendors round-trip every field and are found by id and key digest', async () => {
    const vendor = {
      ...vendorRecord('v1', 'Zeta Backup'),
      imageUri: 'https://img.example/z.png',
      isDistributor: true,
      organizationId: 'org-7',
      attributes: { nested: { list: [1, 'two', null] }, flag: false },
    };
    await store().insertVendor(vendor, 'hash-1');
    await store().insertVendor(vendorRecord('v2', 'Alpha Mail'), 'hash-2');

    assert.deepEqual(await store().getVendor('v1'), vendor);
    assert.deepEqual(await store().findVendorByKeyHash('hash-1'), vendor);
    assert.equal(await store().getVendor('nope'), undefined);
    assert.equal(await store().findVendorByKeyHash('nope'), undefined);
    assert.deepEqual(
      (await store().listVendors()).map((v) => v.name),
      ['Alpha Mail', 'Zeta Backup'],
      'listed by name',
    );

    const updated = { ...vendor, name: 'Zeta Cloud', vendorSupportPageUrl: 'https://help', version: 1 };
    await store().updateVendor({ ...updated, createdAtMs: 1 });
    assert.deepEqual(await store().getVendor('v1'), updated, 'an update never moves createdAt');

    await store().setVendorKeyHash('v1', 'hash-1b');
    assert.equal(await store().findVendorByKeyHash('hash-1'), undefined, 'the old key stops working');
    assert.equal((await store().findVendorByKeyHash('hash-1b'))?.id, 'v1');
  });

  test('a second vendor with the same key digest is refused', async () => {
    await store().insertVendor(vendorRecord('v1', 'One'), 'same');
    await assert.rejects(store().insertVendor(vendorRecord('v2', 'Two'), 'same'));
    assert.equal(await store().getVendor('v2'), undefined);
  });

  test('services belong to their vendor, are listed by id and updated in place', async () => {
    await store().insertVendor(vendorRecord('v1', 'One'), 'h1');
    await store().insertVendor(vendorRecord('v2', 'Two'), 'h2');
    const sku = (id: string, vendorId: string) => ({
      id,
      vendorId,
      name: `Service ${id}`,
      description: 'd',
      category: 'backup',
      subcategory: 'cloud backup',
      supportArticle: null,
      supportContact: 'help@example.com',
      logo: null,
      createdAtMs: T0_MS,
      updatedAtMs: T0_MS,
    });
    await store().insertSku(sku('s2', 'v1'));
    await store().insertSku(sku('s1', 'v1'));
    await store().insertSku(sku('s3', 'v2'));

    assert.deepEqual(
      (await store().listSkus('v1')).map((s) => s.id),
      ['s1', 's2'],
    );
    assert.deepEqual(await store().getSku('v1', 's1'), sku('s1', 'v1'));
    assert.equal(await store().getSku('v2', 's1'), undefined, "another vendor's service is not found");

    const changed = { ...sku('s1', 'v1'), name: 'Renamed', logo: 'https://logo', updatedAtMs: T0_MS + 5 };
    await store().updateSku(changed);
    assert.deepEqual(await store().getSku('v1', 's1'), changed);
  });

  test('services need an existing vendor', async () => {
    await assert.rejects(
      store().insertSku({
        id: 's1',
        vendorId: 'missing',
        name: 'x',
        description: '',
        category: 'backup',
        subcategory: 'cloud backup',
        supportArticle: null,
        supportContact: null,
        logo: null,
        createdAtMs: T0_MS,
        updatedAtMs: T0_MS,
      }),
    );
  });

  test('partners are found by id and token digest, listed by name, and their token replaced', async () => {
    await store().insertPartner(partnerRecord('p2', 'Blue MSP'), 't2');
    await store().insertPartner(partnerRecord('p1', 'Amber IT'), 't1');
    assert.deepEqual(await store().getPartner('p1'), partnerRecord('p1', 'Amber IT'));
    assert.deepEqual(await store().findPartnerByTokenHash('t2'), partnerRecord('p2', 'Blue MSP'));
    assert.equal(await store().getPartner('p3'), undefined);
    assert.deepEqual(
      (await store().listPartners()).map((p) => p.id),
      ['p1', 'p2'],
    );
    await store().setPartnerTokenHash('p1', 't1b');
    assert.equal(await store().findPartnerByTokenHash('t1'), undefined);
    assert.equal((await store().findPartnerByTokenHash('t1b'))?.id, 'p1');
  });
});

describeEachStore('store contract: integrations, items and mappings', ({ store }) => {
  test('integrations are found by id, key digest and pair, and change status, sync, key and link', async () => {
    await seedBase(store());
    await store().insertPartner(partnerRecord('partner2', 'Other'), 'tp2');
    await store().insertIntegration(
      { ...integrationRecord('integration2', 'vendor', 'partner2'), createdAtMs: T0_MS + 1 },
      'ik2',
    );
    const first = integrationRecord('integration', 'vendor', 'partner');

    assert.deepEqual(await store().getIntegration('integration'), first);
    assert.deepEqual(await store().findIntegrationByKeyHash('integration-key-hash'), first);
    assert.deepEqual(await store().findIntegration('vendor', 'partner'), first);
    assert.equal(await store().findIntegration('vendor', 'nobody'), undefined);
    assert.deepEqual(
      (await store().listIntegrationsOfPartner('partner2')).map((i) => i.id),
      ['integration2'],
    );

    await store().setIntegrationStatus('integration', 'active');
    await store().touchIntegrationSync('integration', T0_MS + 10);
    await store().disconnectIntegration('integration', T0_MS + 20);
    await store().setIntegrationKeyHash('integration', 'new-key');
    await store().setIntegrationPaused('integration', T0_MS + 30);
    assert.deepEqual(await store().getIntegration('integration'), {
      ...first,
      status: 'active',
      lastSyncedAtMs: T0_MS + 10,
      disconnectedAtMs: T0_MS + 20,
      pausedAtMs: T0_MS + 30,
    });
    await store().setIntegrationPaused('integration', null);
    assert.equal((await store().getIntegration('integration'))?.pausedAtMs, null);
    assert.equal(await store().findIntegrationByKeyHash('integration-key-hash'), undefined);
    assert.equal((await store().findIntegrationByKeyHash('new-key'))?.id, 'integration');
  });

  test('a vendor and a partner have at most one integration', async () => {
    await seedBase(store());
    await assert.rejects(
      store().insertIntegration(integrationRecord('again', 'vendor', 'partner'), 'other-key'),
    );
  });

  test('accounts upsert by (integration, id): a repeat updates and keeps its creation time', async () => {
    const { integrationId } = await seedBase(store());
    const account = (id: string, name: string, atMs: number): Account => ({
      integrationId,
      id,
      name,
      description: '',
      isActive: true,
      isArrears: false,
      createdAtMs: atMs,
      updatedAtMs: atMs,
    });
    await store().upsertAccount(account('102', 'B', T0_MS));
    await store().upsertAccount(account('101', 'A', T0_MS));
    await store().upsertAccount({
      ...account('101', 'A renamed', T0_MS + 9),
      isActive: false,
      isArrears: true,
      description: 'now in arrears',
    });

    assert.deepEqual(await store().getAccount(integrationId, '101'), {
      ...account('101', 'A renamed', T0_MS),
      isActive: false,
      isArrears: true,
      description: 'now in arrears',
      updatedAtMs: T0_MS + 9,
    });
    assert.deepEqual(
      (await store().listAccounts(integrationId)).map((a) => a.id),
      ['101', '102'],
    );
    assert.deepEqual(
      (await store().listAccounts(integrationId, ['102', 'zzz'])).map((a) => a.id),
      ['102'],
    );
    assert.deepEqual(await store().listAccounts(integrationId, []), [], 'an empty filter matches nothing');
    assert.equal(await store().getAccount('other', '101'), undefined);
  });

  test('organization services refuse a duplicate id and update in place', async () => {
    const { integrationId } = await seedBase(store());
    const service: OrgService = {
      integrationId,
      id: 'svc-1',
      name: 'Seats',
      description: 'per seat',
      isActive: true,
      isArrears: false,
      createdAtMs: T0_MS,
      updatedAtMs: T0_MS,
    };
    await store().insertOrgService(service);
    await assert.rejects(store().insertOrgService({ ...service, name: 'again' }));
    await store().updateOrgService({ ...service, name: 'Users', isActive: false, updatedAtMs: T0_MS + 1 });
    assert.deepEqual(await store().getOrgService(integrationId, 'svc-1'), {
      ...service,
      name: 'Users',
      isActive: false,
      updatedAtMs: T0_MS + 1,
    });
    assert.deepEqual(
      (await store().listOrgServices(integrationId, ['svc-1'])).map((s) => s.name),
      ['Users'],
    );
    assert.deepEqual(await store().listOrgServices(integrationId, []), []);
  });

  test('mappings are put (replacing), read by kind and deleted', async () => {
    const { integrationId } = await seedBase(store());
    const mapping = (kind: 'account' | 'service', itemId: string, targetId: string | null) => ({
      integrationId,
      kind,
      itemId,
      targetId,
      excluded: targetId === null,
      updatedAtMs: T0_MS,
    });
    await store().putMapping(mapping('account', '101', 'company-1'));
    await store().putMapping(mapping('account', '102', null));
    await store().putMapping(mapping('service', '101', 'product-1'));
    await store().putMapping({ ...mapping('account', '101', 'company-2'), updatedAtMs: T0_MS + 1 });

    assert.deepEqual(await store().getMapping(integrationId, 'account', '101'), {
      ...mapping('account', '101', 'company-2'),
      updatedAtMs: T0_MS + 1,
    });
    assert.deepEqual(
      (await store().listMappings(integrationId, 'account')).map((m) => [m.itemId, m.excluded]).sort(),
      [
        ['101', false],
        ['102', true],
      ],
    );
    assert.equal((await store().listMappings(integrationId, 'service')).length, 1);

    await store().deleteMapping(integrationId, 'account', '101');
    assert.equal(await store().getMapping(integrationId, 'account', '101'), undefined);
    assert.ok(await store().getMapping(integrationId, 'service', '101'), 'only that kind is deleted');
  });
});

describeEachStore('store contract: PSA ledger', ({ store }) => {
  test('companies page by id, count every match and search names without case', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    await store().insertPartner(partnerRecord('p2', 'Other'), 't2');
    const names = [
      'Contoso',
      'contoso labs',
      'Fabrikam',
      '50% Off Ltd',
      '500 Corp',
      'under_score',
      'underXscore',
    ];
    for (const [i, name] of names.entries()) {
      await store().insertCompany({ id: `c${i}`, partnerId: 'p1', name, createdAtMs: T0_MS });
    }
    await store().insertCompany({ id: 'c9', partnerId: 'p2', name: 'Contoso', createdAtMs: T0_MS });

    const page1 = await store().listCompanies('p1', { limit: 3 });
    assert.deepEqual(
      page1.rows.map((c) => c.id),
      ['c0', 'c1', 'c2'],
    );
    assert.equal(page1.total, names.length);
    const page2 = await store().listCompanies('p1', { afterId: 'c2', limit: 3 });
    assert.deepEqual(
      page2.rows.map((c) => c.id),
      ['c3', 'c4', 'c5'],
    );

    const search = async (text: string) =>
      (await store().listCompanies('p1', { search: text })).rows.map((c) => c.name);
    assert.deepEqual(await search('CONTOSO'), ['Contoso', 'contoso labs']);
    assert.deepEqual(await search('50%'), ['50% Off Ltd'], '% is a character, not a wildcard');
    assert.deepEqual(await search('r_s'), ['under_score'], '_ is a character, not a wildcard');
    assert.equal((await store().listCompanies('p1', { search: 'contoso' })).total, 2);

    assert.deepEqual(await store().getCompany('p1', 'c2'), {
      id: 'c2',
      partnerId: 'p1',
      name: 'Fabrikam',
      createdAtMs: T0_MS,
    });
    assert.equal(await store().getCompany('p2', 'c2'), undefined, "another partner's company is not found");

    const many = (await store().getCompanies('p1', ['c2', 'missing', 'c0', 'c2'])).map((c) => c.name).sort();
    assert.deepEqual(many, ['Contoso', 'Fabrikam'], 'found ids once each; unknown ids are left out');
    assert.deepEqual(
      await store().getCompanies('p2', ['c2']),
      [],
      "another partner's companies are not found",
    );
    assert.deepEqual(await store().getCompanies('p1', []), []);
  });

  test('products keep exact money in micros and are listed by name', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    const product = (id: string, name: string, priceMicros: number): Product => ({
      id,
      partnerId: 'p1',
      name,
      unitPriceMicros: priceMicros,
      unitCostMicros: Math.floor(priceMicros / 3),
      createdAtMs: T0_MS,
    });
    // Beyond 2^32, to prove BIGINT money survives the round trip as an exact number.
    await store().insertProduct(product('pr1', 'Zed', 123_456_789_012_345));
    await store().insertProduct(product('pr2', 'Alpha', 1));
    assert.deepEqual(await store().getProduct('p1', 'pr1'), product('pr1', 'Zed', 123_456_789_012_345));
    assert.equal(await store().getProduct('other', 'pr1'), undefined);
    assert.deepEqual(
      (await store().listProducts('p1')).map((p) => p.id),
      ['pr2', 'pr1'],
    );
  });
});

describeEachStore('store contract: counts, history and waiting counts', ({ store }) => {
  test('the current count is set, not added, and keeps decimals', async () => {
    const { integrationId } = await seedBase(store());
    const count = {
      integrationId,
      accountId: '101',
      serviceId: 's1',
      unitCount: 12.5,
      revision: 1,
      updatedAtMs: T0_MS,
    };
    await store().putCount(count);
    await store().putCount({ ...count, unitCount: 7, revision: 2, updatedAtMs: T0_MS + 1 });
    await store().putCount({ ...count, serviceId: 's2', unitCount: 0.25, revision: 3 });

    assert.deepEqual(await store().getCount(integrationId, '101', 's1'), {
      ...count,
      unitCount: 7,
      revision: 2,
      updatedAtMs: T0_MS + 1,
    });
    assert.equal(await store().getCount(integrationId, '101', 's3'), undefined);
    assert.deepEqual((await store().listCounts(integrationId)).map((c) => c.unitCount).sort(), [0.25, 7]);
  });

  test('recordCount sets the count, appends history with the replaced value and forgets the waiting entry', async () => {
    const { integrationId } = await seedBase(store());
    const at = (unitCount: number, revision: number) => ({
      count: {
        integrationId,
        accountId: '101',
        serviceId: 's1',
        unitCount,
        revision,
        updatedAtMs: T0_MS + revision,
      },
      entry: {
        integrationId,
        accountId: '101',
        serviceId: 's1',
        atMs: T0_MS + revision,
        unitCount,
        revision,
        requestId: `r${revision}`,
        idempotencyKey: revision === 2 ? 'key-2' : null,
      },
    });
    await store().rememberWaiting({
      integrationId,
      accountId: '101',
      serviceId: 's1',
      unitCount: 4,
      reason: 'service_unmapped',
      lastAttemptAtMs: T0_MS,
    });
    const first = at(10, 1);
    assert.equal(await store().recordCount(first.count, first.entry), null);
    const second = at(12.5, 2);
    assert.equal(await store().recordCount(second.count, second.entry), 10);
    assert.deepEqual(await store().getCount(integrationId, '101', 's1'), second.count);
    const history = await store().listHistory(integrationId, { limit: 10 });
    assert.deepEqual(
      history.map((h) => [h.unitCount, h.previousUnitCount, h.requestId, h.idempotencyKey]),
      [
        [12.5, 10, 'r2', 'key-2'],
        [10, null, 'r1', null],
      ],
    );
    assert.deepEqual(await store().listWaiting(integrationId), []);
  });

  test('an account is read with its mapping, and a service id with what it names', async () => {
    const { integrationId } = await seedBase(store());
    const item = {
      integrationId,
      name: 'Item',
      description: '',
      isActive: true,
      isArrears: false,
      createdAtMs: T0_MS,
      updatedAtMs: T0_MS,
    };
    await store().upsertAccount({ ...item, id: '101' });
    await store().upsertAccount({ ...item, id: '102' });
    await store().putMapping({
      integrationId,
      kind: 'account',
      itemId: '101',
      targetId: 'company-1',
      excluded: false,
      updatedAtMs: T0_MS,
    });
    assert.deepEqual(await store().getMappedAccount(integrationId, '101'), {
      account: { ...item, id: '101' },
      mapping: {
        integrationId,
        kind: 'account',
        itemId: '101',
        targetId: 'company-1',
        excluded: false,
        updatedAtMs: T0_MS,
      },
    });
    assert.deepEqual(await store().getMappedAccount(integrationId, '102'), {
      account: { ...item, id: '102' },
      mapping: undefined,
    });
    assert.equal(await store().getMappedAccount(integrationId, '999'), undefined);

    const skuId = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    await store().insertSku({
      id: skuId,
      vendorId: 'vendor',
      name: 'S',
      description: '',
      category: 'backup',
      subcategory: 'cloud backup',
      supportArticle: null,
      supportContact: null,
      logo: null,
      createdAtMs: T0_MS,
      updatedAtMs: T0_MS,
    });
    await store().insertOrgService({ ...item, id: 'org-1', isActive: false });
    await store().putMapping({
      integrationId,
      kind: 'service',
      itemId: skuId,
      targetId: null,
      excluded: true,
      updatedAtMs: T0_MS + 1,
    });
    assert.deepEqual(await store().getServiceFacts(integrationId, 'vendor', skuId), {
      orgServiceActive: null,
      skuExists: true,
      mapping: {
        integrationId,
        kind: 'service',
        itemId: skuId,
        targetId: null,
        excluded: true,
        updatedAtMs: T0_MS + 1,
      },
    });
    assert.deepEqual(await store().getServiceFacts(integrationId, 'vendor', 'org-1'), {
      orgServiceActive: false,
      skuExists: false,
      mapping: undefined,
    });
    assert.deepEqual(await store().getServiceFacts(integrationId, 'other-vendor', skuId), {
      orgServiceActive: null,
      skuExists: false,
      mapping: {
        integrationId,
        kind: 'service',
        itemId: skuId,
        targetId: null,
        excluded: true,
        updatedAtMs: T0_MS + 1,
      },
    });
  });

  test('history gets increasing ids, lists newest first, filters and pages', async () => {
    const { integrationId } = await seedBase(store());
    const entry = (accountId: string, unitCount: number, revision: number): Omit<HistoryEntry, 'id'> => ({
      integrationId,
      accountId,
      serviceId: 's1',
      atMs: T0_MS + revision,
      unitCount,
      previousUnitCount: revision === 1 ? null : unitCount - 1,
      revision,
      requestId: `req-${revision}`,
      idempotencyKey: revision === 2 ? 'key-2' : null,
    });
    await store().appendHistory(entry('101', 10, 1));
    await store().appendHistory(entry('102', 20, 2));
    await store().appendHistory(entry('101', 11, 3));

    const all = await store().listHistory(integrationId, { limit: 10 });
    assert.deepEqual(
      all.map((e) => e.revision),
      [3, 2, 1],
    );
    assert.ok((all[0]?.id ?? 0) > (all[1]?.id ?? 0) && (all[1]?.id ?? 0) > (all[2]?.id ?? 0));
    const { id: _id, ...newest } = all[0] as HistoryEntry;
    assert.deepEqual(newest, entry('101', 11, 3));
    assert.equal(all[1]?.idempotencyKey, 'key-2');

    assert.deepEqual(
      (await store().listHistory(integrationId, { accountId: '101', limit: 10 })).map((e) => e.unitCount),
      [11, 10],
    );
    assert.deepEqual(await store().listHistory(integrationId, { serviceId: 's2', limit: 10 }), []);
    const page = await store().listHistory(integrationId, { beforeId: all[0]?.id, limit: 1 });
    assert.deepEqual(
      page.map((e) => e.revision),
      [2],
    );
  });

  test('a waiting count is remembered with its attempts, listed newest first and forgotten', async () => {
    const { integrationId } = await seedBase(store());
    const waiting = {
      integrationId,
      accountId: '900',
      serviceId: 's1',
      unitCount: 4,
      reason: 'account_unmapped' as const,
      lastAttemptAtMs: T0_MS,
    };
    await store().rememberWaiting(waiting);
    await store().rememberWaiting({
      ...waiting,
      unitCount: 6,
      reason: 'service_unmapped',
      lastAttemptAtMs: T0_MS + 2,
    });
    await store().rememberWaiting({ ...waiting, accountId: '901', lastAttemptAtMs: T0_MS + 1 });

    const list = await store().listWaiting(integrationId);
    assert.deepEqual(list, [
      { ...waiting, unitCount: 6, reason: 'service_unmapped', attempts: 2, lastAttemptAtMs: T0_MS + 2 },
      { ...waiting, accountId: '901', attempts: 1, lastAttemptAtMs: T0_MS + 1 },
    ]);
    await store().forgetWaiting(integrationId, '900', 's1');
    assert.deepEqual(
      (await store().listWaiting(integrationId)).map((w) => w.accountId),
      ['901'],
    );
  });
});

describeEachStore('store contract: build states and billing rows', ({ store }) => {
  test('a build state round-trips every field, nulls included', async () => {
    const { integrationId } = await seedBase(store());
    await store().insertBuildState(buildState(integrationId));
    assert.deepEqual(await store().getBuildState(integrationId), buildState(integrationId));
    const busy = buildState(integrationId, {
      revision: 9,
      builtRevision: 4,
      unbuiltChanges: 2,
      firstUnbuiltAtMs: T0_MS,
      dueAtMs: T0_MS + 2000,
      buildingUntilMs: T0_MS + 60_000,
      claimedRevision: 7,
      claimedChanges: 3,
      lastBuiltAtMs: T0_MS - 1,
      builds: 5,
    });
    await store().updateBuildState(busy);
    assert.deepEqual(await store().getBuildState(integrationId), busy);
    assert.deepEqual(await store().lockBuildState(integrationId), busy);
    assert.equal(await store().getBuildState('missing'), undefined);
    assert.equal(await store().lockBuildState('missing'), undefined);
  });

  test("billing rows are replaced per integration and leave other integrations' rows alone", async () => {
    const a = await seedBase(store(), 'a');
    const b = await seedBase(store(), 'b');
    await store().replaceBillingRows(a.integrationId, billingRows(a.integrationId, 3, 1));
    await store().replaceBillingRows(b.integrationId, billingRows(b.integrationId, 2, 1));
    // More rows than one INSERT carries, to cover the chunking.
    const rewritten = billingRows(a.integrationId, 1234, 2);
    await store().replaceBillingRows(a.integrationId, rewritten);

    assert.deepEqual(byKey(await store().listBillingRows([a.integrationId])), byKey(rewritten));
    assert.deepEqual(
      byKey(await store().listBillingRows([b.integrationId])),
      byKey(billingRows(b.integrationId, 2, 1)),
    );
    assert.equal((await store().listBillingRows([a.integrationId, b.integrationId])).length, 1236);
    assert.deepEqual(await store().listBillingRows([]), []);

    await store().replaceBillingRows(a.integrationId, []);
    assert.deepEqual(await store().listBillingRows([a.integrationId]), [], 'an empty build clears the view');
  });
});

describeEachStore('store contract: idempotency keys, alerts and tickets', ({ store }) => {
  test('idempotency records are kept per integration, replaced by key and expired by age', async () => {
    const record = {
      integrationId: 'i1',
      key: 'k1',
      bodyHash: 'b1',
      statusCode: 201,
      responseJson: '{"status":201}',
      createdAtMs: T0_MS,
    };
    await store().putIdempotency(record);
    await store().putIdempotency({ ...record, integrationId: 'i2', createdAtMs: T0_MS + 10 });
    assert.deepEqual(await store().getIdempotency('i1', 'k1'), record);
    assert.equal(await store().getIdempotency('i1', 'k2'), undefined);

    const replaced = {
      ...record,
      bodyHash: 'b2',
      statusCode: 404,
      responseJson: '{}',
      createdAtMs: T0_MS + 5,
    };
    await store().putIdempotency(replaced);
    assert.deepEqual(await store().getIdempotency('i1', 'k1'), replaced);

    assert.equal(await store().deleteIdempotencyBefore(T0_MS + 6), 1);
    assert.equal(await store().getIdempotency('i1', 'k1'), undefined);
    assert.ok(await store().getIdempotency('i2', 'k1'));
  });

  test('alerts queue in order, settle once, and tickets list newest first', async () => {
    const alert = (messageId: string, createdAtMs: number): AlertRecord => ({
      messageId,
      integrationId: 'i1',
      accountId: '101',
      alertId: `vendor-${messageId}`,
      correlationId: `corr-${messageId}`,
      payloadJson: '{"title":"Disk full"}',
      status: 'pending',
      ticketId: null,
      statusCode: null,
      errorsJson: null,
      createdAtMs,
      processedAtMs: null,
    });
    await store().insertAlert(alert('m2', T0_MS + 2));
    await store().insertAlert(alert('m1', T0_MS + 1));
    await store().insertAlert(alert('m3', T0_MS + 3));
    assert.deepEqual(await store().getAlert('m1'), alert('m1', T0_MS + 1));
    assert.equal(await store().getAlert('m9'), undefined);
    assert.deepEqual(
      (await store().listPendingAlerts(2)).map((a) => a.messageId),
      ['m1', 'm2'],
    );

    const success = {
      ...alert('m1', T0_MS + 1),
      status: 'success' as const,
      ticketId: 't1',
      processedAtMs: T0_MS + 9,
    };
    assert.equal(await store().settleAlert(success), true);
    assert.equal(
      await store().settleAlert({ ...success, status: 'failed', statusCode: 500 }),
      false,
      'a settled alert is not settled again',
    );
    assert.deepEqual(await store().getAlert('m1'), success);

    const failed = {
      ...alert('m2', T0_MS + 2),
      status: 'failed' as const,
      statusCode: 422,
      errorsJson: '["x"]',
    };
    await store().updateAlert(failed);
    assert.deepEqual(await store().getAlert('m2'), failed);
    assert.deepEqual(
      (await store().listPendingAlerts(10)).map((a) => a.messageId),
      ['m3'],
    );

    const ticket = (id: string, createdAtMs: number): TicketRecord => ({
      id,
      partnerId: 'p1',
      companyId: id === 't1' ? 'c1' : null,
      integrationId: 'i1',
      title: 'Disk full',
      description: 'on server 2',
      priority: 3,
      status: 1,
      dueAtMs: id === 't1' ? T0_MS + 86_400_000 : null,
      createdAtMs,
    });
    await store().insertTicket(ticket('t1', T0_MS));
    await store().insertTicket(ticket('t2', T0_MS + 1));
    assert.deepEqual(await store().listTickets('p1'), [ticket('t2', T0_MS + 1), ticket('t1', T0_MS)]);
    assert.deepEqual(await store().listTickets('p2'), []);
  });
});
