import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../db/seed';
import { createMenuImportHandler, createStopListHandler } from '~/features/iiko/iiko-jobs.server';
import { createIikoOrderPush } from '~/features/iiko/order-push.server';
import type { JobContext } from '~/features/jobs/job-types';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { ORG_ID, SEED, startFakeIiko, type FakeIiko } from './helpers';

/**
 * The demo seed and the fake iiko describe the same chain (scripts/fakes/iiko/catalog.ts): the
 * first import after seeding finds every product and reports only the seeded override's
 * conflicts, and the stop lists agree with the seeded IIKO-sourced stock.
 */

let testDb: TestDatabase;
let iiko: FakeIiko;

beforeAll(async () => {
  testDb = await createTestDatabase();
  iiko = await startFakeIiko();
  await seedDemoData(testDb.db);
});
afterAll(async () => {
  await iiko?.stop();
  await testDb?.destroy();
});

function run(type: 'MENU_IMPORT' | 'STOP_LIST') {
  return runDueJobsOnce(testDb.db, {
    workerId: 'seeded-demo',
    types: [type],
    handlers: {
      MENU_IMPORT: createMenuImportHandler({ client: () => iiko.client() }),
      STOP_LIST: createStopListHandler({ client: () => iiko.client() }),
    },
  });
}

describe('seeded demo data against the fake iiko', () => {
  it('the seed points orders at the fake’s payment and discount types', async () => {
    const settings = await testDb.db
      .selectFrom('app_setting')
      .select(['key', 'value'])
      .where('key', 'in', ['iiko.payment_type_id', 'iiko.discount_type_id'])
      .orderBy('key')
      .execute();
    expect(settings).toEqual([
      { key: 'iiko.discount_type_id', value: SEED.discountTypeId },
      { key: 'iiko.payment_type_id', value: SEED.paymentTypeId },
    ]);
  });

  it('the first import creates nothing and reports only the seeded override', async () => {
    await testDb.db
      .updateTable('iiko_sync_job')
      .set({ status: 'CANCELLED' })
      .where('status', '=', 'PENDING')
      .execute();
    await enqueueJob(testDb.db, { type: 'MENU_IMPORT', resourceId: `org:${ORG_ID}` });
    const [menu] = await run('MENU_IMPORT');
    expect(menu!.outcome).toMatchObject({
      ok: true,
      result: { revision_from: 0, created: 0, updated: 0, deactivated: 0, conflicts: 2 },
    });
  });

  it('stop lists match the seeded IIKO-sourced stock', async () => {
    const stores = await testDb.db
      .selectFrom('store')
      .select(['id', 'iiko_terminal_group_id'])
      .where('iiko_terminal_group_id', 'is not', null)
      .orderBy('id')
      .execute();
    expect(stores.map((s) => s.iiko_terminal_group_id).sort()).toEqual(
      SEED.terminalGroups.map((t) => t.id).sort(),
    );
    const before = await testDb.db
      .selectFrom('store_product')
      .select(['id', 'stock_status', 'stock_status_source'])
      .orderBy('id')
      .execute();
    for (const store of stores)
      await enqueueJob(testDb.db, { type: 'STOP_LIST', resourceId: `store:${store.id}` });
    const runs = await run('STOP_LIST');
    expect(runs).toHaveLength(stores.length);
    expect(runs.every((r) => r.outcome.ok)).toBe(true);
    const after = await testDb.db
      .selectFrom('store_product')
      .select(['id', 'stock_status', 'stock_status_source'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
  });

  it('a seeded order with options and a discount is accepted by the fake as pushed', async () => {
    const order = await testDb.db
      .selectFrom('order as o')
      .innerJoin('store as s', 's.id', 'o.store_id')
      .select([
        'o.id',
        'o.order_number',
        'o.store_id',
        'o.iiko_order_id',
        's.iiko_terminal_group_id',
      ])
      .where('o.discount_amount', '>', '0')
      .where('o.final_amount', '>', '0')
      .where('o.order_type', '=', 'PICKUP')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('order_item as i')
            .innerJoin('order_item_option as io', 'io.order_item_id', 'i.id')
            .select('io.id')
            .whereRef('i.order_id', '=', 'o.id'),
        ),
      )
      .orderBy('o.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const push = createIikoOrderPush({
      client: () => iiko.client(),
      pollIntervalMs: 20,
      pollTimeoutMs: 5_000,
    });
    const ctx = { db: testDb.db, signal: new AbortController().signal } as unknown as JobContext;
    const outcome = await push(ctx, {
      id: order.id,
      orderNumber: order.order_number,
      storeId: order.store_id,
      terminalGroupId: order.iiko_terminal_group_id!,
      iikoOrderId: order.iiko_order_id,
    });
    expect(outcome).toMatchObject({ accepted: true });
    const [sent] = (await iiko.control.state()).orders;
    expect(sent).toMatchObject({ id: order.iiko_order_id, error: null });
    expect(sent!.body).toHaveProperty(
      'discountsInfo.discounts.0.discountTypeId',
      SEED.discountTypeId,
    );
  });
});
