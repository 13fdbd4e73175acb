import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { CheckoutError } from '~/features/checkout/checkout-errors';
import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import {
  clientAddressKey,
  RATE_LIMIT_WINDOWS,
  rateLimitDecision,
  rateLimitKeyHash,
  type RateLimitResult,
  type RateLimitScope,
} from './rate-limit';

// route modules import only this .server module, which the browser build leaves out
export { retryAfterMinutes, type RateLimitResult } from './rate-limit';

/**
 * Rate limits that every app instance shares (ADR 0020): the counters live in the unlogged table
 * `ratelimit.hit_window`, one row per limit, hashed client key and fixed window (aligned to the
 * Unix epoch, so every instance computes the same window from the database clock).
 */

export interface ConsumeRateLimitArgs {
  scope: RateLimitScope;
  /** The client key (an address from clientAddressKey, `member:<id>`); stored only hashed. */
  key: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one request and says whether it is within the limit. One statement: concurrent calls from
 * any number of instances serialise on the row (the upsert's conflict path locks it), so each sees
 * its own hit number and exactly `limit` of them are allowed per window. Refused requests are
 * counted too: a client that keeps knocking stays refused until the window ends.
 */
export async function consumeRateLimit(
  db: Db,
  args: ConsumeRateLimitArgs,
): Promise<RateLimitResult> {
  const { scope, limit, windowSeconds } = args;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
    throw new RangeError(`rate limit window must be whole seconds ≥ 1, got ${windowSeconds}`);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`rate limit must be a whole number ≥ 1, got ${limit}`);
  const keyHash = rateLimitKeyHash(scope, args.key, getEnv().CODE_PEPPER);
  const { rows } = await sql<{ hits: number; seconds_left: number }>`
    insert into ratelimit.hit_window as w (scope, key_hash, window_start, window_end, hits)
    select ${scope}, ${keyHash}, b.start, b.start + make_interval(secs => ${windowSeconds}::int), 1
    from (
      select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::int) * ${windowSeconds}::int) as start
    ) b
    on conflict (scope, key_hash, window_start) do update set hits = w.hits + 1
    returning w.hits, extract(epoch from w.window_end - now())::float8 as seconds_left
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const result = rateLimitDecision(row.hits, limit, row.seconds_left);
  // the first refusal of a window is enough to see a flood in the logs
  if (!result.ok && row.hits === limit + 1)
    logger.warn(
      { event: 'ratelimit.exceeded', scope, limit, retryAfterS: result.retryAfterS },
      'rate limit exceeded',
    );
  return result;
}

/**
 * Deletes the windows that ended at or before `olderThan` (default: the database's now()); a
 * periodic task calls it. Returns the number of rows deleted. One statement, not batches: the
 * table has no index on window_end (the upsert is the hot path), so a batch loop would scan it
 * once per batch; the rows it deletes are ended windows that no request writes any more.
 */
export async function pruneRateLimitWindows(db: Db, olderThan?: Date): Promise<number> {
  const until = olderThan === undefined ? sql`now()` : sql`${olderThan}`;
  const result = await sql`
    delete from ratelimit.hit_window where window_end <= ${until}
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** AU-8 staff sign-in: POSTs of the sign-in form per client address. */
export function consumeStaffLoginLimit(db: Db, ip: string | null): Promise<RateLimitResult> {
  return consumeRateLimit(db, {
    scope: 'staff_login_ip',
    key: clientAddressKey(ip),
    limit: getEnv().RATE_LIMIT_STAFF_LOGIN_PER_IP,
    windowSeconds: RATE_LIMIT_WINDOWS.staff_login_ip,
  });
}

/** AU-4 code checks (JSON endpoint and sign-in page) per client address. */
export function consumeCodeVerifyLimit(db: Db, ip: string | null): Promise<RateLimitResult> {
  return consumeRateLimit(db, {
    scope: 'code_verify_ip',
    key: clientAddressKey(ip),
    limit: getEnv().RATE_LIMIT_CODE_VERIFY_PER_IP,
    windowSeconds: RATE_LIMIT_WINDOWS.code_verify_ip,
  });
}

/** consumeCodeVerifyLimit for the JSON endpoint: over the limit → 429 RATE_LIMITED {retry_after_s}. */
export async function requireCodeVerifyAllowance(db: Db, ip: string | null): Promise<void> {
  const limit = await consumeCodeVerifyLimit(db, ip);
  if (!limit.ok) throw new CheckoutError('RATE_LIMITED', { retry_after_s: limit.retryAfterS });
}

/**
 * CK-1 checkout submissions: per member, then per client address (a member already refused does
 * not use up the address's allowance, which other members behind the same NAT share).
 */
export async function consumeCheckoutLimit(
  db: Db,
  args: { memberId: number; ip: string | null },
): Promise<RateLimitResult> {
  const env = getEnv();
  const perMember = await consumeRateLimit(db, {
    scope: 'checkout_member',
    key: `member:${args.memberId}`,
    limit: env.RATE_LIMIT_CHECKOUT_PER_MEMBER,
    windowSeconds: RATE_LIMIT_WINDOWS.checkout_member,
  });
  if (!perMember.ok) return perMember;
  const perIp = await consumeRateLimit(db, {
    scope: 'checkout_ip',
    key: clientAddressKey(args.ip),
    limit: env.RATE_LIMIT_CHECKOUT_PER_IP,
    windowSeconds: RATE_LIMIT_WINDOWS.checkout_ip,
  });
  if (!perIp.ok) return perIp;
  return { ok: true, remaining: Math.min(perMember.remaining, perIp.remaining) };
}
