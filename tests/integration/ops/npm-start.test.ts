import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { DEMO_ADMIN } from '../../../db/seed/demo-users';

/**
 * `npm start` against DATABASE_URL (an empty database): migrates, seeds once, serves, prints the
 * demo sign-ins; a second start reuses the data. (The embedded default is exercised by every
 * `npm test` run without DATABASE_URL.)
 */
const ROOT = path.resolve(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function npmStart(
  databaseUrl: string,
  port: number,
): Promise<{ output: string; stop: () => Promise<number | null> }> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    CTEA_SKIP_BUILD: '1',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    output,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('npm start with DATABASE_URL', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'build/index.js'))) {
      throw new Error(
        'No server build: run `npm run build` (npm test builds before running Vitest)',
      );
    }
    testDb = await createTestDatabase();
    // start from an empty database, not the migrated template
    await testDb.pool.query(
      'drop schema public cascade; drop schema meta cascade; drop schema dashboards cascade; ' +
        'drop schema ratelimit cascade; create schema public',
    );
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  it('migrates and seeds an empty database, serves, prints the demo sign-ins; a restart reuses the data', async () => {
    const port = await freePort();
    const first = await npmStart(testDb.url, port);
    try {
      expect(first.output).toContain('demo data seeded');
      expect(first.output).toContain(DEMO_ADMIN.email);
      expect(first.output).toContain(DEMO_ADMIN.password);
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      expect(login.status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const { rows } = await testDb.pool.query<{ n: string }>('select count(*) as n from users');
    const users = Number(rows[0]!.n);
    expect(users).toBeGreaterThanOrEqual(2);

    const second = await npmStart(testDb.url, port);
    try {
      expect(second.output).toContain('migrations: up to date');
      expect(second.output).toContain('demo data: already present');
    } finally {
      await second.stop();
    }
    const again = await testDb.pool.query<{ n: string }>('select count(*) as n from users');
    expect(Number(again.rows[0]!.n)).toBe(users);
  });
});
