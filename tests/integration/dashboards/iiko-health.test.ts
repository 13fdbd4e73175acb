import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iikoHealthDashboard } from '../../../app/features/dashboards/iiko-health.server';
import { createIikoSyncJob, createProduct, createStore } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * DA-2 figures: failed attempts per hour by finished_at, queue depth and oldest pending job per
 * type, success rate and exact p95 over the last 24 h, terminals alive (a successful STOP_LIST
 * attempt within 15 minutes), the last failed attempts, FAILED jobs awaiting retry (never
 * ORDER_PUSH) and open override conflicts (IK-9).
 */

let testDb: TestDatabase;
const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

async function log(
  jobId: number,
  attempt: number,
  finishedAt: Date,
  durationMs: number,
  success: boolean,
  error?: { code: string; message: string },
) {
  await testDb.db
    .insertInto('iiko_sync_log')
    .values({
      job_id: jobId,
      attempt_number: attempt,
      started_at: new Date(finishedAt.getTime() - durationMs),
      finished_at: finishedAt,
      duration_ms: durationMs,
      success,
      http_status: success ? 200 : 503,
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
    })
    .execute();
}

let aliveStore: number;
let failedLogJob: number;
let retryableJob: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  aliveStore = (await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() })).id;
  const staleStore = (await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() }))
    .id;
  await createStore(testDb.db); // not connected to iiko

  // STOP_LIST attempts: 100 ms ok, 200 ms ok, 300 ms failed → rate 2/3, p95 = 290 ms
  const alive = await createIikoSyncJob(testDb.db, {
    job_type: 'STOP_LIST',
    resource_id: `store:${aliveStore}`,
    status: 'COMPLETED',
    attempt_count: 2,
  });
  failedLogJob = alive.id;
  await log(alive.id, 1, minutesAgo(9), 300, false, { code: 'HTTP_503', message: 'iiko is down' });
  await log(alive.id, 2, minutesAgo(5), 100, true);
  const stale = await createIikoSyncJob(testDb.db, {
    job_type: 'STOP_LIST',
    resource_id: `store:${staleStore}`,
    status: 'COMPLETED',
    attempt_count: 1,
  });
  await log(stale.id, 1, minutesAgo(30), 200, true);
  // older than 24 h: out of the success rate and p95, still in the latest failures
  const old = await createIikoSyncJob(testDb.db, { status: 'COMPLETED', attempt_count: 1 });
  await log(old.id, 1, minutesAgo(25 * 60), 5000, false, { code: 'TIMEOUT', message: 'old' });

  // the queue: two PENDING STOP_LIST jobs, the older one 10 minutes old
  await createIikoSyncJob(testDb.db, {
    job_type: 'STOP_LIST',
    resource_id: 'store:900001',
    created_at: minutesAgo(10),
  });
  await createIikoSyncJob(testDb.db, {
    job_type: 'STOP_LIST',
    resource_id: 'store:900002',
    created_at: minutesAgo(2),
  });
  // FAILED: a menu import awaits retry; an ORDER_PUSH is never retried by hand (IK-7)
  retryableJob = (
    await createIikoSyncJob(testDb.db, {
      status: 'FAILED',
      attempt_count: 4,
      last_error: 'HTTP 400: bad request',
    })
  ).id;
  await createIikoSyncJob(testDb.db, {
    job_type: 'ORDER_PUSH',
    resource_id: 'order:900003',
    status: 'FAILED',
    attempt_count: 3,
    max_attempts: 3,
    last_error: 'ProductNotFound',
  });

  // IK-9: only an overridden product whose iiko values differ is a conflict
  await createProduct(testDb.db, {
    base_price: '300.00',
    is_manual_override: true,
    iiko_price: '320.00',
    iiko_name: 'x',
  });
  const same = await createProduct(testDb.db, { base_price: '300.00', is_manual_override: true });
  await testDb.db
    .updateTable('product')
    .set({ iiko_price: '300.00', iiko_name: same.name_ru })
    .where('id', '=', same.id)
    .execute();
  await createProduct(testDb.db, { base_price: '300.00', iiko_price: '350.00', iiko_name: 'y' });
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('iikoHealthDashboard (DA-2)', () => {
  it('computes the figures of the last 24 hours and of now', async () => {
    const d = await iikoHealthDashboard(testDb.db, {
      range: { from: new Date(NOW.getTime() - 24 * 3_600_000), to: NOW },
      now: NOW,
      maxStalenessMs: 0,
    });
    const stopList = d.types.find((t) => t.jobType === 'STOP_LIST')!;
    expect(stopList).toMatchObject({ pending: 2, attempts: 3, successes: 2 });
    expect(stopList.successRate).toBeCloseTo(2 / 3, 10);
    expect(stopList.p95DurationMs).toBeCloseTo(290, 6);
    expect(stopList.oldestPendingSeconds).toBeGreaterThanOrEqual(600);
    expect(d.types.find((t) => t.jobType === 'MENU_IMPORT')).toMatchObject({
      pending: 0,
      attempts: 0,
      successRate: null,
      p95DurationMs: null,
      oldestPendingSeconds: null,
    });
    expect(d.overall.pending).toBe(2);
    expect(d.overall.successRate).toBeCloseTo(2 / 3, 10);

    expect(d.terminals).toEqual({ connected: 2, alive: 1 });
    expect(d.overrideConflicts).toBe(1);
    expect(d.threshold).toBe(3);

    // one failed attempt in the range, in the hour of its finished_at
    expect(d.failedPerHour.reduce((n, b) => n + b.failed, 0)).toBe(1);
    const hour = new Date(Math.floor(minutesAgo(9).getTime() / 3_600_000) * 3_600_000);
    expect(d.failedPerHour).toEqual([{ start: hour.toISOString(), failed: 1 }]);

    expect(d.recentFailures.map((f) => [f.jobId, f.errorCode, f.errorMessage])).toEqual([
      [failedLogJob, 'HTTP_503', 'iiko is down'],
      [expect.any(Number), 'TIMEOUT', 'old'],
    ]);
    expect(d.failedJobs.total).toBe(1);
    expect(d.failedJobs.rows.map((j) => j.jobId)).toEqual([retryableJob]);
  });

  it('counts an attempt written after a first read', async () => {
    const job = await createIikoSyncJob(testDb.db, {
      job_type: 'MENU_IMPORT',
      resource_id: 'org:later',
      status: 'COMPLETED',
      attempt_count: 1,
    });
    const range = { from: new Date(NOW.getTime() - 24 * 3_600_000), to: new Date() };
    await iikoHealthDashboard(testDb.db, { range, maxStalenessMs: 0 });
    await log(job.id, 1, new Date(), 700, true);
    const d = await iikoHealthDashboard(testDb.db, { range, maxStalenessMs: 0 });
    expect(d.types.find((t) => t.jobType === 'MENU_IMPORT')).toMatchObject({
      attempts: 1,
      successes: 1,
      p95DurationMs: 700,
    });
  });
});
