import crypto from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import '../../db/pg-types';
import { prepareParameterisedStatements } from '../../db/prepared-statements';
import { inject } from 'vitest';
import type { DB } from '../../db/types.generated';

export interface TestDatabase {
  /** Connection string of this file's own database. */
  url: string;
  name: string;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** A separate pool, for tests that need several independent connections (concurrency). */
  newPool: (max?: number) => pg.Pool;
  destroy: () => Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates this file's database as a copy of the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgServerUrl');
  const template = inject('templateDatabase');
  const name = `${template}_f${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      break;
    } catch (err) {
      // "source database is being accessed by other users": another file is copying it right now
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();

  const url = withDatabase(serverUrl, name);
  const pools: pg.Pool[] = [];
  const newPool = (max = 10) => {
    const p = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' });
    p.on('error', () => {});
    // as the app's pools do (ADR 0025), so every test runs the statements the way production does
    p.on('connect', (client) => prepareParameterisedStatements(client));
    pools.push(p);
    return p;
  };
  const pool = newPool(10);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

  return {
    url,
    name,
    db,
    pool,
    newPool,
    destroy: async () => {
      await db.destroy().catch(() => {});
      await Promise.all(pools.filter((p) => p !== pool).map((p) => p.end().catch(() => {})));
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * Points the app's process-wide database (db/database.server.ts) at this file's database, for
 * tests that call loaders, actions and services the way the server does.
 */
export async function useAppDatabase(testDb: TestDatabase): Promise<void> {
  const { resetEnvCache } = await import('../../app/utils/env.server');
  const { closeDb } = await import('../../db/database.server');
  await closeDb();
  process.env.DATABASE_URL = testDb.url;
  resetEnvCache();
}
