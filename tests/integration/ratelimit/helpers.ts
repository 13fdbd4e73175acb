import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RateLimitScope } from '../../../app/features/ratelimit/rate-limit';
import { rateLimitKeyHash } from '../../../app/features/ratelimit/rate-limit';
import { getEnv, resetEnvCache } from '../../../app/utils/env.server';
import type { DB } from '../../../db/types.generated';

/** A private address of its own per call, so cases never share a counter. */
export function uniqueIp(): string {
  const [a = 0, b = 0] = crypto.randomBytes(2);
  return `10.${a}.${b}.${crypto.randomInt(1, 255)}`;
}

/**
 * Waits, when the current fixed window (aligned to the epoch, by the database clock, as the
 * counting statement aligns it) has fewer than `needSeconds` left, until the next one starts. A
 * case that counts N requests then sees them all in one window instead of failing when it happens
 * to run across a boundary. A precondition, never an assertion on time. It can wait up to
 * `needSeconds`: a case asking for more than a few seconds needs a timeout with room for that.
 */
export async function atWindowStart(
  db: Kysely<DB>,
  windowSeconds: number,
  needSeconds: number,
): Promise<void> {
  const { rows } = await sql<{ left: number }>`
    select (${windowSeconds}::int - mod(extract(epoch from clock_timestamp()), ${windowSeconds}::int))::float8 as left
  `.execute(db);
  const left = rows[0]!.left;
  if (left < needSeconds) await new Promise((r) => setTimeout(r, Math.ceil(left * 1000) + 250));
}

export interface HitRow {
  scope: string;
  key_hash: string;
  window_start: Date;
  window_end: Date;
  hits: number;
}

/** The counter rows of one scope and client key, oldest window first. */
export async function hitRows(
  db: Kysely<DB>,
  scope: RateLimitScope,
  key: string,
): Promise<HitRow[]> {
  const { rows } = await sql<HitRow>`
    select scope, key_hash, window_start, window_end, hits from ratelimit.hit_window
    where scope = ${scope} and key_hash = ${rateLimitKeyHash(scope, key, getEnv().CODE_PEPPER)}
    order by window_start
  `.execute(db);
  return rows;
}

/** Sets environment variables for this file (the env cache is reset); returns the undo. */
export function setEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  resetEnvCache();
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  };
}
