import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED_TEST, startEmbeddedPostgres, type EmbeddedCluster } from '../db/embedded';
import { migrateToLatest } from '../db/migrate';
import { startFakes } from './lib/fakes';
import { seedDatabase } from './lib/seed-once';

/**
 * The server behind the Playwright suite: a fresh database (on DATABASE_URL's server, or the
 * embedded test cluster), migrated and seeded with demo data, the local fake integration
 * services (SMS, YooKassa, Telegram, iiko: domain.md 3.2), then the built app on E2E_PORT with its
 * in-process job workers, so paid orders are pushed to the fake iiko. A fake that cannot start fails the
 * run; the fakes stop and the database is dropped when Playwright stops this process.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
/** Where the running e2e server describes itself to the specs (e2e/support/runtime.ts). */
const E2E_RUNTIME_FILE = path.resolve(`.data/e2e/runtime-${port}.json`);
let cluster: EmbeddedCluster | null = null;
let serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  cluster = await startEmbeddedPostgres({ ...EMBEDDED_TEST, log: () => {}, ownSignals: true });
  serverUrl = cluster.url('postgres');
}
const name = `ctea_e2e_${crypto.randomBytes(4).toString('hex')}`;
const withDb = (db: string) => {
  const u = new URL(serverUrl!);
  u.pathname = `/${db}`;
  return u.toString();
};

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDb('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

await admin((c) => c.query(`create database ${name}`));
const url = withDb(name);
const { error } = await migrateToLatest(url);
if (error) throw error;
await seedDatabase(url, () => {});

const fakes: ChildProcess[] = [];
let close: () => Promise<void> = async () => {};
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await close().catch(() => {});
  for (const child of fakes) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    fakes.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
  );
  await admin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
  if (cluster) await cluster.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
// start-up failures inside startServer exit at once: never leave a fake behind
process.on('exit', () => {
  for (const child of fakes) if (child.exitCode === null) child.kill('SIGTERM');
});

try {
  const fakeEnv = await startFakes(fakes, (line) => process.stderr.write(`[e2e] ${line}\n`), {
    appPort: port,
  });
  for (const child of fakes) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`[e2e] a fake service exited (${code ?? signal}); stopping\n`);
      void stop(1);
    });
  }
  Object.assign(process.env, fakeEnv);
  process.env.DATABASE_URL = url;
  process.env.PORT = String(port);
  process.env.NODE_ENV ??= 'test';
  // DA-3: alerts evaluated every second, so the alert spec sees several evaluations quickly
  process.env.ALERTS_EVALUATE_EVERY_MS ??= '1000';
  const { startServer } = await import('./server');
  ({ close } = await startServer());
  // The specs read this to set preconditions, check the database and read the fakes' outboxes.
  fs.mkdirSync(path.dirname(E2E_RUNTIME_FILE), { recursive: true });
  fs.writeFileSync(
    E2E_RUNTIME_FILE,
    JSON.stringify(
      { databaseUrl: url, baseUrl: `http://localhost:${port}`, fakes: fakeEnv },
      null,
      2,
    ),
  );
} catch (err) {
  process.stderr.write(
    `[e2e] start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  await stop(1);
}
