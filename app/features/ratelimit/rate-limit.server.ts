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
function validate({ limit, windowSeconds }: ConsumeRateLimitArgs): void {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
    throw new RangeError(`rate limit window must be whole seconds ≥ 1, got ${windowSeconds}`);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`rate limit must be a whole number ≥ 1, got ${limit}`);
}

/** The upsert of one hit, with the condition a chained limit adds (`true` for one limit alone). */
function upsertHit(args: ConsumeRateLimitArgs, when: ReturnType<typeof sql> = sql`true`) {
  const { scope, windowSeconds } = args;
  const keyHash = rateLimitKeyHash(scope, args.key, getEnv().CODE_PEPPER);
  return sql`
    insert into ratelimit.hit_window as w (scope, key_hash, window_start, window_end, hits)
    select ${scope}, ${keyHash}, b.start, b.start + make_interval(secs => ${windowSeconds}::int), 1
    from (
      select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::int) * ${windowSeconds}::int) as start
    ) b
    where ${when}
    on conflict (scope, key_hash, window_start) do update set hits = w.hits + 1
    returning w.hits, extract(epoch from w.window_end - now())::float8 as seconds_left
  `;
}

function decide(args: ConsumeRateLimitArgs, hits: number, secondsLeft: number): RateLimitResult {
  const result = rateLimitDecision(hits, args.limit, secondsLeft);
  // the first refusal of a window is enough to see a flood in the logs
  if (!result.ok && hits === args.limit + 1)
    logger.warn(
      {
        event: 'ratelimit.exceeded',
        scope: args.scope,
        limit: args.limit,
        retryAfterS: result.retryAfterS,
      },
      'rate limit exceeded',
    );
  return result;
}

export async function consumeRateLimit(
  db: Db,
  args: ConsumeRateLimitArgs,
): Promise<RateLimitResult> {
  validate(args);
  const { rows } = await sql<{ hits: number; seconds_left: number }>`${upsertHit(args)}`.execute(
    db,
  );
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  return decide(args, row.hits, row.seconds_left);
}

/**
 * Two limits in one statement: `second` is counted only when `first` allows the request, as two
 * consumeRateLimit calls in a row would (the rows are locked in the same order, first then
 * second), in one round trip.
 */
export async function consumeChainedRateLimits(
  db: Db,
  first: ConsumeRateLimitArgs,
  second: ConsumeRateLimitArgs,
): Promise<RateLimitResult> {
  validate(first);
  validate(second);
  const { rows } = await sql<{
    first_hits: number;
    first_left: number;
    second_hits: number | null;
    second_left: number | null;
  }>`
    with first_hit as (${upsertHit(first)}),
    second_hit as (${upsertHit(second, sql`(select hits from first_hit) <= ${first.limit}`)})
    select f.hits as first_hits, f.seconds_left as first_left,
           s.hits as second_hits, s.seconds_left as second_left
    from first_hit f left join second_hit s on true
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const firstResult = decide(first, row.first_hits, row.first_left);
  if (!firstResult.ok) return firstResult;
  if (row.second_hits === null || row.second_left === null)
    throw new Error('chained rate limit upsert returned no second row');
  const secondResult = decide(second, row.second_hits, row.second_left);
  if (!secondResult.ok) return secondResult;
  return { ok: true, remaining: Math.min(firstResult.remaining, secondResult.remaining) };
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
export function consumeCheckoutLimit(
  db: Db,
  args: { memberId: number; ip: string | null },
): Promise<RateLimitResult> {
  const env = getEnv();
  return consumeChainedRateLimits(
    db,
    {
      scope: 'checkout_member',
      key: `member:${args.memberId}`,
      limit: env.RATE_LIMIT_CHECKOUT_PER_MEMBER,
      windowSeconds: RATE_LIMIT_WINDOWS.checkout_member,
    },
    {
      scope: 'checkout_ip',
      key: clientAddressKey(args.ip),
      limit: env.RATE_LIMIT_CHECKOUT_PER_IP,
      windowSeconds: RATE_LIMIT_WINDOWS.checkout_ip,
    },
  );
}
