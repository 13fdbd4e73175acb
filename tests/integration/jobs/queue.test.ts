import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import {
  claimJob,
  enqueueJob,
  finishJob,
  recoverExpiredLeases,
  retryFailedJob,
} from '../../../app/features/jobs/job-queue.server';
import type { ClaimedJob, JobOutcome } from '../../../app/features/jobs/job-types';
import { createIikoSyncJob, createUser } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue, getJob, getLogs, makeDue, separateDb, waitFor } from './helpers';

/** The queue on iiko_sync_job: enqueue (IK-2), claim (IK-3), attempts (IK-4, IK-5), leases (IK-6), manual retry (IK-7). */

let testDb: TestDatabase;
let db: Kysely<DB>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb?.destroy();
});

beforeEach(async () => {
  await clearQueue(db);
});

const ALL = ['MENU_IMPORT', 'ORDER_PUSH', 'STOP_LIST'] as const;
const ok: JobOutcome = { ok: true, result: { done: true } };
const retryable: JobOutcome = {
  ok: false,
  retryable: true,
  errorCode: 'HTTP_503',
  message: 'iiko answered 503',
  httpStatus: 503,
};

async function claimOrFail(workerId = 'test-worker'): Promise<ClaimedJob> {
  const job = await claimJob(db, workerId, ALL);
  if (!job) throw new Error('expected a due job');
  return job;
}

/** Milliseconds between the attempt's end (the log row) and the job's next run. */
async function backoffOf(jobId: number, attempt: number): Promise<number> {
  const job = await getJob(db, jobId);
  const log = (await getLogs(db, jobId)).find((l) => l.attempt_number === attempt)!;
  return job.next_run_at.getTime() - log.finished_at.getTime();
}

describe('enqueueJob (IK-2)', () => {
  it('keeps one PENDING job per type and resource and applies the type defaults', async () => {
    const first = await enqueueJob(db, {
      type: 'STOP_LIST',
      resourceId: 'store:1',
      payload: { storeId: 1, tags: ['a', 'b'] },
    });
    expect(first).toEqual(expect.any(Number));
    expect(await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:1' })).toBeNull();
    // another type is another queue for the same resource
    expect(await enqueueJob(db, { type: 'MENU_IMPORT', resourceId: 'store:1' })).not.toBeNull();

    const row = await getJob(db, first!);
    expect(row).toMatchObject({
      status: 'PENDING',
      priority: 50,
      max_attempts: 4,
      attempt_count: 0,
      payload: { storeId: 1, tags: ['a', 'b'] },
    });
    const push = await getJob(
      db,
      (await enqueueJob(db, { type: 'ORDER_PUSH', resourceId: 'order:1' }))!,
    );
    expect(push).toMatchObject({ priority: 100, max_attempts: 3 });
    const menu = await getJob(
      db,
      (await enqueueJob(db, { type: 'MENU_IMPORT', resourceId: 'org:x', priority: 7 }))!,
    );
    expect(menu).toMatchObject({ priority: 7, max_attempts: 4 });
  });

  it('accepts a new PENDING job while the previous one of the resource runs', async () => {
    const first = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:2' });
    const claimed = await claimOrFail();
    expect(claimed.id).toBe(first);
    const second = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:2' });
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
  });

  it('enqueues ORDER_PUSH once per order, ever', async () => {
    const id = await enqueueJob(db, { type: 'ORDER_PUSH', resourceId: 'order:42' });
    const job = await claimOrFail();
    expect(job.id).toBe(id);
    await finishJob(db, job, ok, 5);
    expect((await getJob(db, id!)).status).toBe('COMPLETED');
    expect(await enqueueJob(db, { type: 'ORDER_PUSH', resourceId: 'order:42' })).toBeNull();
    const count = await db
      .selectFrom('iiko_sync_job')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('resource_id', '=', 'order:42')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('creates one job when the same enqueue arrives on ten connections at once', async () => {
    const other = separateDb(testDb, 10);
    const ids = await Promise.all(
      Array.from({ length: 10 }, () =>
        enqueueJob(other, { type: 'ORDER_PUSH', resourceId: 'order:77' }),
      ),
    );
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    await other.destroy();
  });

  it('joins the caller’s transaction', async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        expect(await enqueueJob(trx, { type: 'ORDER_PUSH', resourceId: 'order:5' })).not.toBeNull();
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await enqueueJob(db, { type: 'ORDER_PUSH', resourceId: 'order:5' })).not.toBeNull();
  });
});

describe('claimJob (IK-3)', () => {
  it('takes the highest priority first, then the earliest due, then the lowest id', async () => {
    const ago = (min: number) => new Date(Date.now() - min * 60_000);
    const low = await createIikoSyncJob(db, { priority: 0, next_run_at: ago(10) });
    const midLate = await createIikoSyncJob(db, { priority: 50, next_run_at: ago(1) });
    const midEarly = await createIikoSyncJob(db, { priority: 50, next_run_at: ago(5) });
    const tieA = await createIikoSyncJob(db, { priority: 20, next_run_at: ago(3) });
    const tieB = await createIikoSyncJob(db, { priority: 20, next_run_at: tieA.next_run_at });
    await createIikoSyncJob(db, { priority: 100, next_run_at: new Date(Date.now() + 3_600_000) });

    const order: number[] = [];
    for (let job = await claimJob(db, 'w', ALL); job; job = await claimJob(db, 'w', ALL)) {
      order.push(job.id);
    }
    expect(order).toEqual([midEarly.id, midLate.id, tieA.id, tieB.id, low.id]);
  });

  it('marks the claim: RUNNING, attempt counted, 5-minute lease, worker recorded', async () => {
    const created = await createIikoSyncJob(db, { payload: JSON.stringify({ storeId: 3 }) });
    const job = await claimOrFail('host:1/2');
    expect(job).toMatchObject({
      id: created.id,
      type: 'MENU_IMPORT',
      resourceId: created.resource_id,
      payload: { storeId: 3 },
      attemptCount: 1,
      maxAttempts: 4,
      lockedBy: 'host:1/2',
    });
    const row = await getJob(db, created.id);
    expect(row.status).toBe('RUNNING');
    expect(row.lease_until!.getTime() - row.started_at!.getTime()).toBe(5 * 60_000);
  });

  it('claims only the requested types and nothing for an empty list', async () => {
    await createIikoSyncJob(db, { job_type: 'MENU_IMPORT' });
    expect(await claimJob(db, 'w', ['STOP_LIST', 'ORDER_PUSH'])).toBeNull();
    expect(await claimJob(db, 'w', [])).toBeNull();
    expect(await claimJob(db, 'w', ['MENU_IMPORT'])).not.toBeNull();
  });

  it('never starts a second job of a resource while one runs', async () => {
    const running = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:8' });
    const first = await claimOrFail();
    expect(first.id).toBe(running);
    const waiting = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:8' });
    const elsewhere = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:9' });

    expect((await claimOrFail()).id).toBe(elsewhere);
    expect(await claimJob(db, 'w', ALL)).toBeNull();
    await finishJob(db, first, ok, 1);
    expect((await claimOrFail()).id).toBe(waiting);
  });

  it('reports "nothing claimed" when a concurrent claim of the resource wins the unique index', async () => {
    // A FAILED job is being turned RUNNING by an open transaction (another worker mid-claim)
    // while a PENDING job of the same resource is due: the claim's snapshot cannot see the
    // other RUNNING row, so its UPDATE waits on idx_iiko_sync_job_running_unique and then fails.
    const other = await createIikoSyncJob(db, {
      job_type: 'STOP_LIST',
      resource_id: 'store:10',
      status: 'FAILED',
      attempt_count: 4,
    });
    const due = await createIikoSyncJob(db, { job_type: 'STOP_LIST', resource_id: 'store:10' });
    const blocker = await testDb.newPool(1).connect();
    try {
      await blocker.query('begin');
      await blocker.query(
        `update iiko_sync_job set status = 'RUNNING', attempt_count = 1, locked_by = 'other'
          where id = $1`,
        [other.id],
      );
      const claimer = separateDb(testDb, 1);
      const claim = claimJob(claimer, 'w', ALL);
      await waitFor(async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'
        `.execute(db);
        return Number(rows[0]!.n) > 0;
      }, 'the claim to wait on the unique index');
      await blocker.query('commit');
      expect(await claim).toBeNull();
      await claimer.destroy();
    } finally {
      blocker.release();
    }
    expect(await getJob(db, due.id)).toMatchObject({ status: 'PENDING', attempt_count: 0 });
  });
});

describe('finishJob (IK-4, IK-5)', () => {
  it('completes with the result and one successful log row', async () => {
    const created = await createIikoSyncJob(db);
    const job = await claimOrFail();
    const finished = await finishJob(
      db,
      job,
      {
        ok: true,
        result: { revision_to: 12, created: 3 },
        httpStatus: 200,
        requestSummary: 'POST /api/1/nomenclature {"startRevision":0}',
        responseSummary: '{"revision":12}',
      },
      1234.4,
    );
    expect(finished).toMatchObject({ jobId: created.id, attemptNumber: 1, status: 'COMPLETED' });
    const row = await getJob(db, created.id);
    expect(row).toMatchObject({
      status: 'COMPLETED',
      result: { revision_to: 12, created: 3 },
      lease_until: null,
      locked_by: null,
      last_error: null,
    });
    expect(row.finished_at).toBeInstanceOf(Date);
    const logs = await getLogs(db, created.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      attempt_number: 1,
      success: true,
      duration_ms: 1234,
      http_status: 200,
      error_code: null,
      request_summary: 'POST /api/1/nomenclature {"startRevision":0}',
      response_summary: '{"revision":12}',
    });
    expect(logs[0]!.started_at.getTime()).toBe(row.started_at!.getTime());
  });

  it('retries a retryable failure after 1, 5 and 25 minutes (±20 %), then fails it', async () => {
    const created = await createIikoSyncJob(db, { max_attempts: 4 });
    const windows = [
      [48_000, 72_000],
      [240_000, 360_000],
      [1_200_000, 1_800_000],
    ] as const;
    for (const [attempt, [min, max]] of windows.map((w, i) => [i + 1, w] as const)) {
      const job = await claimOrFail();
      expect(job.attemptCount).toBe(attempt);
      const finished = await finishJob(db, job, retryable, 10);
      expect(finished?.status).toBe('PENDING');
      const delay = await backoffOf(created.id, attempt);
      expect(delay).toBeGreaterThanOrEqual(min);
      expect(delay).toBeLessThanOrEqual(max);
      // not due before its backoff
      expect(await claimJob(db, 'w', ALL)).toBeNull();
      await makeDue(db, created.id);
    }
    const last = await claimOrFail();
    expect(last.attemptCount).toBe(4);
    expect((await finishJob(db, last, retryable, 10))?.status).toBe('FAILED');

    const row = await getJob(db, created.id);
    expect(row).toMatchObject({ status: 'FAILED', attempt_count: 4 });
    expect(row.last_error).toBe('HTTP_503: iiko answered 503');
    const logs = await getLogs(db, created.id);
    expect(logs.map((l) => [l.attempt_number, l.success, l.error_code, l.http_status])).toEqual([
      [1, false, 'HTTP_503', 503],
      [2, false, 'HTTP_503', 503],
      [3, false, 'HTTP_503', 503],
      [4, false, 'HTTP_503', 503],
    ]);
  });

  it('fails a non-retryable failure at once and keeps last_error within 2000 characters', async () => {
    const created = await createIikoSyncJob(db);
    const job = await claimOrFail();
    const finished = await finishJob(
      db,
      job,
      {
        ok: false,
        retryable: false,
        errorCode: 'IIKO_MAPPING_MISSING',
        message: 'x'.repeat(10_000),
      },
      3,
    );
    expect(finished?.status).toBe('FAILED');
    const row = await getJob(db, created.id);
    expect(row.attempt_count).toBe(1);
    expect(row.last_error!.startsWith('IIKO_MAPPING_MISSING: xxx')).toBe(true);
    expect(row.last_error!.length).toBeLessThanOrEqual(2000);
    const [log] = await getLogs(db, created.id);
    expect(log!.error_message!.length).toBeLessThanOrEqual(2000);
  });

  it('cancels a failed attempt as superseded when a newer PENDING job of the resource exists', async () => {
    const first = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:20' });
    const job = await claimOrFail();
    const newer = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:20' });
    const finished = await finishJob(db, job, retryable, 10);
    expect(finished?.status).toBe('CANCELLED');
    const row = await getJob(db, first!);
    expect(row.status).toBe('CANCELLED');
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.last_error).toMatch(/^superseded after HTTP_503/);
    expect(await getLogs(db, first!)).toHaveLength(1);
    expect((await getJob(db, newer!)).status).toBe('PENDING');
  });

  it('stores request and response summaries sanitized and cut to 5000 characters', async () => {
    const created = await createIikoSyncJob(db);
    const job = await claimOrFail();
    await finishJob(
      db,
      job,
      {
        ok: false,
        retryable: true,
        errorCode: 'HTTP_500',
        message: 'call for +79001234567 failed with Bearer abc.def.ghi',
        requestSummary:
          'POST /api/1/access_token {"apiLogin":"my-api-login","order":{"phone":"+79001234567"}}',
        responseSummary: JSON.stringify({
          token: 'eyJhbGciOi.secret',
          items: Array.from({ length: 2000 }, (_, i) => ({ n: i })),
        }),
      },
      10,
    );
    const [log] = await getLogs(db, created.id);
    expect(log!.request_summary).toContain('POST /api/1/access_token ');
    expect(log!.request_summary).not.toContain('my-api-login');
    expect(log!.request_summary).not.toContain('+79001234567');
    expect(log!.request_summary).toContain('+7900***4567');
    expect(log!.response_summary).not.toContain('eyJhbGciOi');
    expect(log!.response_summary!.length).toBe(5000);
    expect(log!.error_message).not.toContain('+79001234567');
    expect(log!.error_message).not.toContain('abc.def.ghi');
  });
});

describe('recoverExpiredLeases (IK-6)', () => {
  async function expireLease(id: number) {
    await db
      .updateTable('iiko_sync_job')
      .set({
        lease_until: sql<Date>`now() - interval '1 second'`,
        started_at: sql<Date>`now() - interval '301 seconds'`,
      })
      .where('id', '=', id)
      .execute();
  }

  it('logs WORKER_LOST, retries the job, and ignores the lost worker’s late result', async () => {
    const created = await createIikoSyncJob(db);
    const lost = await claimOrFail('dead-worker');
    await expireLease(created.id);

    const recovered = await recoverExpiredLeases(db);
    expect(recovered).toEqual([expect.objectContaining({ jobId: created.id, status: 'PENDING' })]);
    const logs = await getLogs(db, created.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ attempt_number: 1, success: false, error_code: 'WORKER_LOST' });
    expect(logs[0]!.duration_ms).toBeGreaterThanOrEqual(300_000);
    const delay = await backoffOf(created.id, 1);
    expect(delay).toBeGreaterThanOrEqual(48_000);
    expect(delay).toBeLessThanOrEqual(72_000);

    // the worker comes back and reports: nothing changes, still one row for attempt 1
    expect(await finishJob(db, lost, ok, 10)).toBeNull();
    expect(await getLogs(db, created.id)).toHaveLength(1);
    expect((await getJob(db, created.id)).status).toBe('PENDING');

    await makeDue(db, created.id);
    const again = await claimOrFail();
    expect(again).toMatchObject({ id: created.id, attemptCount: 2 });
    expect(await finishJob(db, lost, ok, 10)).toBeNull();
    expect((await finishJob(db, again, ok, 10))?.status).toBe('COMPLETED');
    expect((await getLogs(db, created.id)).map((l) => l.success)).toEqual([false, true]);
  });

  it('leaves jobs whose lease is still running alone', async () => {
    const created = await createIikoSyncJob(db);
    await claimOrFail();
    expect(await recoverExpiredLeases(db)).toEqual([]);
    expect((await getJob(db, created.id)).status).toBe('RUNNING');
    expect(await getLogs(db, created.id)).toHaveLength(0);
  });

  it('fails the job when the lost attempt was its last', async () => {
    const created = await createIikoSyncJob(db, { max_attempts: 1 });
    await claimOrFail();
    await expireLease(created.id);
    expect(await recoverExpiredLeases(db)).toEqual([
      expect.objectContaining({ jobId: created.id, status: 'FAILED' }),
    ]);
    expect((await getJob(db, created.id)).last_error).toMatch(/^WORKER_LOST: lease of test-worker/);
  });
});

describe('retryFailedJob (IK-7)', () => {
  it('puts a FAILED job back in the queue with an audit row', async () => {
    const admin = await createUser(db);
    const failed = await createIikoSyncJob(db, {
      status: 'FAILED',
      attempt_count: 4,
      next_run_at: new Date(Date.now() - 3_600_000),
      finished_at: new Date(),
      last_error: 'HTTP_500: boom',
    });
    const result = await retryFailedJob(
      db,
      { userId: admin.id, requestId: 'req-12345678', ip: '10.0.0.1' },
      failed.id,
    );
    expect(result).toBe('OK');
    const row = await getJob(db, failed.id);
    expect(row).toMatchObject({ status: 'PENDING', attempt_count: 0, finished_at: null });
    expect((await claimOrFail()).id).toBe(failed.id);

    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_user_id', 'action', 'entity_type', 'before', 'after', 'ip'])
      .where('entity_id', '=', String(failed.id))
      .where('action', '=', 'iiko_job.retry')
      .execute();
    expect(audit).toEqual([
      {
        actor_type: 'USER',
        actor_user_id: admin.id,
        action: 'iiko_job.retry',
        entity_type: 'iiko_sync_job',
        before: { status: 'FAILED', attempt_count: 4 },
        after: {
          status: 'PENDING',
          attempt_count: 0,
          job_type: 'MENU_IMPORT',
          resource_id: failed.resource_id,
        },
        ip: '10.0.0.1',
      },
    ]);
  });

  it('refuses ORDER_PUSH, jobs that are not FAILED, unknown ids and a second PENDING job', async () => {
    const admin = await createUser(db);
    const actor = { userId: admin.id };
    const push = await createIikoSyncJob(db, {
      job_type: 'ORDER_PUSH',
      resource_id: 'order:900',
      status: 'FAILED',
      attempt_count: 3,
      max_attempts: 3,
    });
    const pending = await createIikoSyncJob(db);
    const failedStop = await createIikoSyncJob(db, {
      job_type: 'STOP_LIST',
      resource_id: 'store:30',
      status: 'FAILED',
      attempt_count: 4,
    });
    await createIikoSyncJob(db, { job_type: 'STOP_LIST', resource_id: 'store:30' });

    expect(await retryFailedJob(db, actor, push.id)).toBe('ORDER_PUSH');
    expect(await retryFailedJob(db, actor, pending.id)).toBe('NOT_FAILED');
    expect(await retryFailedJob(db, actor, 999_999)).toBe('NOT_FOUND');
    expect(await retryFailedJob(db, actor, failedStop.id)).toBe('ALREADY_PENDING');

    expect((await getJob(db, push.id)).status).toBe('FAILED');
    expect((await getJob(db, failedStop.id)).status).toBe('FAILED');
    const audit = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'iiko_job.retry')
      .where('actor_user_id', '=', admin.id)
      .execute();
    expect(audit).toHaveLength(0);
  });
});
