import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIikoSyncJob } from '../../factories';
import { startScript } from '../../support/script-process';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { getLogs, waitFor } from './helpers';

/** `npm run worker` (scripts/worker.ts): the runner as its own process (CF-6). */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

function startWorker(env: Record<string, string | undefined>) {
  return startScript('scripts/worker.ts', { NODE_ENV: 'test', LOG_LEVEL: 'info', ...env });
}

describe('the worker process', () => {
  it('refuses to start without DATABASE_URL, with one line', async () => {
    const { exit, output } = startWorker({});
    expect(await exit).toBe(1);
    expect(output().trim().split('\n')).toEqual(['Invalid environment: DATABASE_URL is required']);
  });

  it('recovers a lost job, then stops on SIGTERM with exit code 0', async () => {
    const lost = await createIikoSyncJob(testDb.db, {
      status: 'RUNNING',
      attempt_count: 1,
      locked_by: 'crashed-host:1/1',
      started_at: new Date(Date.now() - 10 * 60_000),
      lease_until: new Date(Date.now() - 5 * 60_000),
    });
    const worker = startWorker({ DATABASE_URL: testDb.url, WORKER_CONCURRENCY: '1' });
    try {
      const [log] = await waitFor(async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
        const logs = await getLogs(testDb.db, lost.id);
        return logs.length > 0 ? logs : null;
      }, 'the lease sweeper');
      expect(log).toMatchObject({ attempt_number: 1, success: false, error_code: 'WORKER_LOST' });
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exit).toBe(0);
    expect(worker.output()).toContain('workers stopped');
  });
});
