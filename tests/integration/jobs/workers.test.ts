import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { enqueueJob } from '../../../app/features/jobs/job-queue.server';
import type { JobHandlers } from '../../../app/features/jobs/job-types';
import type { PeriodicTask } from '../../../app/features/jobs/periodic.server';
import {
  runDueJobsOnce,
  runPeriodicTask,
  startWorkers,
} from '../../../app/features/jobs/worker.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue, gate, getJob, getLogs, separateDb, waitFor } from './helpers';

/** The worker runner: handlers, timeouts, several runners on one queue (CF-6), periodic locks. */

let testDb: TestDatabase;
let db: Kysely<DB>;
const FAST = [5, 20] as const;

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

async function countByStatus(status: string): Promise<number> {
  const row = await db
    .selectFrom('iiko_sync_job')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('runDueJobsOnce', () => {
  it('counts a handler that throws as a retryable UNEXPECTED_ERROR with a sanitized message', async () => {
    const id = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:1' });
    const handlers: JobHandlers = {
      STOP_LIST: async () => {
        throw new Error('lookup of +79001234567 crashed');
      },
    };
    const runs = await runDueJobsOnce(db, { workerId: 'test', handlers });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.finished?.status).toBe('PENDING');
    const [log] = await getLogs(db, id!);
    expect(log).toMatchObject({ success: false, error_code: 'UNEXPECTED_ERROR' });
    expect(log!.error_message).toContain('+7900***4567');
    expect(log!.error_message).not.toContain('+79001234567');
  });

  it('aborts a handler at the per-job timeout and records a retryable TIMEOUT', async () => {
    const id = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:2' });
    let aborted = false;
    const handlers: JobHandlers = {
      STOP_LIST: ({ signal }) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ ok: true, result: { late: true } });
          });
        }),
    };
    await runDueJobsOnce(db, { workerId: 'test', handlers, jobTimeoutMs: 50 });
    expect(aborted).toBe(true);
    expect(await getJob(db, id!)).toMatchObject({ status: 'PENDING', result: null });
    const [log] = await getLogs(db, id!);
    expect(log).toMatchObject({ success: false, error_code: 'TIMEOUT' });
  });

  it('passes the claimed job to its handler and claims only types that have one', async () => {
    const push = await enqueueJob(db, {
      type: 'ORDER_PUSH',
      resourceId: 'order:7',
      payload: { orderId: 7 },
    });
    const menu = await enqueueJob(db, { type: 'MENU_IMPORT', resourceId: 'org:1' });
    const seen: unknown[] = [];
    const handlers: JobHandlers = {
      ORDER_PUSH: async ({ job, workerId }) => {
        seen.push({ id: job.id, resourceId: job.resourceId, payload: job.payload, workerId });
        return { ok: true, result: { iiko_sync_status: 'SKIPPED' } };
      },
    };
    const runs = await runDueJobsOnce(db, { workerId: 'runner-a', handlers });
    expect(runs.map((r) => r.job.id)).toEqual([push]);
    expect(seen).toEqual([
      { id: push, resourceId: 'order:7', payload: { orderId: 7 }, workerId: 'runner-a' },
    ]);
    expect(await getJob(db, push!)).toMatchObject({
      status: 'COMPLETED',
      result: { iiko_sync_status: 'SKIPPED' },
    });
    expect((await getJob(db, menu!)).status).toBe('PENDING');
  });
});

describe('several runners on one queue', () => {
  it('run each of 100 jobs exactly once, with exactly one log row each', async () => {
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        enqueueJob(db, { type: 'STOP_LIST', resourceId: `store:${1000 + i}` }),
      ),
    );
    const calls = new Map<number, number>();
    const handlers: JobHandlers = {
      STOP_LIST: async ({ job }) => {
        calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
        return { ok: true, result: {} };
      },
    };
    const dbA = separateDb(testDb, 5);
    const dbB = separateDb(testDb, 5);
    const common = { concurrency: 4, handlers, periodicTasks: [], idleMs: FAST };
    const a = startWorkers({ ...common, db: dbA, workerId: 'runner-a' });
    const b = startWorkers({ ...common, db: dbB, workerId: 'runner-b' });
    try {
      await waitFor(async () => (await countByStatus('COMPLETED')) === 100, '100 completed jobs');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([dbA.destroy(), dbB.destroy()]);
    }

    expect([...calls.keys()].sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x! - y!));
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    const logs = await db
      .selectFrom('iiko_sync_log')
      .select(['job_id', 'attempt_number', 'success'])
      .execute();
    expect(logs).toHaveLength(100);
    expect(new Set(logs.map((l) => l.job_id)).size).toBe(100);
    expect(logs.every((l) => l.attempt_number === 1 && l.success)).toBe(true);
  });

  it('never run two jobs of one resource at the same time', async () => {
    // Each run enqueues the next generation for its resource while it is still RUNNING, so a
    // PENDING job of the same resource is always waiting next to the running one.
    const resources = Array.from({ length: 5 }, (_, i) => `store:${2000 + i}`);
    for (const resourceId of resources) {
      await enqueueJob(db, { type: 'STOP_LIST', resourceId, payload: { generation: 1 } });
    }
    const active = new Map<string, number>();
    let overlaps = 0;
    const runsPerJob = new Map<number, number>();
    const handlers: JobHandlers = {
      STOP_LIST: async ({ db: jobDb, job }) => {
        runsPerJob.set(job.id, (runsPerJob.get(job.id) ?? 0) + 1);
        const now = (active.get(job.resourceId) ?? 0) + 1;
        active.set(job.resourceId, now);
        if (now > 1) overlaps += 1;
        const generation = Number(job.payload.generation);
        if (generation < 6) {
          await enqueueJob(jobDb, {
            type: 'STOP_LIST',
            resourceId: job.resourceId,
            payload: { generation: generation + 1 },
          });
        }
        await sql`select pg_sleep(0.005)`.execute(jobDb);
        active.set(job.resourceId, (active.get(job.resourceId) ?? 1) - 1);
        return { ok: true, result: { generation } };
      },
    };
    const dbA = separateDb(testDb, 5);
    const dbB = separateDb(testDb, 5);
    const common = { concurrency: 4, handlers, periodicTasks: [], idleMs: FAST };
    const a = startWorkers({ ...common, db: dbA, workerId: 'runner-a' });
    const b = startWorkers({ ...common, db: dbB, workerId: 'runner-b' });
    try {
      await waitFor(async () => (await countByStatus('COMPLETED')) === 30, '30 completed jobs');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([dbA.destroy(), dbB.destroy()]);
    }
    expect(overlaps).toBe(0);
    expect(runsPerJob.size).toBe(30);
    expect([...runsPerJob.values()].every((n) => n === 1)).toBe(true);
  });

  it('stop() lets the running job finish and claims nothing more', async () => {
    const first = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:3000' });
    const release = gate();
    const events: string[] = [];
    const handlers: JobHandlers = {
      STOP_LIST: async () => {
        events.push('started');
        await release.promise;
        events.push('finished');
        return { ok: true, result: {} };
      },
    };
    const workers = startWorkers({
      db,
      workerId: 'runner',
      concurrency: 2,
      handlers,
      periodicTasks: [],
      idleMs: FAST,
    });
    await waitFor(async () => events.includes('started'), 'the job to start');
    const stopped = workers.stop().then(() => events.push('stopped'));
    const later = await enqueueJob(db, { type: 'STOP_LIST', resourceId: 'store:3001' });
    expect(events).toEqual(['started']);
    release.open();
    await stopped;
    expect(events).toEqual(['started', 'finished', 'stopped']);
    expect((await getJob(db, first!)).status).toBe('COMPLETED');
    expect((await getJob(db, later!)).status).toBe('PENDING');
  });
});

describe('periodic tasks', () => {
  it('run on one runner at a time: the advisory lock makes the other skip', async () => {
    const dbA = separateDb(testDb, 3);
    const dbB = separateDb(testDb, 3);
    const release = gate();
    let runs = 0;
    const task: PeriodicTask = {
      name: 'test.exclusive',
      everyMs: 60_000,
      run: async () => {
        runs += 1;
        await release.promise;
      },
    };
    try {
      const first = runPeriodicTask(dbA, task);
      await waitFor(async () => runs === 1, 'the first run to hold the lock');
      expect(await runPeriodicTask(dbB, task)).toBe('skipped');
      // another task name is another lock
      expect(await runPeriodicTask(dbB, { ...task, name: 'test.other', run: async () => {} })).toBe(
        'ran',
      );
      release.open();
      expect(await first).toBe('ran');
      expect(await runPeriodicTask(dbB, task)).toBe('ran');
      expect(runs).toBe(2);
    } finally {
      release.open();
      await Promise.all([dbA.destroy(), dbB.destroy()]);
    }
  });

  it('releases the lock when a run fails', async () => {
    const task: PeriodicTask = {
      name: 'test.failing',
      everyMs: 60_000,
      run: async () => {
        throw new Error('task failed');
      },
    };
    await expect(runPeriodicTask(db, task)).rejects.toThrow('task failed');
    const other = separateDb(testDb, 2);
    expect(await runPeriodicTask(other, { ...task, run: async () => {} })).toBe('ran');
    await other.destroy();
  });

  it('never overlap when two runners schedule the same task', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const task: PeriodicTask = {
      name: 'test.scheduled',
      everyMs: 1,
      run: async (taskDb) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sql`select pg_sleep(0.01)`.execute(taskDb);
        active -= 1;
        runs += 1;
      },
    };
    const dbA = separateDb(testDb, 3);
    const dbB = separateDb(testDb, 3);
    const common = { concurrency: 1, handlers: {}, periodicTasks: [task], idleMs: FAST };
    const a = startWorkers({ ...common, db: dbA, workerId: 'runner-a' });
    const b = startWorkers({ ...common, db: dbB, workerId: 'runner-b' });
    try {
      await waitFor(async () => runs >= 20, '20 runs of the task');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([dbA.destroy(), dbB.destroy()]);
    }
    expect(maxActive).toBe(1);
  });
});
