/**
 * The staged import: rows staged in short transactions stay out of sight until one swap makes them
 * real together; a swap over a ledger that lost a row it needs takes nothing; a dead batch is swept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TallyError } from '../../src/core/errors.js';
import type { AgreementLine, Company, Product } from '../../src/core/model.js';
import { T0_MS, describeEachStore, partnerRecord } from './contract-support.js';

const company = (id: string, name: string): Company => ({ id, partnerId: 'p1', name, createdAtMs: T0_MS });
const product = (id: string, name: string, priceMicros = 5_000_000): Product => ({
  id,
  partnerId: 'p1',
  name,
  unitPriceMicros: priceMicros,
  unitCostMicros: 1_000_000,
  createdAtMs: T0_MS,
});
const line = (id: string, agreementId: string, productId: string, quantity: number): AgreementLine => ({
  id,
  partnerId: 'p1',
  agreementId,
  companyId: 'c1',
  productId,
  quantity,
  active: true,
  createdAtMs: T0_MS,
  updatedAtMs: T0_MS,
});

describeEachStore('store contract: staged imports', ({ store }) => {
  test('staged rows are invisible until the swap makes them real at once', async () => {
    const s = store();
    await s.insertPartner(partnerRecord('p1', 'Partner'), 'hash');
    await s.insertCompany(company('c1', 'Contoso'));
    await s.insertProduct(product('prod1', 'Backup'));
    await s.beginImportBatch({ id: 'b1', partnerId: 'p1', startedAtMs: T0_MS });
    await s.transaction((tx) =>
      tx.stageImportRows('b1', {
        companies: [company('c2', 'Fabrikam'), company('c3', 'CONTOSO')],
        products: [
          { product: product('prod2', 'Email'), replaces: false },
          { product: product('prod1', 'Backup', 7_000_000), replaces: true },
        ],
        agreements: [{ id: 'a1', partnerId: 'p1', companyId: 'c1', name: 'MSA', createdAtMs: T0_MS }],
      }),
    );
    await s.transaction((tx) =>
      tx.stageImportRows('b1', { lines: [{ line: line('l1', 'a1', 'prod2', 4), replaces: false }] }),
    );
    assert.deepEqual(
      (await s.listCompanies('p1', {})).rows.map((c) => c.name),
      ['Contoso'],
      'nothing staged shows',
    );
    assert.equal((await s.getProduct('p1', 'prod1'))?.unitPriceMicros, 5_000_000);
    assert.deepEqual(await s.listAgreementLines('p1', {}), []);

    const counts = await s.transaction((tx) => tx.swapImportBatch('b1'));
    // "CONTOSO" was already taken (in another case): not created twice.
    assert.deepEqual(counts, { created: 3, updated: 1 });
    assert.deepEqual((await s.listCompanies('p1', {})).rows.map((c) => c.name).sort(), [
      'Contoso',
      'Fabrikam',
    ]);
    assert.equal((await s.getProduct('p1', 'prod1'))?.unitPriceMicros, 7_000_000);
    const lines = await s.listAgreementLines('p1', {});
    assert.deepEqual(
      lines.map((l) => [l.id, l.agreementId, l.productId, l.quantity, l.active]),
      [['l1', 'a1', 'prod2', 4, true]],
    );
    assert.equal(await s.dropImportBatchesBefore(T0_MS + 1), 0, 'the swap forgot its batch');
  });

  test('a swap over a deleted product takes nothing and answers a conflict; dead batches are swept', async () => {
    const s = store();
    await s.insertPartner(partnerRecord('p1', 'Partner'), 'hash');
    await s.insertCompany(company('c1', 'Contoso'));
    await s.insertProduct(product('prod1', 'Backup'));
    await s.insertProduct(product('gone', 'Old'));
    await s.beginImportBatch({ id: 'b2', partnerId: 'p1', startedAtMs: T0_MS });
    await s.stageImportRows('b2', {
      companies: [company('c9', 'Northwind')],
      agreements: [{ id: 'a2', partnerId: 'p1', companyId: 'c1', name: 'MSA', createdAtMs: T0_MS }],
      lines: [
        { line: line('l2', 'a2', 'prod1', 1), replaces: false },
        { line: line('l3', 'a2', 'gone', 2), replaces: false },
      ],
    });
    await s.deleteProduct('p1', 'gone');
    await assert.rejects(
      s.transaction((tx) => tx.swapImportBatch('b2')),
      (error: unknown) =>
        error instanceof TallyError &&
        error.code === 'conflict' &&
        /Import the file again/.test(error.message),
    );
    assert.deepEqual(
      (await s.listCompanies('p1', {})).rows.map((c) => c.name),
      ['Contoso'],
    );
    assert.deepEqual(await s.listAgreements('p1', {}), []);
    assert.deepEqual(await s.listAgreementLines('p1', {}), []);

    // The batch is still staged (its process would drop it); a later import sweeps it by age.
    await s.beginImportBatch({ id: 'b3', partnerId: 'p1', startedAtMs: T0_MS + 3_600_000 });
    assert.equal(await s.dropImportBatchesBefore(T0_MS + 60_000), 1);
    await s.transaction((tx) => tx.swapImportBatch('b2'));
    assert.deepEqual(
      (await s.listCompanies('p1', {})).rows.map((c) => c.name),
      ['Contoso'],
      'b2 was swept',
    );
  });

  test('an agreement another import made meanwhile fails the swap: nothing of this file is imported', async () => {
    const s = store();
    await s.insertPartner(partnerRecord('p1', 'Partner'), 'hash');
    await s.insertCompany(company('c1', 'Contoso'));
    await s.insertProduct(product('prod1', 'Backup'));
    await s.beginImportBatch({ id: 'b4', partnerId: 'p1', startedAtMs: T0_MS });
    await s.stageImportRows('b4', {
      agreements: [{ id: 'a4', partnerId: 'p1', companyId: 'c1', name: 'MSA', createdAtMs: T0_MS }],
      lines: [{ line: line('l4', 'a4', 'prod1', 3), replaces: false }],
    });
    await s.insertAgreement({
      id: 'other',
      partnerId: 'p1',
      companyId: 'c1',
      name: 'msa',
      createdAtMs: T0_MS,
    });
    await assert.rejects(
      s.transaction((tx) => tx.swapImportBatch('b4')),
      (error: unknown) => error instanceof TallyError && error.code === 'conflict',
    );
    assert.deepEqual(
      (await s.listAgreements('p1', {})).map((a) => a.id),
      ['other'],
    );
    assert.deepEqual(await s.listAgreementLines('p1', {}), []);
  });
});
