import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import pg from 'pg';

/**
 * Applies the migrations in `migrations/` (CF-5). Bookkeeping lives in schema `meta`.
 * Concurrent runs are safe: a session advisory lock serialises them, and Kysely's own migration
 * lock guards the migration table. Running it on an up-to-date database is a no-op.
 */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'migrations',
);
const MIGRATE_LOCK_ID = 727_274_001;

/**
 * Loads `migrations/*.ts` with this module's own dynamic import, so the files load the same way
 * under tsx, Vitest and the build tooling (Kysely's FileMigrationProvider imports from
 * node_modules, where TypeScript files cannot be loaded).
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(MIGRATIONS_DIR))
      .filter((f) => /^\d.*\.ts$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration;
      migrations[file.replace(/\.ts$/, '')] = { up: mod.up, down: mod.down };
    }
    return migrations;
  },
};

export async function migrateToLatest(
  connectionString: string,
  opts: { ssl?: pg.PoolConfig['ssl'] } = {},
): Promise<MigrationResultSet> {
  const pool = new pg.Pool({ connectionString, max: 2, ssl: opts.ssl, options: '-c TimeZone=UTC' });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATE_LOCK_ID})`.execute(conn);
      try {
        await sql`create schema if not exists meta`.execute(conn);
        const migrator = new Migrator({
          db: conn,
          provider: migrationProvider,
          migrationTableSchema: 'meta',
        });
        return await migrator.migrateToLatest();
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATE_LOCK_ID})`.execute(conn);
      }
    });
  } finally {
    await db.destroy();
  }
}

async function main() {
  const { resolveDatabaseUrl } = await import('../scripts/lib/database-url');
  const { sslSettings } = await import('./pool-config');
  const url = await resolveDatabaseUrl();
  const { error, results } = await migrateToLatest(url.connectionString, {
    ssl: sslSettings(process.env),
  });
  for (const r of results ?? []) {
    console.log(
      `${r.status === 'Success' ? 'applied' : r.status.toLowerCase()}: ${r.migrationName}`,
    );
  }
  if (!results?.length && !error) console.log('migrations: up to date');
  await url.release();
  if (error) {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
