import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import {
  importMenuNow,
  MANUAL_IMPORT_PRIORITY,
  menuImportResource,
  runJobNow,
  stopListsNow,
} from '../../../app/features/iiko-admin/iiko-admin.service.server';
import * as conflictsRoute from '../../../app/routes/admin.iiko.conflicts';
import * as importRoute from '../../../app/routes/admin.iiko.import';
import * as listRoute from '../../../app/routes/admin.iiko._index';
import * as jobRoute from '../../../app/routes/admin.iiko.jobs.$jobId';
import { createIikoSyncJob, createProduct, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  auditRows,
  callAction,
  callLoader,
  type Session,
} from '../../support/staff-requests';
import { clearQueue, getJob } from '../jobs/helpers';

let testDb: TestDatabase;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  admin = await adminSession(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

beforeEach(async () => {
  await clearQueue(testDb.db);
});

const actor = () => ({ userId: admin.userId, requestId: 'test', ip: '127.0.0.1' });

const failedJob = (overrides: Parameters<typeof createIikoSyncJob>[1] = {}) =>
  createIikoSyncJob(testDb.db, {
    status: 'FAILED',
    attempt_count: 4,
    last_error: 'HTTP_500: boom',
    finished_at: new Date(),
    ...overrides,
  });

const jobPath = (id: number | string) => ({
  path: `/admin/iiko/jobs/${id}`,
  params: { jobId: String(id) },
});

describe('retry (IK-7)', () => {
  it('puts a FAILED job back to PENDING with attempt_count 0 and an audit row', async () => {
    const job = await failedJob();
    const answer = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'retry' },
      jobPath(job.id),
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/admin/iiko/jobs/${job.id}?notice=retried`);
    const after = await getJob(testDb.db, job.id);
    expect(after).toMatchObject({ status: 'PENDING', attempt_count: 0, finished_at: null });
    expect(after.next_run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const audit = await auditRows(testDb, 'iiko_sync_job', job.id);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'iiko_job.retry',
        actor_user_id: admin.userId,
        before: { status: 'FAILED', attempt_count: 4 },
      }),
    ]);
  });

  it('refuses an ORDER_PUSH, a job that is not FAILED and a duplicate of a PENDING job; nothing changes', async () => {
    const orderPush = await failedJob({
      job_type: 'ORDER_PUSH',
      resource_id: 'order:77',
      max_attempts: 3,
      attempt_count: 3,
    });
    const completed = await createIikoSyncJob(testDb.db, { status: 'COMPLETED', attempt_count: 1 });
    const failed = await failedJob({ resource_id: 'org:dupe' });
    await createIikoSyncJob(testDb.db, { resource_id: 'org:dupe' });

    for (const [job, code] of [
      [orderPush, 'ORDER_PUSH'],
      [completed, 'NOT_FAILED'],
      [failed, 'ALREADY_PENDING'],
    ] as const) {
      const answer = await callAction(
        testDb,
        jobRoute.action,
        admin,
        { intent: 'retry' },
        jobPath(job.id),
      );
      expect(answer.status, code).toBe(409);
      expect(answer.body).toEqual({ error: code });
      expect(await getJob(testDb.db, job.id)).toMatchObject({
        status: job.status,
        attempt_count: job.attempt_count,
      });
      expect(await auditRows(testDb, 'iiko_sync_job', job.id)).toEqual([]);
    }
  });

  it('loads a failed ORDER_PUSH page with the type the page hides Retry and "run now" by', async () => {
    const job = await failedJob({
      job_type: 'ORDER_PUSH',
      resource_id: 'order:78',
      max_attempts: 3,
      attempt_count: 3,
    });
    const answer = await callLoader(testDb, jobRoute.loader, admin, `/admin/iiko/jobs/${job.id}`, {
      jobId: String(job.id),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      job: { id: job.id, jobType: 'ORDER_PUSH', status: 'FAILED' },
    });
  });

  it('answers 404 for unknown or malformed job ids and 400 for an unknown intent', async () => {
    const job = await failedJob();
    for (const id of ['abc', '0', '-1', '1e3', '99999999999', String(job.id + 1000)]) {
      const loaded = await callLoader(testDb, jobRoute.loader, admin, `/admin/iiko/jobs/${id}`, {
        jobId: id,
      });
      expect(loaded.status, `loader ${id}`).toBe(404);
      const posted = await callAction(
        testDb,
        jobRoute.action,
        admin,
        { intent: 'retry' },
        jobPath(id),
      );
      expect(posted.status, `action ${id}`).toBe(404);
    }
    const bad = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'explode' },
      jobPath(job.id),
    );
    expect(bad.status).toBe(400);
    expect((await getJob(testDb.db, job.id)).status).toBe('FAILED');
  });

  it('refuses a post without the CSRF token', async () => {
    const job = await failedJob();
    const answer = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'retry' },
      { ...jobPath(job.id), csrf: false },
    );
    expect(answer.status).toBe(403);
    expect((await getJob(testDb.db, job.id)).status).toBe('FAILED');
  });
});

describe('run now', () => {
  it('enqueues a new job of the same type, resource and payload, by the admin, with an audit row', async () => {
    const job = await failedJob({
      job_type: 'STOP_LIST',
      resource_id: 'store:9',
      payload: JSON.stringify({ terminalGroupId: 'tg-9' }),
    });
    const answer = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'run-now' },
      jobPath(job.id),
    );
    expect(answer.status).toBe(302);
    const newId = Number(/jobs\/(\d+)\?notice=enqueued$/.exec(answer.location ?? '')?.[1]);
    expect(newId).toBeGreaterThan(job.id);
    expect(await getJob(testDb.db, newId)).toMatchObject({
      job_type: 'STOP_LIST',
      resource_id: 'store:9',
      status: 'PENDING',
      priority: 50,
      max_attempts: 4,
      attempt_count: 0,
      payload: { terminalGroupId: 'tg-9' },
      created_by_user_id: admin.userId,
    });
    expect(await auditRows(testDb, 'iiko_sync_job', newId)).toEqual([
      expect.objectContaining({ action: 'iiko_job.enqueue', actor_user_id: admin.userId }),
    ]);
    // the old job stays as it was
    expect((await getJob(testDb.db, job.id)).status).toBe('FAILED');

    // again while that one waits: no second job, the waiting one is shown
    const again = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'run-now' },
      jobPath(job.id),
    );
    expect(again.location).toBe(`/admin/iiko/jobs/${newId}?notice=alreadyQueued`);
    const count = await testDb.db
      .selectFrom('iiko_sync_job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('resource_id', '=', 'store:9')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('never enqueues an ORDER_PUSH by hand', async () => {
    const job = await failedJob({
      job_type: 'ORDER_PUSH',
      resource_id: 'order:79',
      max_attempts: 3,
      attempt_count: 3,
    });
    expect(await runJobNow(testDb.db, actor(), job.id)).toEqual({ status: 'ORDER_PUSH' });
    const answer = await callAction(
      testDb,
      jobRoute.action,
      admin,
      { intent: 'run-now' },
      jobPath(job.id),
    );
    expect(answer.status).toBe(409);
    const jobs = await testDb.db.selectFrom('iiko_sync_job').select('id').execute();
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
  });
});

describe('import menu now', () => {
  it('enqueues MENU_IMPORT for the organisation at high priority, and shows it on the page', async () => {
    const resource = menuImportResource();
    expect(resource).toMatch(/^org:/);
    const answer = await callAction(
      testDb,
      importRoute.action,
      admin,
      { intent: 'import-menu' },
      {
        path: '/admin/iiko/import',
      },
    );
    expect(answer.status).toBe(302);
    const jobId = Number(/\?job=(\d+)&notice=enqueued$/.exec(answer.location ?? '')?.[1]);
    expect(await getJob(testDb.db, jobId)).toMatchObject({
      job_type: 'MENU_IMPORT',
      resource_id: resource,
      status: 'PENDING',
      priority: MANUAL_IMPORT_PRIORITY,
      created_by_user_id: admin.userId,
    });
    expect(MANUAL_IMPORT_PRIORITY).toBeGreaterThan(50);
    expect(MANUAL_IMPORT_PRIORITY).toBeLessThan(100);

    const page = await callLoader(testDb, importRoute.loader, admin, answer.location!);
    expect(page.body).toMatchObject({
      resourceId: resource,
      job: { id: jobId, status: 'PENDING', attemptCount: 0 },
      notice: 'enqueued',
    });

    // finished: the page shows the IK-8 summary the job stored
    const summary = {
      revision_from: 0,
      revision_to: 12,
      created: 2,
      updated: 3,
      unchanged: 10,
      deactivated: 1,
      skipped: 0,
      conflicts: 1,
      conflict_items: [{ product_id: 1, field: 'base_price', local: '300.00', iiko: '320.00' }],
    };
    await testDb.db
      .updateTable('iiko_sync_job')
      .set({ status: 'COMPLETED', attempt_count: 1, result: JSON.stringify(summary) })
      .where('id', '=', jobId)
      .execute();
    const done = await callLoader(testDb, importRoute.loader, admin, '/admin/iiko/import');
    expect(done.body).toMatchObject({ job: { id: jobId, status: 'COMPLETED', result: summary } });
  });

  it('shows the PENDING or RUNNING import instead of queueing another', async () => {
    const resource = 'org:dedupe-test';
    const first = await importMenuNow(testDb.db, actor(), resource);
    expect(first.status).toBe('ENQUEUED');
    const second = await importMenuNow(testDb.db, actor(), resource);
    expect(second).toEqual({ status: 'ALREADY_QUEUED', jobId: (first as { jobId: number }).jobId });

    // the worker claims it; "import now" during the run shows the running one
    await testDb.db
      .updateTable('iiko_sync_job')
      .set({ status: 'RUNNING', attempt_count: 1, started_at: new Date() })
      .where('id', '=', (first as { jobId: number }).jobId)
      .execute();
    expect(await importMenuNow(testDb.db, actor(), resource)).toEqual(second);
    const rows = await testDb.db
      .selectFrom('iiko_sync_job')
      .select('id')
      .where('resource_id', '=', resource)
      .execute();
    expect(rows).toHaveLength(1);
    expect(await auditRows(testDb, 'iiko_sync_job', rows[0]!.id)).toHaveLength(1);
  });

  it('two admins pressing it at the same moment get one job between them', async () => {
    const resource = 'org:concurrent-test';
    const pools = [testDb.newPool(2), testDb.newPool(2)];
    const dbs = pools.map((pool) => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }));
    try {
      for (let round = 0; round < 5; round++) {
        await clearQueue(testDb.db);
        const outcomes = await Promise.all(dbs.map((db) => importMenuNow(db, actor(), resource)));
        const ids = outcomes.map((o) => ('jobId' in o ? o.jobId : null));
        expect(ids[0]).not.toBeNull();
        expect(ids[0]).toBe(ids[1]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['ALREADY_QUEUED', 'ENQUEUED']);
        const rows = await testDb.db
          .selectFrom('iiko_sync_job')
          .select('id')
          .where('resource_id', '=', resource)
          .execute();
        expect(rows).toHaveLength(1);
      }
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });

  it('"stop lists now" enqueues STOP_LIST for each active store with a terminal group', async () => {
    const mapped = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
    const mapped2 = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
    await createStore(testDb.db);
    await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID(), is_active: false });
    // store 2 already has one waiting
    const waiting = await createIikoSyncJob(testDb.db, {
      job_type: 'STOP_LIST',
      resource_id: `store:${mapped2.id}`,
    });

    const answer = await callAction(
      testDb,
      importRoute.action,
      admin,
      { intent: 'stop-lists' },
      {
        path: '/admin/iiko/import',
      },
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(
      '/admin/iiko/import?notice=stopListsEnqueued&enqueued=1&already=1',
    );
    const jobs = await testDb.db
      .selectFrom('iiko_sync_job')
      .select(['id', 'resource_id', 'status', 'priority', 'created_by_user_id'])
      .where('job_type', '=', 'STOP_LIST')
      .orderBy('id')
      .execute();
    expect(jobs).toEqual([
      expect.objectContaining({ id: waiting.id, resource_id: `store:${mapped2.id}` }),
      expect.objectContaining({
        resource_id: `store:${mapped.id}`,
        status: 'PENDING',
        priority: 50,
        created_by_user_id: admin.userId,
      }),
    ]);
    const second = await stopListsNow(testDb.db, actor());
    expect(second).toEqual({ stores: 2, enqueued: [], alreadyQueued: [jobs[1]!.id, waiting.id] });
  });

  it('shows the newest import when ?job= is malformed or names another kind of job', async () => {
    const resource = menuImportResource();
    const older = await createIikoSyncJob(testDb.db, {
      resource_id: resource,
      status: 'COMPLETED',
    });
    const newest = await createIikoSyncJob(testDb.db, { resource_id: resource, status: 'FAILED' });
    const stopList = await createIikoSyncJob(testDb.db, {
      job_type: 'STOP_LIST',
      resource_id: 'store:1',
    });
    const cases: [string, number][] = [
      ['/admin/iiko/import', newest.id],
      [`/admin/iiko/import?job=${older.id}`, older.id],
      [`/admin/iiko/import?job=${stopList.id}`, newest.id],
      ['/admin/iiko/import?job=abc&notice=bogus', newest.id],
      ['/admin/iiko/import?job=99999999', newest.id],
    ];
    for (const [path, shown] of cases) {
      const page = await callLoader(testDb, importRoute.loader, admin, path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toMatchObject({ job: { id: shown }, notice: null });
    }
  });

  it('refuses an unknown intent with 400', async () => {
    const answer = await callAction(
      testDb,
      importRoute.action,
      admin,
      { intent: 'drop-tables' },
      {
        path: '/admin/iiko/import',
      },
    );
    expect(answer.status).toBe(400);
    expect(await testDb.db.selectFrom('iiko_sync_job').select('id').execute()).toEqual([]);
  });
});

describe('accept iiko values (IK-9)', () => {
  it('clears the override and takes the iiko price and name, with an audit row', async () => {
    const product = await createProduct(testDb.db, {
      name_ru: 'Улун (наш)',
      base_price: '300.00',
      is_manual_override: true,
      iiko_name: 'Улун',
      iiko_price: '320.00',
    });
    const before = await callLoader(testDb, conflictsRoute.loader, admin, '/admin/iiko/conflicts');
    expect(
      (before.body as { rows: { productId: number }[] }).rows.map((r) => r.productId),
    ).toContain(product.id);

    const answer = await callAction(
      testDb,
      conflictsRoute.action,
      admin,
      { intent: 'accept-iiko', product_id: String(product.id) },
      { path: '/admin/iiko/conflicts' },
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe('/admin/iiko/conflicts?notice=accepted');
    const after = await testDb.db
      .selectFrom('product')
      .select(['name_ru', 'base_price', 'is_manual_override'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ name_ru: 'Улун', base_price: '320.00', is_manual_override: false });
    const audit = await auditRows(testDb, 'product', product.id);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'product.price_change',
        actor_user_id: admin.userId,
        before: expect.objectContaining({ is_manual_override: true, name_ru: 'Улун (наш)' }),
        after: expect.objectContaining({ is_manual_override: false, name_ru: 'Улун' }),
      }),
    ]);
    const page = await callLoader(testDb, conflictsRoute.loader, admin, '/admin/iiko/conflicts');
    expect(
      (page.body as { rows: { productId: number }[] }).rows.map((r) => r.productId),
    ).not.toContain(product.id);
  });

  it('answers 404 for an unknown product and 400 for a malformed one', async () => {
    const missing = await callAction(
      testDb,
      conflictsRoute.action,
      admin,
      { intent: 'accept-iiko', product_id: '99999999' },
      { path: '/admin/iiko/conflicts' },
    );
    expect(missing.status).toBe(404);
    for (const product_id of ['', 'abc', '-1', '1.5']) {
      const bad = await callAction(
        testDb,
        conflictsRoute.action,
        admin,
        { intent: 'accept-iiko', product_id },
        { path: '/admin/iiko/conflicts' },
      );
      expect(bad.status, product_id).toBe(400);
    }
  });
});

describe('the jobs list page', () => {
  it('serves hand-edited or garbage URLs with defaults, never a 500', async () => {
    const job = await failedJob();
    for (const query of [
      '?type=%00&status=%FF&from=2026-13-45&page=999999999&pageSize=0&sort=;drop',
      '?page=5',
      '?resource=%25%5F%5C',
    ]) {
      const answer = await callLoader(testDb, listRoute.loader, admin, `/admin/iiko${query}`);
      expect(answer.status, query).toBe(200);
    }
    const filtered = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/iiko?status=FAILED&page=7',
    );
    expect(filtered.body).toMatchObject({
      jobs: [expect.objectContaining({ id: job.id })],
      pagination: { page: 1, total: 1 },
      params: { filters: { status: 'FAILED' } },
    });
  });
});
