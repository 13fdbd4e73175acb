import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMenuImportHandler } from '~/features/iiko/iiko-jobs.server';
import { productSchema } from '~/features/menu/menu.schema';
import { acceptIikoValues, updateProduct } from '~/features/menu/menu.service.server';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { createCategory, createProduct } from '../../factories';
import { createStaff } from '../../factories/staff';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { getJob, getLogs } from '../jobs/helpers';
import { DISHES, ORG_ID, productByIikoId, SEED, startFakeIiko, type FakeIiko } from './helpers';

/** MENU_IMPORT against the fake iiko process (IK-8, IK-9). */

let testDb: TestDatabase;
let iiko: FakeIiko;

beforeAll(async () => {
  testDb = await createTestDatabase();
  iiko = await startFakeIiko();
});
afterAll(async () => {
  await iiko?.stop();
  await testDb?.destroy();
});

const rubles = (p: (typeof DISHES)[number]) => p.sizePrices[0]!.price.currentPrice!.toFixed(2);

async function runImport() {
  const id = await enqueueJob(testDb.db, { type: 'MENU_IMPORT', resourceId: `org:${ORG_ID}` });
  expect(id).not.toBeNull();
  const runs = await runDueJobsOnce(testDb.db, {
    workerId: 'menu-test',
    types: ['MENU_IMPORT'],
    handlers: { MENU_IMPORT: createMenuImportHandler({ client: () => iiko.client() }) },
  });
  expect(runs).toHaveLength(1);
  return { run: runs[0]!, job: await getJob(testDb.db, id!) };
}

async function storedRevision() {
  const row = await testDb.db
    .selectFrom('app_setting')
    .select('value')
    .where('key', '=', 'iiko.menu_revision')
    .executeTakeFirstOrThrow();
  return row.value;
}

describe('MENU_IMPORT', () => {
  const [plain, overridden, same, skuTaken, later] = DISHES;

  it('a full import updates, keeps overrides (reporting conflicts), and creates unknown products inactive', async () => {
    const category = await createCategory(testDb.db, { iiko_group_id: skuTaken!.groupId });
    const a = await createProduct(testDb.db, {
      iiko_product_id: plain!.id,
      base_price: '1.00',
      name_ru: 'Старое название',
      name_en: 'Keep my English',
      description_ru: 'Наше описание',
    });
    const b = await createProduct(testDb.db, {
      iiko_product_id: overridden!.id,
      base_price: '999.00',
      name_ru: 'Название админа',
      is_manual_override: true,
    });
    await createProduct(testDb.db, {
      iiko_product_id: same!.id,
      base_price: rubles(same!),
      name_ru: same!.name,
    });
    await createProduct(testDb.db, { iiko_product_id: later!.id });
    // an unrelated product already uses the iiko code of an unknown product
    await createProduct(testDb.db, { sku: skuTaken!.code! });

    const { run, job } = await runImport();
    const state = await iiko.control.state();
    const deletedUnknown = SEED.products.filter((p) => p.type === 'dish' && p.isDeleted).length;
    const knownCount = 4;

    expect(job.status).toBe('COMPLETED');
    expect(run.outcome.ok).toBe(true);
    const result = job.result as Record<string, unknown>;
    expect(result).toMatchObject({
      revision_from: 0,
      revision_to: state.revision,
      created: DISHES.length - knownCount,
      updated: 2, // `plain` and `later` (factory price and name differ from iiko's)
      unchanged: 2, // `same`, and `overridden` whose local values stay
      deactivated: 0,
      skipped: deletedUnknown,
      conflicts: 2,
    });
    expect(result.conflict_items).toEqual(
      expect.arrayContaining([
        { product_id: b.id, field: 'base_price', local: '999.00', iiko: rubles(overridden!) },
        { product_id: b.id, field: 'name_ru', local: 'Название админа', iiko: overridden!.name },
      ]),
    );
    expect(await storedRevision()).toBe(state.revision);

    // not overridden: iiko's price and name; other texts untouched
    expect(await productByIikoId(testDb.db, plain!.id)).toMatchObject({
      id: a.id,
      base_price: rubles(plain!),
      name_ru: plain!.name,
      name_en: 'Keep my English',
      iiko_price: rubles(plain!),
      iiko_name: plain!.name,
      is_active: true,
    });
    // overridden: local values kept, iiko's remembered
    expect(await productByIikoId(testDb.db, overridden!.id)).toMatchObject({
      base_price: '999.00',
      name_ru: 'Название админа',
      is_manual_override: true,
      iiko_price: rubles(overridden!),
      iiko_name: overridden!.name,
    });
    // unknown: created inactive, sku from iiko's code unless taken, category by group id
    const created = await productByIikoId(testDb.db, skuTaken!.id);
    expect(created).toMatchObject({
      sku: `IIKO-${skuTaken!.id}`,
      is_active: false,
      name_ru: skuTaken!.name,
      base_price: rubles(skuTaken!),
      category_id: category.id,
    });
    const another = await productByIikoId(testDb.db, DISHES[5]!.id);
    expect(another).toMatchObject({ sku: DISHES[5]!.code, is_active: false });

    const logs = await getLogs(testDb.db, job.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ success: true, http_status: 200 });
    expect(logs[0]!.request_summary).toContain('POST /api/1/nomenclature');
    expect(logs[0]!.request_summary).toContain('"startRevision":0');
  });

  it('the same revision back completes with {unchanged: true} and writes nothing', async () => {
    const before = await productByIikoId(testDb.db, plain!.id);
    const { job } = await runImport();
    expect(job.status).toBe('COMPLETED');
    expect(job.result).toEqual({
      unchanged: true,
      revision: (await iiko.control.state()).revision,
    });
    expect(await productByIikoId(testDb.db, plain!.id)).toEqual(before);
  });

  it('isDeleted deactivates whatever the override; an accepted override takes iiko values next time', async () => {
    await iiko.control.product({ id: later!.id, isDeleted: true });
    await iiko.control.product({ id: plain!.id, price: 123.45, name: 'Новое имя в iiko' });
    await testDb.db
      .updateTable('product')
      .set({ is_manual_override: true })
      .where('iiko_product_id', '=', later!.id)
      .execute();
    // ADMIN cleared the override of `overridden` ("accept iiko values", IK-9)
    await testDb.db
      .updateTable('product')
      .set({ is_manual_override: false })
      .where('iiko_product_id', '=', overridden!.id)
      .execute();
    await iiko.control.product({ id: overridden!.id, price: 200 });

    const revisionBefore = (await storedRevision()) as number;
    const { job } = await runImport();
    const state = await iiko.control.state();
    expect(job.result).toMatchObject({
      revision_from: revisionBefore,
      revision_to: state.revision,
      created: 0,
      deactivated: 1,
      updated: 2,
      conflicts: 0,
    });
    expect(await productByIikoId(testDb.db, later!.id)).toMatchObject({ is_active: false });
    expect(await productByIikoId(testDb.db, plain!.id)).toMatchObject({
      base_price: '123.45',
      name_ru: 'Новое имя в iiko',
    });
    expect(await productByIikoId(testDb.db, overridden!.id)).toMatchObject({
      base_price: '200.00',
      name_ru: overridden!.name,
    });
  });

  it('a product without a price is skipped', async () => {
    const priceless = '00000000-0000-4000-8000-00000000c0de';
    await iiko.control.product({ id: priceless, name: 'Без цены', price: null, code: 'NOPRICE' });
    const { job } = await runImport();
    expect(job.result).toMatchObject({ created: 0, skipped: 1 });
    expect(await productByIikoId(testDb.db, priceless)).toBeUndefined();
  });

  it('IK-9 end to end: an admin price edit survives the import as a conflict; accepting iiko values lets the next import overwrite', async () => {
    const admin = await createStaff(testDb.db, { role: 'ADMIN' });
    const actor = { userId: admin.id };
    const dish = DISHES[6]!;
    const product = (await productByIikoId(testDb.db, dish.id))!;
    const edited = productSchema.parse({
      sku: product.sku,
      name_ru: product.name_ru,
      base_price: '777.00',
      is_active: true,
    });
    expect(await updateProduct(testDb.db, actor, product.id, edited)).toEqual({
      overridden: true,
    });

    await iiko.control.product({ id: dish.id, price: 555 });
    const { job } = await runImport();
    expect(job.result).toMatchObject({
      conflicts: 1,
      conflict_items: [
        { product_id: product.id, field: 'base_price', local: '777.00', iiko: '555.00' },
      ],
    });
    expect(await productByIikoId(testDb.db, dish.id)).toMatchObject({
      base_price: '777.00',
      is_manual_override: true,
      iiko_price: '555.00',
    });

    await acceptIikoValues(testDb.db, actor, product.id);
    expect(await productByIikoId(testDb.db, dish.id)).toMatchObject({
      base_price: '555.00',
      is_manual_override: false,
    });
    await iiko.control.product({ id: dish.id, price: 600 });
    const next = await runImport();
    expect(next.job.result).toMatchObject({ updated: 1, conflicts: 0 });
    expect(await productByIikoId(testDb.db, dish.id)).toMatchObject({ base_price: '600.00' });
  });
});
