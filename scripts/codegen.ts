import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import { generate, PostgresDialect as CodegenPostgresDialect } from 'kysely-codegen';
import pg from 'pg';
import { migrateToLatest } from '../db/migrate';
import { sslSettings } from '../db/pool-config';
import { ensureDatabase, resolveDatabaseUrl } from './lib/database-url';

/**
 * `npm run db:codegen`: writes db/types.generated.ts from a scratch database migrated to latest
 * (never from a developer's working database, whose schema may have drifted). The scratch database
 * lives on the same server as DATABASE_URL (or the embedded dev PostgreSQL) and is dropped again.
 * CI regenerates the types the same way and fails when the committed file differs (V3).
 */
export const TYPES_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'db',
  'types.generated.ts',
);

/** Introspects the `public` schema of a migrated database (never `meta`) into the DB interface. */
export async function generateTypes(connectionString: string): Promise<string> {
  const pool = new pg.Pool({ connectionString, max: 2, ssl: sslSettings(process.env) });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await generate({
      db,
      dialect: new CodegenPostgresDialect({ defaultSchemas: ['public'], dateParser: 'string' }),
      defaultSchemas: ['public'],
      includePattern: 'public.*',
      outFile: null,
    });
  } finally {
    await db.destroy();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, 'postgres'),
    ssl: sslSettings(process.env),
  });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** `ctea` → `ctea_codegen`: a fixed name, so a crashed run's leftover is replaced by the next. */
function scratchName(connectionString: string): string {
  const base = decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || 'ctea';
  return `${base}_codegen`.slice(0, 63);
}

async function main(): Promise<void> {
  const server = await resolveDatabaseUrl();
  const scratch = scratchName(server.connectionString);
  const scratchUrl = withDatabase(server.connectionString, scratch);
  try {
    await dropDatabase(server.connectionString, scratch);
    await ensureDatabase(server.connectionString, scratch);
    const { error } = await migrateToLatest(scratchUrl, { ssl: sslSettings(process.env) });
    if (error) throw error;
    const output = await generateTypes(scratchUrl);
    await fs.writeFile(TYPES_FILE, output);
    console.log(`codegen: wrote ${path.relative(process.cwd(), TYPES_FILE)}`);
  } finally {
    await dropDatabase(server.connectionString, scratch).catch(() => {});
    await server.release();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`codegen failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
