import pg from 'pg';
import { EMBEDDED_APP, startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded';

export const EMBEDDED_DATABASE = 'ctea';

export interface ResolvedDatabase {
  connectionString: string;
  embedded: EmbeddedCluster | null;
  /** Stops the embedded server when this process started it. */
  release: () => Promise<void>;
}

/** Creates a database if it does not exist (connecting to the server's `postgres` database). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client
        .query(`create database ${client.escapeIdentifier(name)}`)
        .catch((err: { code?: string }) => {
          if (err.code !== '42P04') throw err; // created concurrently
        });
    }
  } finally {
    await client.end();
  }
}

/**
 * DATABASE_URL when set; otherwise (outside production) the embedded PostgreSQL under `.data/pg`
 * with a `ctea` database, started on demand.
 */
export async function resolveDatabaseUrl(
  log: (line: string) => void = console.log,
  opts: { ownSignals?: boolean } = {},
): Promise<ResolvedDatabase> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { connectionString: fromEnv, embedded: null, release: async () => {} };
  if (process.env.NODE_ENV === 'production') {
    throw new Error('DATABASE_URL is required in production');
  }
  const cluster = await startEmbeddedPostgres({
    ...EMBEDDED_APP,
    log,
    ownSignals: opts.ownSignals,
  });
  const connectionString = cluster.url(EMBEDDED_DATABASE);
  await ensureDatabase(connectionString, EMBEDDED_DATABASE);
  return { connectionString, embedded: cluster, release: () => cluster.stop() };
}
