import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import '../../db/pg-types';
import type { DB } from '../../db/types.generated';

/** Seeds demo data when the database has no staff user yet; true when it seeded. */
export async function seedDatabase(
  connectionString: string,
  log: (line: string) => void,
): Promise<boolean> {
  const { seedDemoData } = await import('../../db/seed');
  const pool = new pg.Pool({ connectionString, max: 2, options: '-c TimeZone=UTC' });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { seeded } = await seedDemoData(db, { log });
    return seeded;
  } finally {
    await db.destroy();
  }
}
