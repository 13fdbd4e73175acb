// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Request counters of the rate limits that every app instance shares (ADR 0020), in schema
 * `ratelimit`, outside the 38 tables of schema public. One row per (limit, hashed client key,
 * fixed window); app/features/ratelimit/rate-limit.server.ts adds a hit with one upsert and
 * deletes ended windows.
 *
 * UNLOGGED: every counted request writes here, and a counter is worth nothing after its window
 * (at most an hour). Skipping the WAL keeps that write cheap; a crash empties the table, which
 * only lets the current windows start again from zero. Unlogged tables are not streamed to
 * replicas, which is fine: only the primary counts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA ratelimit`.execute(db);
  await sql`
    CREATE UNLOGGED TABLE ratelimit.hit_window (
      scope varchar(40) NOT NULL,
      -- HMAC-SHA-256 hex of the client key (IP address, member id): never the key itself
      key_hash char(64) NOT NULL,
      window_start timestamptz NOT NULL,
      window_end timestamptz NOT NULL,
      hits integer NOT NULL,
      PRIMARY KEY (scope, key_hash, window_start),
      CONSTRAINT hit_window_bounds CHECK (window_end > window_start),
      CONSTRAINT hit_window_hits_positive CHECK (hits > 0)
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA ratelimit CASCADE`.execute(db);
}
