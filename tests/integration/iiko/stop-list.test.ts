import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStopListHandler } from '~/features/iiko/iiko-jobs.server';
import { enqueueScheduledIikoJobs } from '~/features/iiko/iiko-schedule.server';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { parseEnv } from '~/utils/env.server';
import { createProduct, createStore, createStoreProduct } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue } from '../jobs/helpers';
import { DISHES, ORG_ID, SEED, startFakeIiko, type FakeIiko } from './helpers';

/** STOP_LIST against the fake iiko (IK-11) and the periodic enqueueing (IK-2). */

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

const TG = SEED.terminalGroups[0]!.id;

async function runStopList(storeId: number) {
  await enqueueJob(testDb.db, { type: 'STOP_LIST', resourceId: `store:${storeId}` });
  const runs = await runDueJobsOnce(testDb.db, {
    workerId: 'stop-list-test',
    types: ['STOP_LIST'],
    handlers: { STOP_LIST: createStopListHandler({ client: () => iiko.client() }) },
  });
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

function listing(id: number) {
  return testDb.db
    .selectFrom('store_product')
    .select(['stock_status', 'stock_status_source'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('STOP_LIST', () => {
  it('applies balances to IN_STOCK and IIKO rows, leaves MANUAL ones, restores rows off the list', async () => {
    const store = await createStore(testDb.db, { iiko_terminal_group_id: TG });
    const mapped = await Promise.all(
      DISHES.slice(0, 5).map((d) => createProduct(testDb.db, { iiko_product_id: d.id })),
    );
    const [zero, low, manual, wasIiko, untouched] = await Promise.all([
      createStoreProduct(testDb.db, store.id, mapped[0]!.id),
      createStoreProduct(testDb.db, store.id, mapped[1]!.id),
      createStoreProduct(testDb.db, store.id, mapped[2]!.id, {
        stock_status: 'LOW_STOCK',
        stock_status_source: 'MANUAL',
      }),
      createStoreProduct(testDb.db, store.id, mapped[3]!.id, {
        stock_status: 'OUT_OF_STOCK',
        stock_status_source: 'IIKO',
      }),
      createStoreProduct(testDb.db, store.id, mapped[4]!.id),
    ]);
    await iiko.control.stopList(TG, [
      { productId: DISHES[0]!.id, balance: 0 },
      { productId: DISHES[1]!.id, balance: 4 },
      { productId: DISHES[2]!.id, balance: 0 },
      // not ours: ignored
      { productId: '00000000-0000-4000-8000-0000000000aa', balance: 0 },
    ]);

    const run = await runStopList(store.id);
    expect(run.outcome).toMatchObject({
      ok: true,
      result: {
        terminal_group_id: TG,
        items: 4,
        matched: 3,
        out_of_stock: 1,
        low_stock: 1,
        restored: 1,
        manual_kept: 1,
      },
    });
    expect(await listing(zero.id)).toEqual({
      stock_status: 'OUT_OF_STOCK',
      stock_status_source: 'IIKO',
    });
    expect(await listing(low.id)).toEqual({
      stock_status: 'LOW_STOCK',
      stock_status_source: 'IIKO',
    });
    expect(await listing(manual.id)).toEqual({
      stock_status: 'LOW_STOCK',
      stock_status_source: 'MANUAL',
    });
    expect(await listing(wasIiko.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await listing(untouched.id)).toEqual({
      stock_status: 'IN_STOCK',
      stock_status_source: 'MANUAL',
    });

    // the list empties: iiko's rows come back, the manager's stays
    await iiko.control.stopList(TG, []);
    await runStopList(store.id);
    expect(await listing(zero.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await listing(low.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await listing(manual.id)).toEqual({
      stock_status: 'LOW_STOCK',
      stock_status_source: 'MANUAL',
    });
  });

  it('a store without a terminal group completes without a call', async () => {
    const store = await createStore(testDb.db);
    const before = (await iiko.control.state()).requests.length;
    const run = await runStopList(store.id);
    expect(run.outcome).toMatchObject({ ok: true, result: { skipped: true } });
    expect((await iiko.control.state()).requests.length).toBe(before);
  });
});

describe('periodic enqueueing (IK-2)', () => {
  it('MENU_IMPORT for the organisation and STOP_LIST per active connected store, once per interval', async () => {
    await clearQueue(testDb.db);
    const env = parseEnv({
      NODE_ENV: 'test',
      IIKO_API_BASE_URL: iiko.url,
      IIKO_API_LOGIN: 'fake-iiko-login',
      IIKO_ORGANIZATION_ID: ORG_ID,
    });
    const connected = await createStore(testDb.db, {
      iiko_terminal_group_id: SEED.terminalGroups[1]!.id,
    });
    await createStore(testDb.db, {
      iiko_terminal_group_id: SEED.terminalGroups[2]!.id,
      is_active: false,
    });
    const storesWithTg = await testDb.db
      .selectFrom('store')
      .select('id')
      .where('is_active', '=', true)
      .where('iiko_terminal_group_id', 'is not', null)
      .execute();

    const first = await enqueueScheduledIikoJobs(testDb.db, env);
    expect(first!.menuImport).not.toBeNull();
    expect(first!.stopLists).toHaveLength(storesWithTg.length);
    const jobs = await testDb.db
      .selectFrom('iiko_sync_job')
      .select(['job_type', 'resource_id'])
      .execute();
    expect(jobs).toContainEqual({ job_type: 'MENU_IMPORT', resource_id: `org:${ORG_ID}` });
    expect(jobs).toContainEqual({ job_type: 'STOP_LIST', resource_id: `store:${connected.id}` });

    // within the intervals nothing more is enqueued
    expect(await enqueueScheduledIikoJobs(testDb.db, env)).toEqual({
      menuImport: null,
      stopLists: [],
    });
    // without iiko nothing at all
    expect(await enqueueScheduledIikoJobs(testDb.db, parseEnv({ NODE_ENV: 'test' }))).toBeNull();
  });
});
