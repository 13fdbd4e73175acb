import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStopListHandler } from '~/features/iiko/iiko-jobs.server';
import { enqueueJob, recoverExpiredLeases } from '~/features/jobs/job-queue.server';
import type { JobHandler } from '~/features/jobs/job-types';
import { startWorkers } from '~/features/jobs/worker.server';
import { clearIikoTokenCache } from '~/integrations/iiko/iiko-client.server';
import { createStore } from '../../factories';
import { startScript } from '../../support/script-process';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue, getJob, getLogs, makeDue, separateDb, waitFor } from '../jobs/helpers';
import { ORG_ID, startFakeIiko, type FakeIiko } from './helpers';

/**
 * The queue on real iiko jobs (IK-3, IK-4, IK-6): two runners with their own connection pools
 * share 200 jobs, each processed exactly once; a worker process killed mid-call leaves a RUNNING
 * job that another worker finishes once the lease has expired.
 */

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
beforeEach(async () => {
  await iiko.control.reset();
  clearIikoTokenCache();
  await clearQueue(testDb.db);
});

/** The STOP_LIST handler on the fake, counting its calls per job. */
function countingHandler(
  calls: Map<number, number>,
  runner: string,
  perRunner: Map<string, number>,
) {
  const inner = createStopListHandler({ client: () => iiko.client() });
  const handler: JobHandler = async (ctx) => {
    calls.set(ctx.job.id, (calls.get(ctx.job.id) ?? 0) + 1);
    perRunner.set(runner, (perRunner.get(runner) ?? 0) + 1);
    return inner(ctx);
  };
  return handler;
}

describe('queue acceptance on STOP_LIST jobs', () => {
  it('two runners (separate pools) process 200 jobs exactly once each', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const store = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
      ids.push(
        (await enqueueJob(testDb.db, { type: 'STOP_LIST', resourceId: `store:${store.id}` }))!,
      );
    }
    const calls = new Map<number, number>();
    const perRunner = new Map<string, number>();
    const dbA = separateDb(testDb, 3);
    const dbB = separateDb(testDb, 3);
    const runners = [
      startWorkers({
        db: dbA,
        concurrency: 2,
        workerId: 'runner-a',
        periodicTasks: [],
        idleMs: [10, 50],
        handlers: { STOP_LIST: countingHandler(calls, 'a', perRunner) },
      }),
      startWorkers({
        db: dbB,
        concurrency: 2,
        workerId: 'runner-b',
        periodicTasks: [],
        idleMs: [10, 50],
        handlers: { STOP_LIST: countingHandler(calls, 'b', perRunner) },
      }),
    ];
    try {
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from iiko_sync_job where status = 'COMPLETED'`.execute(
            testDb.db,
          );
          return rows[0]!.n === 200;
        },
        '200 completed jobs',
        120_000,
      );
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await dbA.destroy();
      await dbB.destroy();
    }

    const jobs = await testDb.db
      .selectFrom('iiko_sync_job')
      .select(['id', 'status', 'attempt_count'])
      .where('id', 'in', ids)
      .execute();
    expect(jobs).toHaveLength(200);
    expect(jobs.every((j) => j.status === 'COMPLETED' && j.attempt_count === 1)).toBe(true);
    const { rows: logCounts } = await sql<{ job_id: number; n: number }>`
      select job_id, count(*)::int as n from iiko_sync_log group by job_id`.execute(testDb.db);
    expect(logCounts).toHaveLength(200);
    expect(logCounts.every((r) => r.n === 1)).toBe(true);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(200);
    expect((perRunner.get('a') ?? 0) + (perRunner.get('b') ?? 0)).toBe(200);
    const state = await iiko.control.state();
    expect(state.requests.filter((r) => r.path === '/api/1/stop_lists')).toHaveLength(200);
  });

  it('a worker process killed (SIGKILL) mid-call leaves a RUNNING job; another worker finishes it after the lease', async () => {
    // the worker process's own schedule (IK-2) must not add jobs for the previous test's stores
    await testDb.db.updateTable('store').set({ is_active: false }).execute();
    const store = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
    const jobId = (await enqueueJob(testDb.db, {
      type: 'STOP_LIST',
      resourceId: `store:${store.id}`,
    }))!;
    // the fake holds the call (iiko's own limit then answers 408 after 15 s)
    await iiko.control.fault({ path: '/api/1/stop_lists', delay_ms: 60_000 });

    const worker = startScript('scripts/worker.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: testDb.url,
      WORKER_CONCURRENCY: '1',
      IIKO_API_BASE_URL: iiko.url,
      IIKO_API_LOGIN: 'fake-iiko-login',
      IIKO_ORGANIZATION_ID: ORG_ID,
    });
    try {
      await waitFor(async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
        const job = await getJob(testDb.db, jobId);
        return job.status === 'RUNNING' && (await iiko.control.state()).inFlight > 0;
      }, 'the worker to be inside the iiko call');
    } finally {
      worker.child.kill('SIGKILL');
    }
    await worker.exit;

    const lost = await getJob(testDb.db, jobId);
    expect(lost).toMatchObject({ status: 'RUNNING', attempt_count: 1 });
    expect(lost.locked_by).toContain(String(worker.child.pid));
    expect(await getLogs(testDb.db, jobId)).toHaveLength(0);

    // the lease runs out (instead of waiting 5 minutes)
    await testDb.db
      .updateTable('iiko_sync_job')
      .set({ lease_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', jobId)
      .execute();

    const other = startWorkers({
      db: testDb.db,
      concurrency: 1,
      workerId: 'rescuer',
      idleMs: [10, 50],
      periodicTasks: [
        { name: 'test.recover_leases', everyMs: 100, run: (db) => recoverExpiredLeases(db) },
      ],
      handlers: { STOP_LIST: createStopListHandler({ client: () => iiko.client() }) },
    });
    try {
      await waitFor(async () => (await getLogs(testDb.db, jobId)).length === 1, 'WORKER_LOST');
      // the retry waits out its IK-5 backoff; make it due now
      await makeDue(testDb.db, jobId);
      await waitFor(
        async () => (await getJob(testDb.db, jobId)).status === 'COMPLETED',
        'the retry to complete',
      );
    } finally {
      await other.stop();
    }
    const logs = await getLogs(testDb.db, jobId);
    expect(logs.map((l) => [l.attempt_number, l.success, l.error_code])).toEqual([
      [1, false, 'WORKER_LOST'],
      [2, true, null],
    ]);
    expect(await getJob(testDb.db, jobId)).toMatchObject({ status: 'COMPLETED', attempt_count: 2 });
  });
});
