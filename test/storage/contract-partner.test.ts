/**
 * The store contract for the partner side: the PSA ledger's edits and bulk imports, agreements and
 * their lines, partner users and sessions, card decisions and the audit log, disconnecting and
 * purging an integration. Same assertions on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  Agreement,
  AgreementLine,
  AuditEntry,
  CardAction,
  Company,
  HistoryEntry,
  PartnerUser,
  Product,
} from '../../src/core/model.js';
import { T0_MS, billingRows, describeEachStore, partnerRecord, seedBase } from './contract-support.js';

const company = (id: string, name: string, partnerId = 'p1'): Company => ({
  id,
  partnerId,
  name,
  createdAtMs: T0_MS,
});

const product = (id: string, name: string, partnerId = 'p1'): Product => ({
  id,
  partnerId,
  name,
  unitPriceMicros: 12_500_000,
  unitCostMicros: 7_000_000,
  createdAtMs: T0_MS,
});

const agreementLine = (id: string, overrides: Partial<AgreementLine> = {}): AgreementLine => ({
  id,
  partnerId: 'p1',
  agreementId: 'a1',
  companyId: 'c1',
  productId: 'pr1',
  quantity: 10,
  active: true,
  createdAtMs: T0_MS,
  updatedAtMs: T0_MS,
  ...overrides,
});

describeEachStore('store contract: PSA ledger edits', ({ store }) => {
  test('companies and products are found by exact name ignoring case, edited and deleted', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    await store().insertPartner(partnerRecord('p2', 'Other'), 't2');
    await store().insertCompany(company('c1', 'Contoso Ltd'));
    await store().insertCompany(company('c2', 'Contoso'));
    await store().insertCompany(company('c3', 'Contoso', 'p2'));
    await store().insertProduct(product('pr1', 'Cloud Backup'));

    assert.equal((await store().findCompanyByName('p1', 'CONTOSO'))?.id, 'c2', 'whole name, any case');
    assert.equal(await store().findCompanyByName('p1', 'Contoso L'), undefined);
    assert.equal((await store().findCompanyByName('p2', 'contoso'))?.id, 'c3', "only the partner's own");
    assert.equal((await store().findProductByName('p1', 'cloud backup'))?.id, 'pr1');
    assert.equal(await store().findProductByName('p2', 'cloud backup'), undefined);

    await store().updateCompany({ ...company('c1', 'Contoso Group'), createdAtMs: 1 });
    assert.deepEqual(
      await store().getCompany('p1', 'c1'),
      company('c1', 'Contoso Group'),
      'only the name changes',
    );
    await store().updateCompany(company('c3', 'Renamed by the wrong partner'));
    assert.equal((await store().getCompany('p2', 'c3'))?.name, 'Contoso', 'an edit is scoped to its partner');

    const repriced = {
      ...product('pr1', 'Cloud Backup Pro'),
      unitPriceMicros: 15_000_000,
      unitCostMicros: 1,
    };
    await store().updateProduct(repriced);
    assert.deepEqual(await store().getProduct('p1', 'pr1'), repriced);

    await store().deleteCompany('p1', 'c2');
    await store().deleteProduct('p1', 'pr1');
    await store().deleteCompany('p1', 'c3'); // another partner's: untouched
    assert.equal(await store().getCompany('p1', 'c2'), undefined);
    assert.equal(await store().getProduct('p1', 'pr1'), undefined);
    assert.ok(await store().getCompany('p2', 'c3'));
  });

  test('bulk inserts write every row, beyond one statement, and all or nothing in a transaction', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    const companies = Array.from({ length: 1203 }, (_, i) =>
      company(`c${String(i).padStart(4, '0')}`, `Co ${i}`),
    );
    const products = Array.from({ length: 601 }, (_, i) =>
      product(`pr${String(i).padStart(4, '0')}`, `P ${i}`),
    );
    await store().insertCompanies(companies);
    await store().insertProducts(products);
    assert.equal((await store().listCompanies('p1', {})).total, 1203);
    assert.equal((await store().listProducts('p1')).length, 601);
    await store().insertCompanies([]);

    await assert.rejects(
      store().transaction(async (tx) => {
        await tx.insertCompanies([company('new-1', 'New 1'), company('c0000', 'duplicate id')]);
      }),
    );
    assert.equal(await store().getCompany('p1', 'new-1'), undefined, 'the failed import left nothing');
  });

  test('mappings to a company or product are counted across integrations', async () => {
    const a = await seedBase(store(), 'a');
    const b = await seedBase(store(), 'b');
    const map = (integrationId: string, kind: 'account' | 'service', itemId: string, targetId: string) =>
      store().putMapping({ integrationId, kind, itemId, targetId, excluded: false, updatedAtMs: T0_MS });
    await map(a.integrationId, 'account', '101', 'c1');
    await map(a.integrationId, 'account', '102', 'c1');
    await map(b.integrationId, 'account', '101', 'c1');
    await map(b.integrationId, 'service', 's1', 'c1');
    assert.equal(await store().countMappingsTo('account', 'c1'), 3);
    assert.equal(await store().countMappingsTo('service', 'c1'), 1, 'counted per kind');
    assert.equal(await store().countMappingsTo('account', 'c9'), 0);
  });
});

describeEachStore('store contract: agreements and their lines', ({ store }) => {
  const seedLedger = async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    await store().insertCompany(company('c1', 'Contoso'));
    await store().insertCompany(company('c2', 'Fabrikam'));
    await store().insertProduct(product('pr1', 'Backup'));
    await store().insertProduct(product('pr2', 'Mail'));
  };
  const agreement = (id: string, companyId: string, name: string): Agreement => ({
    id,
    partnerId: 'p1',
    companyId,
    name,
    createdAtMs: T0_MS,
  });

  test('agreements are listed by company then name, filtered, edited and deleted', async () => {
    await seedLedger();
    await store().insertAgreement(agreement('a3', 'c2', 'Main'));
    await store().insertAgreement(agreement('a2', 'c1', 'Support'));
    await store().insertAgreement(agreement('a1', 'c1', 'Backup'));
    assert.deepEqual(
      (await store().listAgreements('p1', {})).map((a) => a.id),
      ['a1', 'a2', 'a3'],
    );
    assert.deepEqual(
      (await store().listAgreements('p1', { companyId: 'c2' })).map((a) => a.id),
      ['a3'],
    );
    await store().updateAgreement({ ...agreement('a1', 'c1', 'Backup 2026'), createdAtMs: 1 });
    assert.deepEqual(await store().getAgreement('p1', 'a1'), agreement('a1', 'c1', 'Backup 2026'));
    assert.equal(await store().getAgreement('p2', 'a1'), undefined);
    await store().deleteAgreement('p1', 'a3');
    assert.equal(await store().getAgreement('p1', 'a3'), undefined);
  });

  test('agreement lines round-trip, list in creation order and filter by company, product, agreement and activity', async () => {
    await seedLedger();
    await store().insertAgreement(agreement('a1', 'c1', 'Main'));
    await store().insertAgreement(agreement('a2', 'c2', 'Main'));
    await store().insertAgreementLine(agreementLine('l3', { createdAtMs: T0_MS + 2, quantity: 2.5 }));
    await store().insertAgreementLines([
      agreementLine('l2', { createdAtMs: T0_MS + 1, productId: 'pr2', active: false }),
      agreementLine('l1', { createdAtMs: T0_MS + 1, agreementId: 'a2', companyId: 'c2' }),
    ]);
    await store().insertAgreementLines([]);

    assert.deepEqual(
      await store().getAgreementLine('p1', 'l3'),
      agreementLine('l3', { createdAtMs: T0_MS + 2, quantity: 2.5 }),
    );
    const ids = async (filter: Parameters<ReturnType<typeof store>['listAgreementLines']>[1]) =>
      (await store().listAgreementLines('p1', filter)).map((l) => l.id);
    assert.deepEqual(await ids({}), ['l1', 'l2', 'l3'], 'by creation, then id');
    assert.deepEqual(await ids({ companyId: 'c1' }), ['l2', 'l3']);
    assert.deepEqual(await ids({ productId: 'pr2' }), ['l2']);
    assert.deepEqual(await ids({ agreementId: 'a2' }), ['l1']);
    assert.deepEqual(await ids({ companyId: 'c1', activeOnly: true }), ['l3']);

    const changed = agreementLine('l3', {
      createdAtMs: T0_MS + 2,
      quantity: 40,
      active: false,
      updatedAtMs: T0_MS + 9,
    });
    await store().updateAgreementLine(changed);
    assert.deepEqual(await store().getAgreementLine('p1', 'l3'), changed);
    await store().deleteAgreementLine('p1', 'l2');
    assert.deepEqual(await ids({}), ['l1', 'l3']);
    assert.equal(await store().getAgreementLine('p2', 'l1'), undefined);
  });

  test('a line needs an existing agreement, company and product', async () => {
    await seedLedger();
    await store().insertAgreement(agreement('a1', 'c1', 'Main'));
    await assert.rejects(store().insertAgreementLine(agreementLine('l1', { productId: 'missing' })));
    await assert.rejects(store().insertAgreementLine(agreementLine('l2', { agreementId: 'missing' })));
  });
});

describeEachStore('store contract: partner users and sessions', ({ store }) => {
  const user: PartnerUser = {
    id: 'u1',
    partnerId: 'p1',
    email: 'ops@msp.example',
    name: 'Ops',
    createdAtMs: T0_MS,
  };

  test('users are found by email with their password digest, which can be replaced; emails are unique', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    await store().insertPartnerUser(user, 'scrypt$1');
    assert.deepEqual(await store().findPartnerUserByEmail('ops@msp.example'), {
      user,
      passwordHash: 'scrypt$1',
    });
    assert.equal(await store().findPartnerUserByEmail('other@msp.example'), undefined);
    await store().setPartnerUserPassword('u1', 'scrypt$2');
    assert.equal((await store().findPartnerUserByEmail('ops@msp.example'))?.passwordHash, 'scrypt$2');
    await assert.rejects(store().insertPartnerUser({ ...user, id: 'u2' }, 'x'));
  });

  test('a session is found with its user and partner until it expires, and deleted', async () => {
    await store().insertPartner(partnerRecord('p1', 'MSP'), 't1');
    await store().insertPartnerUser(user, 'h');
    const session = {
      tokenHash: 's1',
      userId: 'u1',
      partnerId: 'p1',
      createdAtMs: T0_MS,
      expiresAtMs: T0_MS + 1000,
    };
    await store().insertSession(session);
    await store().insertSession({ ...session, tokenHash: 's2', expiresAtMs: T0_MS + 10 });

    assert.deepEqual(await store().findSession('s1', T0_MS + 999), {
      session,
      user,
      partner: partnerRecord('p1', 'MSP'),
    });
    assert.equal(await store().findSession('s1', T0_MS + 1000), undefined, 'expired at its end');
    assert.equal(await store().findSession('nope', T0_MS), undefined);

    assert.equal(await store().deleteSessionsExpiredBefore(T0_MS + 10), 1);
    assert.ok(await store().findSession('s1', T0_MS));
    await store().deleteSession('s1');
    assert.equal(await store().findSession('s1', T0_MS), undefined);

    for (const tokenHash of ['a', 'b', 'c']) await store().insertSession({ ...session, tokenHash });
    assert.equal(await store().deleteOtherSessions('u1', 'b'), 2);
    assert.ok(await store().findSession('b', T0_MS), 'the kept session stays');
    assert.equal(await store().findSession('a', T0_MS), undefined);
  });
});

describeEachStore('store contract: card decisions, the audit log and history of pairs', ({ store }) => {
  test('a card decision is kept per partner, period and card, and replaced by the next one', async () => {
    const action: CardAction = {
      partnerId: 'p1',
      period: '2026-03',
      cardId: 'c1|pr1',
      action: 'approve',
      quantity: 12,
      effectiveDate: '2026-04-01',
      vendorQuantity: 12,
      by: 'ops@msp.example',
      atMs: T0_MS,
    };
    await store().putCardAction(action);
    await store().putCardAction({
      ...action,
      cardId: 'c2|pr1',
      action: 'dismiss',
      quantity: null,
      effectiveDate: null,
    });
    await store().putCardAction({ ...action, period: '2026-04' });
    const adjusted = {
      ...action,
      action: 'adjust' as const,
      quantity: 11.5,
      by: 'api token',
      atMs: T0_MS + 1,
    };
    await store().putCardAction(adjusted);

    const march = await store().listCardActions('p1', '2026-03');
    assert.deepEqual(
      [...march].sort((a, b) => (a.cardId < b.cardId ? -1 : 1)),
      [adjusted, { ...action, cardId: 'c2|pr1', action: 'dismiss', quantity: null, effectiveDate: null }],
    );
    assert.equal((await store().listCardActions('p1', '2026-04')).length, 1);
    assert.deepEqual(await store().listCardActions('p2', '2026-03'), []);
  });

  test('audit entries get increasing ids and list newest first, per partner, up to a limit', async () => {
    const entry = (n: number, partnerId = 'p1'): Omit<AuditEntry, 'id'> => ({
      partnerId,
      atMs: T0_MS + n,
      by: 'ops@msp.example',
      period: '2026-03',
      cardId: 'c1|pr1',
      companyId: 'c1',
      productId: 'pr1',
      action: n % 2 ? 'approve' : 'dismiss',
      fromQuantity: n,
      toQuantity: n % 2 ? n + 1 : null,
      effectiveDate: n % 2 ? '2026-04-01' : null,
      agreementLineId: n % 2 ? `l${n}` : null,
    });
    for (let n = 1; n <= 4; n++) await store().insertAuditEntry(entry(n));
    await store().insertAuditEntry(entry(9, 'p2'));
    const listed = await store().listAuditEntries('p1', 3);
    assert.deepEqual(
      listed.map(({ id: _id, ...rest }) => rest),
      [entry(4), entry(3), entry(2)],
    );
    assert.ok((listed[0]?.id ?? 0) > (listed[1]?.id ?? 0));
  });

  test('the history of chosen accounts × services of one integration lists newest first, up to a limit', async () => {
    const { integrationId } = await seedBase(store());
    const append = (accountId: string, serviceId: string, revision: number) =>
      store().appendHistory({
        integrationId,
        accountId,
        serviceId,
        atMs: T0_MS + revision,
        unitCount: revision,
        previousUnitCount: null,
        revision,
        requestId: `r${revision}`,
        idempotencyKey: null,
      });
    await append('101', 's1', 1);
    await append('102', 's1', 2);
    await append('101', 's2', 3);
    await append('103', 's1', 4);
    await append('101', 's1', 5);
    const revisions = (entries: HistoryEntry[]) => entries.map((e) => e.revision);
    assert.deepEqual(
      revisions(
        await store().listHistoryOfPairs(
          integrationId,
          { accountIds: ['101', '102'], serviceIds: ['s1'] },
          10,
        ),
      ),
      [5, 2, 1],
    );
    assert.deepEqual(
      revisions(
        await store().listHistoryOfPairs(integrationId, { accountIds: ['101'], serviceIds: ['s1', 's2'] }, 2),
      ),
      [5, 3],
    );
    assert.deepEqual(
      await store().listHistoryOfPairs(integrationId, { accountIds: [], serviceIds: ['s1'] }, 10),
      [],
    );
  });
});

describeEachStore('store contract: disconnecting and purging an integration', ({ store }) => {
  test("a purge deletes what the integration holds of the vendor and keeps its history and other integrations' data", async () => {
    const a = await seedBase(store(), 'a');
    const b = await seedBase(store(), 'b');
    for (const { integrationId } of [a, b]) {
      for (const id of ['101', '102']) {
        await store().upsertAccount({
          integrationId,
          id,
          name: id,
          description: '',
          isActive: true,
          isArrears: false,
          createdAtMs: T0_MS,
          updatedAtMs: T0_MS,
        });
        await store().putMapping({
          integrationId,
          kind: 'account',
          itemId: id,
          targetId: 'c1',
          excluded: false,
          updatedAtMs: T0_MS,
        });
        await store().putCount({
          integrationId,
          accountId: id,
          serviceId: 's1',
          unitCount: 3,
          revision: 1,
          updatedAtMs: T0_MS,
        });
      }
      await store().insertOrgService({
        integrationId,
        id: 'svc',
        name: 'Seats',
        description: '',
        isActive: true,
        isArrears: false,
        createdAtMs: T0_MS,
        updatedAtMs: T0_MS,
      });
      await store().rememberWaiting({
        integrationId,
        accountId: '900',
        serviceId: 's1',
        unitCount: 1,
        reason: 'account_unmapped',
        lastAttemptAtMs: T0_MS,
      });
      await store().replaceBillingRows(integrationId, billingRows(integrationId, 2, 1));
      await store().putIdempotency({
        integrationId,
        key: 'k',
        bodyHash: 'b',
        statusCode: 201,
        responseJson: '{}',
        createdAtMs: T0_MS,
      });
      await store().appendHistory({
        integrationId,
        accountId: '101',
        serviceId: 's1',
        atMs: T0_MS,
        unitCount: 3,
        previousUnitCount: null,
        revision: 1,
        requestId: 'r',
        idempotencyKey: null,
      });
    }

    await store().disconnectIntegration(a.integrationId, T0_MS + 5);
    assert.deepEqual(await store().purgeIntegration(a.integrationId), {
      accounts: 2,
      services: 1,
      counts: 2,
      mappings: 2,
    });
    const ia = a.integrationId;
    assert.deepEqual(await store().listAccounts(ia), []);
    assert.deepEqual(await store().listOrgServices(ia), []);
    assert.deepEqual(await store().listCounts(ia), []);
    assert.deepEqual(await store().listMappings(ia, 'account'), []);
    assert.deepEqual(await store().listWaiting(ia), []);
    assert.deepEqual(await store().listBillingRows([ia]), []);
    assert.equal(await store().getIdempotency(ia, 'k'), undefined);
    assert.equal((await store().listHistory(ia, { limit: 10 })).length, 1, 'the history stays');

    const ib = b.integrationId;
    assert.equal((await store().listAccounts(ib)).length, 2, 'the other integration is untouched');
    assert.equal((await store().listCounts(ib)).length, 2);
    assert.equal((await store().listBillingRows([ib])).length, 2);

    assert.equal((await store().getIntegration(ia))?.disconnectedAtMs, T0_MS + 5);
    await store().reconnectIntegration(ia);
    assert.equal((await store().getIntegration(ia))?.disconnectedAtMs, null, 'reconnected');
  });
});
