import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIikoSyncJob } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { getLogs, waitFor } from './helpers';

/** `npm run worker` (scripts/worker.ts): the runner as its own process (CF-6). */

const ROOT = path.resolve(__dirname, '../../..');

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

function startWorker(env: Record<string, string | undefined>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: 'test' };
  for (const [k, v] of Object.entries({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'info',
    ...env,
  })) {
    if (v !== undefined) childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
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
