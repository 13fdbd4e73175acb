import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import './pg-types';
import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { poolConfig } from './pool-config';
import { prepareParameterisedStatements } from './prepared-statements';
import type { DB } from './types.generated';

// numeric and int8 arrive as strings (CF-4); the data layer converts money with utils/money.ts.
// int8 ids never exceed 2^53 in practice, but we keep them as strings to be exact.

export type Db = Kysely<DB> | Transaction<DB>;

interface DbState {
  pool: pg.Pool;
  db: Kysely<DB>;
  poolErrors: number;
}

const GLOBAL_KEY = Symbol.for('ctea.db');
const REPLICA_KEY = Symbol.for('ctea.db.replica');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: DbState; [REPLICA_KEY]?: DbState };

/**
 * Creates a pool and Kysely instance for a connection string. A pool 'error' event (an idle
 * client whose backend was killed or restarted) is logged and counted; pg discards that client and
 * the process keeps serving (CF-3).
 */
export function createDatabase(connectionString: string, opts: { max?: number } = {}): DbState {
  const env = getEnv();
  const pool = new pg.Pool(
    poolConfig({
      ...env,
      DATABASE_URL: connectionString,
      DATABASE_POOL_MAX: opts.max ?? env.DATABASE_POOL_MAX,
    }),
  );
  const state: DbState = {
    pool,
    db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
    poolErrors: 0,
  };
  pool.on('error', (err) => {
    state.poolErrors += 1;
    logger.error({ err, event: 'db.pool_error' }, 'idle database client failed; discarded');
  });
  // pg-pool listens for errors only on idle clients. A checked-out client whose backend dies
  // (pg_terminate_backend, a restart) would emit an unhandled 'error' and end the process; the
  // query in flight fails on its own, so the client event only needs logging here.
  pool.on('connect', (client) => {
    if (env.DATABASE_PREPARED_STATEMENTS) prepareParameterisedStatements(client);
    client.on('error', (err) => {
      state.poolErrors += 1;
      logger.warn({ err, event: 'db.client_error' }, 'database client failed while checked out');
    });
  });
  return state;
}

function state(): DbState {
  const g = globalThis as GlobalWithDb;
  if (!g[GLOBAL_KEY]) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    g[GLOBAL_KEY] = createDatabase(url);
  }
  return g[GLOBAL_KEY];
}

/** The process-wide Kysely instance (one pool per process, shared by the server and the Remix build). */
export function getDb(): Kysely<DB> {
  return state().db;
}

/**
 * The read-only replica's Kysely instance (DATABASE_REPLICA_URL), or null when none is set. Only
 * reads that may lag the primary use it (the dashboards); anything that writes, or reads its own
 * writes, stays on getDb(). Its pool has the same size and the same error handling as the primary's.
 */
export function getReplicaDb(): Kysely<DB> | null {
  const g = globalThis as GlobalWithDb;
  if (!g[REPLICA_KEY]) {
    const url = getEnv().DATABASE_REPLICA_URL;
    if (!url) return null;
    g[REPLICA_KEY] = createDatabase(url);
  }
  return g[REPLICA_KEY].db;
}

/** For reads that tolerate replication lag: the replica when DATABASE_REPLICA_URL is set, else the primary. */
export function getReadDb(): Kysely<DB> {
  return getReplicaDb() ?? getDb();
}

export function poolStats() {
  const { pool, poolErrors } = state();
  return {
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    errors: poolErrors,
  };
}

/** Closes the primary's pool and the replica's (when one was opened). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const states = [g[GLOBAL_KEY], g[REPLICA_KEY]];
  g[GLOBAL_KEY] = undefined;
  g[REPLICA_KEY] = undefined;
  await Promise.all(states.map((s) => s?.db.destroy()));
}

/** Guards functions that must run inside a transaction (see STYLE: only services open them). */
export function assertTransaction(db: Db): asserts db is Transaction<DB> {
  if (!db.isTransaction) throw new Error('This function must run inside a transaction');
}
