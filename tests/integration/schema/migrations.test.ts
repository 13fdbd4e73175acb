import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Kysely, Migrator, NO_MIGRATIONS, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, migrationProvider } from '../../../db/migrate';

/** Every migration file of the top-level migrations/ folder. */
function migrationFiles(): string[] {
  return fs.readdirSync(path.resolve('migrations')).filter((f) => f.endsWith('.ts'));
}

/**
 * The migrations themselves, on fresh empty databases: concurrent `migrateToLatest` runs are
 * safe, a second run is a no-op, and every `down` undoes its `up` (so the chain can be replayed).
 */

const serverUrl = inject('pgServerUrl');
const created: string[] = [];

function withDatabase(database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function emptyDatabase(): Promise<string> {
  const name = `ctea_mig_${crypto.randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  created.push(name);
  return withDatabase(name);
}

async function withDb<T>(url: string, run: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
  });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

async function publicTables(url: string): Promise<string[]> {
  return withDb(url, async (db) => {
    const { rows } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' ORDER BY table_name
    `.execute(db);
    return rows.map((r) => r.name);
  });
}

afterAll(async () => {
  await admin(async (c) => {
    for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
  });
});

describe('migrations', () => {
  it('two concurrent migrateToLatest runs on an empty database both succeed', async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([migrateToLatest(url), migrateToLatest(url)]);
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    // exactly one of them applied every migration; the other found nothing to do
    const applied = [a.results ?? [], b.results ?? []].map((r) => r.length).sort();
    expect(applied).toEqual([0, migrationFiles().length]);
    expect([...(a.results ?? []), ...(b.results ?? [])].every((r) => r.status === 'Success')).toBe(
      true,
    );
    expect(await publicTables(url)).toHaveLength(38);

    const again = await migrateToLatest(url);
    expect(again.error).toBeUndefined();
    expect(again.results).toEqual([]);
  });

  it('every down undoes its up: migrate down to nothing, then up again', async () => {
    const url = await emptyDatabase();
    expect((await migrateToLatest(url)).error).toBeUndefined();
    await withDb(url, async (db) => {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        migrationTableSchema: 'meta',
      });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.direction)).toEqual(
        Array(migrationFiles().length).fill('Down'),
      );
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace
      `.execute(db);
      expect(rows[0]?.n).toBe(0);
      const { rows: functions } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_proc WHERE pronamespace = 'public'::regnamespace
      `.execute(db);
      expect(functions[0]?.n).toBe(0);
      // the dashboards' rollup schema (ADR 0016) and the rate-limit counters (ADR 0020) go with
      // their migrations
      const { rows: schemas } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_namespace WHERE nspname IN ('dashboards', 'ratelimit')
      `.execute(db);
      expect(schemas[0]?.n).toBe(0);
    });
    expect((await migrateToLatest(url)).error).toBeUndefined();
    expect(await publicTables(url)).toHaveLength(38);
  });
});
