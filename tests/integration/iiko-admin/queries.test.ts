import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  JOB_LIST,
  parseMenuImportResult,
} from '../../../app/features/iiko-admin/iiko-admin.schema';
import {
  findActiveJob,
  getJob,
  listJobAttempts,
  listJobs,
  listOverrideConflicts,
  listStopListStores,
} from '../../../app/features/iiko-admin/iiko-admin.server';
import { createIikoSyncJob, createProduct, createStore } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue } from '../jobs/helpers';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

/** A job created at a given instant (created_at has a default; the factory cannot set it). */
async function jobAt(createdAt: string, overrides: Parameters<typeof createIikoSyncJob>[1] = {}) {
  const job = await createIikoSyncJob(testDb.db, overrides);
  await testDb.db
    .updateTable('iiko_sync_job')
    .set({ created_at: new Date(createdAt), updated_at: new Date(createdAt) })
    .where('id', '=', job.id)
    .execute();
  return job.id;
}

describe('listJobs', () => {
  let ids: Record<string, number>;

  beforeEach(async () => {
    await clearQueue(testDb.db);
    ids = {
      // 2026-11-20 00:30 Moscow = 2026-11-19 21:30 UTC: a Moscow-day boundary case
      menu: await jobAt('2026-11-19T21:30:00Z', {
        job_type: 'MENU_IMPORT',
        resource_id: 'org:aaaa',
        status: 'FAILED',
        attempt_count: 4,
        last_error: 'HTTP_500: boom',
      }),
      stop1: await jobAt('2026-11-21T09:00:00Z', {
        job_type: 'STOP_LIST',
        resource_id: 'store:1',
        status: 'COMPLETED',
        attempt_count: 1,
      }),
      stop12: await jobAt('2026-11-22T09:00:00Z', {
        job_type: 'STOP_LIST',
        resource_id: 'store:12',
        status: 'PENDING',
      }),
      order: await jobAt('2026-11-23T09:00:00Z', {
        job_type: 'ORDER_PUSH',
        resource_id: 'order:5',
        status: 'FAILED',
        max_attempts: 3,
        attempt_count: 3,
      }),
      odd: await jobAt('2026-11-24T09:00:00Z', {
        job_type: 'MENU_IMPORT',
        resource_id: 'org:50%_off',
        status: 'CANCELLED',
      }),
    };
  });

  const page = { limit: 25, offset: 0 };
  const listed = async (filters: Parameters<typeof listJobs>[1]['filters']) =>
    (await listJobs(testDb.db, { filters, ...page })).rows.map((r) => r.id);

  it('lists newest first with the columns the page shows', async () => {
    const { rows, total } = await listJobs(testDb.db, page);
    expect(total).toBe(5);
    expect(rows.map((r) => r.id)).toEqual([ids.odd, ids.order, ids.stop12, ids.stop1, ids.menu]);
    const menu = rows.find((r) => r.id === ids.menu)!;
    expect(menu).toMatchObject({
      jobType: 'MENU_IMPORT',
      resourceId: 'org:aaaa',
      status: 'FAILED',
      attemptCount: 4,
      maxAttempts: 4,
      lastError: 'HTTP_500: boom',
    });
    expect(menu.createdAt).toBeInstanceOf(Date);
    expect(menu.nextRunAt).toBeInstanceOf(Date);
  });

  it('filters by type, status and both together', async () => {
    expect(await listed({ type: 'STOP_LIST' })).toEqual([ids.stop12, ids.stop1]);
    expect(await listed({ status: 'FAILED' })).toEqual([ids.order, ids.menu]);
    expect(await listed({ type: 'MENU_IMPORT', status: 'FAILED' })).toEqual([ids.menu]);
  });

  it('filters by a resource substring, case-insensitively, with % and _ taken literally', async () => {
    expect(await listed({ resource: 'store:1' })).toEqual([ids.stop12, ids.stop1]);
    expect(await listed({ resource: 'ORG:' })).toEqual([ids.odd, ids.menu]);
    expect(await listed({ resource: '%' })).toEqual([ids.odd]);
    expect(await listed({ resource: '0%_' })).toEqual([ids.odd]);
    expect(await listed({ resource: 'nothing' })).toEqual([]);
  });

  it('filters by Moscow calendar days, both ends inclusive', async () => {
    // created 2026-11-19 21:30 UTC is already 2026-11-20 in Moscow
    expect(await listed({ from: '2026-11-20', to: '2026-11-20' })).toEqual([ids.menu]);
    expect(await listed({ to: '2026-11-19' })).toEqual([]);
    expect(await listed({ from: '2026-11-22', to: '2026-11-23' })).toEqual([ids.order, ids.stop12]);
    expect(await listed({ from: '2026-11-24' })).toEqual([ids.odd]);
  });

  it('pages with a stable total and sorts by a whitelisted column either way', async () => {
    const first = await listJobs(testDb.db, { limit: 2, offset: 0 });
    const second = await listJobs(testDb.db, { limit: 2, offset: 2 });
    const third = await listJobs(testDb.db, { limit: 2, offset: 4 });
    expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.id)).toEqual([
      ids.odd,
      ids.order,
      ids.stop12,
      ids.stop1,
      ids.menu,
    ]);
    const asc = await listJobs(testDb.db, { sort: 'created', dir: 'asc', limit: 2, offset: 0 });
    expect(asc.rows.map((r) => r.id)).toEqual([ids.menu, ids.stop1]);
  });

  it('reads list state from the URL leniently: bad values fall back to defaults', () => {
    const bad = JOB_LIST.parse(
      '?type=BOGUS&status=done&from=2026-02-30&to=yesterday&sort=evil&dir=up&page=-3&pageSize=9999',
    );
    expect(bad).toMatchObject({ sort: 'created', dir: 'desc', page: 1, pageSize: 100 });
    expect(bad.filters).toEqual({});
    const good = JOB_LIST.parse(
      '?type=STOP_LIST&status=FAILED&resource=store:1&from=2026-11-01&to=2026-11-30&sort=next_run&dir=asc&page=2',
    );
    expect(good).toMatchObject({ sort: 'next_run', dir: 'asc', page: 2 });
    expect(good.filters).toEqual({
      type: 'STOP_LIST',
      status: 'FAILED',
      resource: 'store:1',
      from: '2026-11-01',
      to: '2026-11-30',
    });
  });
});

describe('a job and its attempts', () => {
  it('reads the payload, the result and every attempt in order', async () => {
    await clearQueue(testDb.db);
    const job = await createIikoSyncJob(testDb.db, {
      status: 'COMPLETED',
      attempt_count: 2,
      payload: JSON.stringify({ startRevision: 7 }),
      result: JSON.stringify({ unchanged: true }),
    });
    const t0 = new Date('2026-11-25T10:00:00Z');
    await testDb.db
      .insertInto('iiko_sync_log')
      .values([
        {
          job_id: job.id,
          attempt_number: 2,
          started_at: new Date(t0.getTime() + 120_000),
          finished_at: new Date(t0.getTime() + 121_500),
          duration_ms: 1500,
          success: true,
          http_status: 200,
          request_summary: 'POST /api/1/nomenclature {"startRevision":7}',
          response_summary: '{"revision":7}',
        },
        {
          job_id: job.id,
          attempt_number: 1,
          started_at: t0,
          finished_at: new Date(t0.getTime() + 20_000),
          duration_ms: 20_000,
          success: false,
          error_code: 'TIMEOUT',
          error_message: 'no answer in 20 s',
        },
      ])
      .execute();

    const detail = await getJob(testDb.db, job.id);
    expect(detail).toMatchObject({
      id: job.id,
      payload: { startRevision: 7 },
      result: { unchanged: true },
      createdByName: null,
    });
    expect(parseMenuImportResult(detail!.result)).toEqual({ kind: 'unchanged' });
    expect(await getJob(testDb.db, job.id + 1000)).toBeNull();

    const attempts = await listJobAttempts(testDb.db, job.id);
    expect(attempts.map((a) => [a.attemptNumber, a.success, a.httpStatus, a.errorCode])).toEqual([
      [1, false, null, 'TIMEOUT'],
      [2, true, 200, null],
    ]);
    expect(attempts[1]).toMatchObject({
      durationMs: 1500,
      requestSummary: 'POST /api/1/nomenclature {"startRevision":7}',
      responseSummary: '{"revision":7}',
    });
  });

  it('parses the IK-8 summary, and refuses other shapes', () => {
    const summary = {
      revision_from: 3,
      revision_to: 9,
      created: 1,
      updated: 2,
      unchanged: 40,
      deactivated: 0,
      skipped: 1,
      conflicts: 1,
      conflict_items: [{ product_id: 5, field: 'base_price', local: '300.00', iiko: '320.00' }],
    };
    expect(parseMenuImportResult(summary)).toEqual({ kind: 'summary', ...summary });
    // the handler also records the revision it found unchanged
    expect(parseMenuImportResult({ unchanged: true, revision: 12 })).toEqual({ kind: 'unchanged' });
    expect(parseMenuImportResult({ created: 'many' })).toBeNull();
    expect(parseMenuImportResult(null)).toBeNull();
    expect(parseMenuImportResult([1, 2])).toBeNull();
  });

  it('finds the RUNNING job of a resource before its PENDING one', async () => {
    await clearQueue(testDb.db);
    const resource = 'org:active-test';
    expect(await findActiveJob(testDb.db, 'MENU_IMPORT', resource)).toBeNull();
    await createIikoSyncJob(testDb.db, { resource_id: resource, status: 'FAILED' });
    expect(await findActiveJob(testDb.db, 'MENU_IMPORT', resource)).toBeNull();
    const pending = await createIikoSyncJob(testDb.db, { resource_id: resource });
    expect(await findActiveJob(testDb.db, 'MENU_IMPORT', resource)).toEqual({
      id: pending.id,
      status: 'PENDING',
    });
    const running = await createIikoSyncJob(testDb.db, {
      resource_id: resource,
      status: 'RUNNING',
      attempt_count: 1,
    });
    expect(await findActiveJob(testDb.db, 'MENU_IMPORT', resource)).toEqual({
      id: running.id,
      status: 'RUNNING',
    });
    expect(await findActiveJob(testDb.db, 'STOP_LIST', resource)).toBeNull();
  });
});

describe('stop-list targets', () => {
  it('are the active stores with a terminal group', async () => {
    const mapped = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
    await createStore(testDb.db);
    await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID(), is_active: false });
    const ids = (await listStopListStores(testDb.db)).map((s) => s.id);
    expect(ids).toContain(mapped.id);
    expect(ids).toHaveLength(1);
  });
});

describe('listOverrideConflicts (IK-9)', () => {
  it('lists overridden products whose iiko price or name differs, and nothing else', async () => {
    const price = await createProduct(testDb.db, {
      name_ru: 'Молочный улун',
      base_price: '300.00',
      is_manual_override: true,
      iiko_name: 'Молочный улун',
      iiko_price: '320.00',
      iiko_last_sync_at: new Date(),
    });
    const name = await createProduct(testDb.db, {
      name_ru: 'Жасмин',
      base_price: '250.00',
      is_manual_override: true,
      iiko_name: 'Жасминовый чай',
      iiko_price: '250.00',
    });
    // overridden but equal; differing but not overridden; overridden with iiko values unknown
    await createProduct(testDb.db, {
      base_price: '200.00',
      is_manual_override: true,
      name_ru: 'Same',
      iiko_name: 'Same',
      iiko_price: '200.00',
    });
    await createProduct(testDb.db, {
      base_price: '200.00',
      is_manual_override: false,
      iiko_price: '210.00',
    });
    await createProduct(testDb.db, { is_manual_override: true, iiko_name: null, iiko_price: null });

    const { rows, total } = await listOverrideConflicts(testDb.db, { limit: 50, offset: 0 });
    expect(total).toBe(2);
    expect(rows).toEqual([
      expect.objectContaining({
        productId: price.id,
        basePrice: 30_000,
        iikoPrice: 32_000,
        priceDiffers: true,
        nameDiffers: false,
      }),
      expect.objectContaining({
        productId: name.id,
        nameRu: 'Жасмин',
        iikoName: 'Жасминовый чай',
        priceDiffers: false,
        nameDiffers: true,
      }),
    ]);
    expect(rows[0]!.iikoLastSyncAt).toBeInstanceOf(Date);
    const second = await listOverrideConflicts(testDb.db, { limit: 1, offset: 1 });
    expect(second.total).toBe(2);
    expect(second.rows.map((r) => r.productId)).toEqual([name.id]);
  });
});
