import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../factories';
import { startScript } from '../../support/script-process';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { waitFor } from '../jobs/helpers';

/**
 * Issue 8: two `npm run worker` processes (scripts/worker.ts) on one database — the scale-out
 * deployment's workers — run each queued job exactly once (FOR UPDATE SKIP LOCKED, IK-3). The
 * same claim is proven with two pools in one process in tests/integration/jobs/workers.test.ts;
 * here they are separate processes with the real job handlers. STOP_LIST jobs of stores without
 * an iiko terminal group complete (skipped, not connected) without any outbound call, so the iiko
 * settings only need to be present: the base URL is a closed port. (The workers' periodic
 * scheduler also enqueues the organisation's MENU_IMPORT, which fails there; only the STOP_LIST
 * jobs are counted.)
 */

const JOBS = 120;
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

function startWorker() {
  return startScript('scripts/worker.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: testDb.url,
    WORKER_CONCURRENCY: '4',
    IIKO_API_BASE_URL: 'http://127.0.0.1:9',
    IIKO_API_LOGIN: 'scale-out-test',
    IIKO_ORGANIZATION_ID: crypto.randomUUID(),
  });
}

describe('two worker processes on one queue', () => {
  it('complete every job exactly once, with one attempt each', async () => {
    const stores = await Promise.all(Array.from({ length: JOBS }, () => createStore(testDb.db)));
    await testDb.db
      .insertInto('iiko_sync_job')
      .values(
        stores.map((s) => ({
          job_type: 'STOP_LIST',
          resource_id: `store:${s.id}`,
          max_attempts: 4,
        })),
      )
      .execute();

    const workers = [startWorker(), startWorker()];
    try {
      await waitFor(
        async () => {
          for (const w of workers) {
            if (w.child.exitCode !== null) throw new Error(`a worker exited: ${w.output()}`);
          }
          const { rows } = await sql<{ open: number }>`
            select count(*)::int as open from iiko_sync_job
            where job_type = 'STOP_LIST' and status <> 'COMPLETED'
          `.execute(testDb.db);
          // both must have started before they are stopped (one can finish the queue alone
          // while the other is still loading)
          return (
            rows[0]!.open === 0 && workers.every((w) => w.output().includes('workers started'))
          );
        },
        `${JOBS} completed jobs and both workers started`,
        60_000,
      ).catch(async (err: unknown) => {
        const { rows } = await sql<{ status: string; n: number }>`
          select status, count(*)::int as n from iiko_sync_job group by status
        `.execute(testDb.db);
        throw new Error(
          `${String(err)}; jobs ${JSON.stringify(rows)}; worker output:\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`,
        );
      });
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
    }
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
    for (const w of workers) expect(w.output()).toContain('workers stopped');

    const jobs = await testDb.db
      .selectFrom('iiko_sync_job')
      .select(['id', 'attempt_count'])
      .where('job_type', '=', 'STOP_LIST')
      .execute();
    expect(jobs).toHaveLength(JOBS);
    expect(jobs.every((j) => j.attempt_count === 1)).toBe(true);
    const logs = await testDb.db
      .selectFrom('iiko_sync_log')
      .select(['job_id', 'attempt_number', 'success'])
      .where(
        'job_id',
        'in',
        jobs.map((j) => j.id),
      )
      .execute();
    expect(logs).toHaveLength(JOBS);
    expect(new Set(logs.map((l) => l.job_id)).size).toBe(JOBS);
    expect(logs.every((l) => l.attempt_number === 1 && l.success)).toBe(true);
  }, 120_000);
});
