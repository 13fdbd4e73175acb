import crypto from 'node:crypto';
import pg from 'pg';
import { EMBEDDED_TEST, startEmbeddedPostgres, type EmbeddedCluster } from '../db/embedded';
import { migrateToLatest } from '../db/migrate';
import { seedDatabase } from './lib/seed-once';

/**
 * The server behind the Playwright suite: a fresh database (on DATABASE_URL's server, or the
 * embedded test cluster), migrated and seeded with demo data, then the built app on E2E_PORT.
 * The database is dropped when Playwright stops this process.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
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

process.env.DATABASE_URL = url;
process.env.PORT = String(port);
process.env.NODE_ENV ??= 'test';
const { startServer } = await import('./server');
const { close } = await startServer();

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await close().catch(() => {});
  await admin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
  if (cluster) await cluster.stop().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
