import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../db/embedded';
import { sslSettings } from '../../db/pool-config';
import { onCleanup } from './cleanup';

/**
 * The PostgreSQL server a benchmark runs on: DATABASE_URL's server when it is set, otherwise an
 * embedded cluster of its own (`.data/pg-bench`, port 54332) so a bench never competes with the
 * development or test clusters. Benchmarks work in scratch databases created and dropped here.
 */
export const EMBEDDED_BENCH = {
  dataDir: fileURLToPath(new URL('../../.data/pg-bench', import.meta.url)),
  port: 54332,
};

export interface BenchServer {
  /** The database scratch databases are created from (DATABASE_URL's own, or `postgres`). */
  adminUrl: string;
  /** Connection string of a database on this server. */
  url: (database: string) => string;
  /** e.g. "embedded PostgreSQL 17.6 (127.0.0.1:54332)". */
  label: string;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, ssl: sslSettings(process.env) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Opens the server; an embedded cluster this process started is stopped at cleanup. A bench may
 * name its own embedded cluster so two benches can run at once.
 */
export async function openBenchServer(
  log: (line: string) => void,
  embedded: { dataDir: string; port: number } = EMBEDDED_BENCH,
): Promise<BenchServer> {
  const fromEnv = process.env.DATABASE_URL;
  let adminUrl: string;
  let where: string;
  if (fromEnv) {
    adminUrl = fromEnv;
    const u = new URL(fromEnv);
    where = `DATABASE_URL server, ${u.hostname}:${u.port || '5432'}`;
  } else {
    const cluster = await startEmbeddedPostgres({ ...embedded, log, ownSignals: true });
    if (cluster.owned) onCleanup('stop the embedded server', () => cluster.stop());
    adminUrl = cluster.url('postgres');
    where = `embedded, 127.0.0.1:${cluster.port}${cluster.owned ? '' : ', already running'}`;
  }
  const version = await withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ server_version: string }>('show server_version');
    return rows[0]!.server_version.split(' ')[0]!;
  });
  return {
    adminUrl,
    url: (database) => withDatabase(adminUrl, database),
    label: `PostgreSQL ${version} (${where})`,
  };
}

/**
 * Creates an empty database with a unique name and registers its removal (also on Ctrl-C).
 * `WITH (FORCE)` ends any connection a failed run left open.
 */
export async function createScratchDatabase(
  server: BenchServer,
  purpose: string,
): Promise<{ name: string; url: string }> {
  const name = `ctea_bench_${purpose}_${crypto.randomBytes(4).toString('hex')}`;
  const { adminUrl } = server;
  await withClient(adminUrl, (c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  onCleanup(`drop database ${name}`, () =>
    withClient(adminUrl, async (c) => {
      await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`);
    }),
  );
  return { name, url: server.url(name) };
}
