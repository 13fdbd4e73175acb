import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED_TEST, startEmbeddedPostgres, type EmbeddedCluster } from '../db/embedded';
import { migrateToLatest } from '../db/migrate';
import { startFakes } from './lib/fakes';
import { startRoundRobinProxy } from './lib/round-robin-proxy';
import { waitForHttp } from './lib/run';
import { seedDatabase } from './lib/seed-once';

/**
 * The server behind the Playwright suite: a fresh database (on DATABASE_URL's server, or the
 * embedded test cluster), migrated and seeded with demo data, the local fake integration
 * services (SMS, YooKassa, Telegram, iiko: domain.md 3.2), then the built app on E2E_PORT with its
 * in-process job workers, so paid orders are pushed to the fake iiko. A fake that cannot start fails the
 * run; the fakes stop and the database is dropped when Playwright stops this process.
 *
 * E2E_INSTANCES=N (N ≥ 2) is the scale-out run (docs/ops/scale-out.md): N app processes
 * (scripts/server.ts on E2E_PORT+1 … E2E_PORT+N, DISABLE_IN_PROCESS_WORKERS) and N worker processes
 * (scripts/worker.ts) on the one database, behind a round-robin proxy on E2E_PORT that sends each
 * request to the next instance. The fakes call the proxy; every child's output goes to
 * `.data/e2e/scaleout-<port>/<name>.log`.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const instances = Number(process.env.E2E_INSTANCES ?? 1);
if (!Number.isInteger(instances) || instances < 1 || instances > 8) {
  process.stderr.write(`[e2e] E2E_INSTANCES must be 1..8, got ${process.env.E2E_INSTANCES}\n`);
  process.exit(2);
}
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
/** The scale-out run's app and worker processes. */
const apps: ChildProcess[] = [];
let close: () => Promise<void> = async () => {};
let stopping = false;

function exited(c: ChildProcess): boolean {
  return c.exitCode !== null || c.signalCode !== null;
}

/** SIGTERM, then SIGKILL after 15 s (the app's own shutdown gives up after 10 s). */
async function terminate(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((c) => {
      if (exited(c)) return null;
      return new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
      });
    }),
  );
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await close().catch(() => {});
  // the apps and workers first: they use the fakes and the database until they have stopped
  await terminate(apps);
  await terminate(fakes);
  await admin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
  if (cluster) await cluster.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
// start-up failures inside startServer exit at once: never leave a fake behind
process.on('exit', () => {
  for (const child of [...apps, ...fakes]) if (!exited(child)) child.kill('SIGTERM');
});

/**
 * One app or worker process of the scale-out run, its output in a log file. Exiting before the
 * run stops fails the run, like a fake that dies.
 */
function spawnScript(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const dir = path.resolve(`.data/e2e/scaleout-${port}`);
  fs.mkdirSync(dir, { recursive: true });
  const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  apps.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`[e2e] ${name} exited (${code ?? signal}); stopping\n`);
    void stop(1);
  });
  return child;
}

/** N app processes and N workers behind the round-robin proxy on `port`. */
async function startScaledOut(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const upstreams: string[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 1; i <= instances; i++) {
    const appPort = port + i;
    const app = spawnScript(`app-${i}`, 'scripts/server.ts', {
      ...env,
      PORT: String(appPort),
      DISABLE_IN_PROCESS_WORKERS: 'true',
    });
    spawnScript(`worker-${i}`, 'scripts/worker.ts', env);
    upstreams.push(`http://127.0.0.1:${appPort}`);
    ready.push(waitForHttp(`http://127.0.0.1:${appPort}/readyz`, 120_000, () => !exited(app)));
  }
  await Promise.all(ready);
  const proxy = await startRoundRobinProxy({
    port,
    upstreams,
    forwardedFor: env.TRUST_PROXY_CIDRS !== undefined,
  });
  process.stderr.write(
    `[e2e] ${instances} instances behind ${proxy.url}: ${upstreams.join(' ')}\n`,
  );
  return async () => {
    await proxy.close();
    process.stderr.write(`[e2e] requests per instance: ${proxy.counts().join(' ')}\n`);
  };
}

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
  // the shared page cache runs as in production (off by default outside it), so the browser
  // specs meet the stored menu and its hash-based CSP (ADR 0022)
  process.env.PAGE_CACHE_ENTRIES ??= '500';
  if (instances === 1) {
    const { startServer } = await import('./server');
    ({ close } = await startServer());
  } else {
    // links in SMS and payment return URLs name the load balancer, not an instance's own port
    process.env.PUBLIC_BASE_URL ??= `http://localhost:${port}`;
    // the instances see the proxy (loopback) as the peer and believe its X-Forwarded-For
    process.env.TRUST_PROXY_CIDRS ??= '127.0.0.1/32,::1/128';
    close = await startScaledOut({ ...process.env });
  }
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
