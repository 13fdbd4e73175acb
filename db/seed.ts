import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './types.generated';

/**
 * `npm run db:seed`: demo data for a migrated, empty database. Does nothing when staff users
 * already exist; refuses to run with NODE_ENV=production. Migrations are not applied here.
 */
export { isSeeded, seedDemoData, type SeedResult } from './seed/seed-demo-data';

async function main(): Promise<number> {
  if (process.env.NODE_ENV === 'production') {
    console.error('db:seed refuses to run with NODE_ENV=production (demo data only)');
    return 1;
  }
  const { resolveDatabaseUrl } = await import('../scripts/lib/database-url');
  const { sslSettings } = await import('./pool-config');
  const { seedDemoData } = await import('./seed/seed-demo-data');
  const { DEMO_USERS } = await import('./seed/demo-users');
  const { EXTRA_STAFF } = await import('./seed/plan-people');

  const url = await resolveDatabaseUrl();
  const pool = new pg.Pool({
    connectionString: url.connectionString,
    max: 2,
    ssl: sslSettings(process.env),
    options: '-c TimeZone=UTC',
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{
      ok: boolean;
    }>`select to_regclass('public.users') is not null as ok`.execute(db);
    if (!rows[0]?.ok) {
      console.error(
        'db:seed: the schema is missing (no "users" table); run `npm run db:migrate` first',
      );
      return 1;
    }
    const result = await seedDemoData(db, { log: (line) => console.log(line) });
    if (!result.seeded) {
      console.log('db:seed: the database already has staff users; demo data not seeded again');
      return 0;
    }
    console.log('db:seed: rows written');
    for (const [table, n] of Object.entries(result.counts ?? {}).sort()) {
      console.log(`  ${table.padEnd(24)} ${String(n).padStart(6)}`);
    }
    console.log('demo sign-ins:');
    for (const u of [...DEMO_USERS, ...EXTRA_STAFF]) {
      console.log(`  ${u.role.padEnd(14)} ${u.email.padEnd(28)} ${u.password}`);
    }
    console.log(`scan device key of MSK-01 (Authorization: Bearer …): ${result.scanDeviceKey}`);
    return 0;
  } finally {
    await db.destroy();
    await url.release();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main()
    .then((code) => process.exit(code))
    .catch((err) => {
      console.error(`db:seed failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
