import type { PoolConfig } from 'pg';

export interface PoolEnv {
  NODE_ENV?: string;
  DATABASE_URL?: string;
  DATABASE_SSL?: string;
  DATABASE_SSL_REJECT_UNAUTHORIZED?: string;
  DATABASE_POOL_MAX?: number;
}

/**
 * SSL is on when DATABASE_SSL is 'true', and in production unless it is exactly 'false'.
 * Certificate verification is on unless DATABASE_SSL_REJECT_UNAUTHORIZED is exactly 'false'
 * (NODE_EXTRA_CA_CERTS adds a private CA while keeping verification on).
 */
export function sslSettings(env: PoolEnv): PoolConfig['ssl'] {
  const production = env.NODE_ENV === 'production';
  const sslOn = production ? env.DATABASE_SSL !== 'false' : env.DATABASE_SSL === 'true';
  if (!sslOn) return undefined;
  return { rejectUnauthorized: env.DATABASE_SSL_REJECT_UNAUTHORIZED !== 'false' };
}

export function poolConfig(env: PoolEnv): PoolConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  return {
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX ?? 20,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    ssl: sslSettings(env),
    application_name: 'ctea',
    // Every session runs in UTC (C-3); business dates are computed with store.timezone.
    options: '-c TimeZone=UTC',
  };
}
