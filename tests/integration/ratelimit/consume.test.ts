import crypto from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKeyHash } from '../../../app/features/ratelimit/rate-limit';
import {
  consumeChainedRateLimits,
  consumeRateLimit,
  pruneRateLimitWindows,
} from '../../../app/features/ratelimit/rate-limit.server';
import { getEnv } from '../../../app/utils/env.server';
import type { DB } from '../../../db/types.generated';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { atWindowStart, hitRows } from './helpers';

/**
 * consumeRateLimit on a real PostgreSQL (ADR 0020): exact under concurrency from two instances,
 * fixed windows that roll over, keys stored only as hashes, and pruning of ended windows.
 */

let testDb: TestDatabase;
/** Two "app instances": each its own pool of real connections to the same database. */
let instanceA: Kysely<DB>;
let instanceB: Kysely<DB>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  instanceA = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(15) }) });
  instanceB = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(15) }) });
});

afterAll(async () => {
  await instanceA?.destroy();
  await instanceB?.destroy();
  await testDb?.destroy();
});

const HOUR = 3600;
const uniqueKey = () => `ip:test-${crypto.randomUUID()}`;

describe('consumeRateLimit under concurrency', () => {
  it('60 concurrent hits from two instances on a limit of 10: exactly 10 allowed, the row counts 60', async () => {
    for (let round = 0; round < 20; round++) {
      await atWindowStart(testDb.db, HOUR, 30);
      const key = uniqueKey();
      const args = { scope: 'staff_login_ip' as const, key, limit: 10, windowSeconds: HOUR };
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          consumeRateLimit(i % 2 === 0 ? instanceA : instanceB, args),
        ),
      );
      const allowed = results.filter((r) => r.ok);
      const refused = results.filter((r) => !r.ok);
      expect(allowed).toHaveLength(10);
      expect(refused).toHaveLength(50);
      // every allowed hit saw its own place in the window: 9, 8, …, 0 left
      expect(allowed.map((r) => (r.ok ? r.remaining : -1)).sort((a, b) => a - b)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      for (const r of refused) {
        if (r.ok) continue;
        expect(r.retryAfterS).toBeGreaterThanOrEqual(1);
        expect(r.retryAfterS).toBeLessThanOrEqual(HOUR);
      }
      const rows = await hitRows(testDb.db, 'staff_login_ip', key);
      expect(rows.map((r) => r.hits)).toEqual([60]);
    }
  });
});

describe('fixed windows', () => {
  it('a new window starts from zero, whatever the previous one counted', async () => {
    const windowSeconds = 60;
    await atWindowStart(testDb.db, windowSeconds, 10);
    const key = uniqueKey();
    const keyHash = rateLimitKeyHash('checkout_ip', key, getEnv().CODE_PEPPER);
    // the previous window, far over the limit, written as an earlier instance would have left it
    await sql`
      insert into ratelimit.hit_window (scope, key_hash, window_start, window_end, hits)
      select 'checkout_ip', ${keyHash}, s - make_interval(secs => ${windowSeconds}::int), s, 500
      from to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::int) * ${windowSeconds}::int) s
    `.execute(testDb.db);

    const args = { scope: 'checkout_ip' as const, key, limit: 3, windowSeconds };
    expect(await consumeRateLimit(testDb.db, args)).toEqual({ ok: true, remaining: 2 });
    expect(await consumeRateLimit(testDb.db, args)).toEqual({ ok: true, remaining: 1 });
    expect(await consumeRateLimit(testDb.db, args)).toEqual({ ok: true, remaining: 0 });
    const refused = await consumeRateLimit(testDb.db, args);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterS).toBeLessThanOrEqual(windowSeconds);

    const rows = await hitRows(testDb.db, 'checkout_ip', key);
    expect(rows.map((r) => r.hits)).toEqual([500, 4]);
    const [previous, current] = rows;
    expect(previous!.window_end).toEqual(current!.window_start);
    // windows are aligned to the epoch, so every instance computes the same one
    expect(current!.window_start.getTime() % (windowSeconds * 1000)).toBe(0);
    expect(current!.window_end.getTime() - current!.window_start.getTime()).toBe(
      windowSeconds * 1000,
    );
  });

  it('says how long until the window ends when it refuses', async () => {
    await atWindowStart(testDb.db, HOUR, 30);
    const key = uniqueKey();
    const args = { scope: 'code_verify_ip' as const, key, limit: 1, windowSeconds: HOUR };
    expect((await consumeRateLimit(testDb.db, args)).ok).toBe(true);
    const refused = await consumeRateLimit(testDb.db, args);
    const [row] = await hitRows(testDb.db, 'code_verify_ip', key);
    const { rows } = await sql<{ left: number }>`
      select extract(epoch from ${row!.window_end}::timestamptz - now())::float8 as left
    `.execute(testDb.db);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(Math.abs(refused.retryAfterS - rows[0]!.left)).toBeLessThanOrEqual(2);
  });

  it('counts scopes and keys apart', async () => {
    const key = uniqueKey();
    const one = { key, limit: 1, windowSeconds: HOUR };
    expect((await consumeRateLimit(testDb.db, { ...one, scope: 'checkout_ip' })).ok).toBe(true);
    expect((await consumeRateLimit(testDb.db, { ...one, scope: 'checkout_member' })).ok).toBe(true);
    const other = { ...one, scope: 'checkout_ip' as const, key: uniqueKey() };
    expect((await consumeRateLimit(testDb.db, other)).ok).toBe(true);
  });

  it('refuses nonsense limits and windows instead of counting them', async () => {
    const key = uniqueKey();
    await expect(
      consumeRateLimit(testDb.db, { scope: 'checkout_ip', key, limit: 0, windowSeconds: 60 }),
    ).rejects.toThrow(RangeError);
    await expect(
      consumeRateLimit(testDb.db, { scope: 'checkout_ip', key, limit: 5, windowSeconds: 0.5 }),
    ).rejects.toThrow(RangeError);
    expect(await hitRows(testDb.db, 'checkout_ip', key)).toEqual([]);
  });
});

describe('consumeChainedRateLimits', () => {
  it('counts the second limit only for requests the first allows, exactly under concurrency', async () => {
    await atWindowStart(testDb.db, HOUR, 30);
    // 30 concurrent requests: 10 members × 3, behind one address with room for 12
    const address = uniqueKey();
    const members = Array.from({ length: 10 }, () => `member:${crypto.randomUUID()}`);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        consumeChainedRateLimits(
          i % 2 === 0 ? instanceA : instanceB,
          {
            scope: 'checkout_member',
            key: members[i % 10]!,
            limit: 2,
            windowSeconds: HOUR,
          },
          { scope: 'checkout_ip', key: address, limit: 12, windowSeconds: HOUR },
        ),
      ),
    );
    // members allow 20; of those, the address allows 12
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    for (const m of members) {
      expect((await hitRows(testDb.db, 'checkout_member', m)).map((r) => r.hits)).toEqual([3]);
    }
    // the 10 requests the members refused did not use up the address
    expect((await hitRows(testDb.db, 'checkout_ip', address)).map((r) => r.hits)).toEqual([20]);
    const refusal = results.find((r) => !r.ok);
    expect(refusal && !refusal.ok && refusal.retryAfterS).toBeGreaterThanOrEqual(1);
  });

  it('answers with the tighter remaining allowance of the two', async () => {
    const member = {
      scope: 'checkout_member' as const,
      key: uniqueKey(),
      limit: 5,
      windowSeconds: HOUR,
    };
    const address = {
      scope: 'checkout_ip' as const,
      key: uniqueKey(),
      limit: 3,
      windowSeconds: HOUR,
    };
    expect(await consumeChainedRateLimits(testDb.db, member, address)).toEqual({
      ok: true,
      remaining: 2,
    });
    expect(await consumeChainedRateLimits(testDb.db, { ...member, limit: 2 }, address)).toEqual({
      ok: true,
      remaining: 0,
    });
  });
});

describe('storage', () => {
  it('keeps only a 64-hex hash of the client key, in an unlogged table outside public', async () => {
    const address = '203.0.113.77';
    await consumeRateLimit(testDb.db, {
      scope: 'staff_login_ip',
      key: `ip:${address}`,
      limit: 5,
      windowSeconds: HOUR,
    });
    const { rows } = await sql<{ key_hash: string }>`
      select key_hash from ratelimit.hit_window
    `.execute(testDb.db);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const { rows: raw } = await sql<{ n: number }>`
      select count(*)::int as n from ratelimit.hit_window t where t::text like ${`%${address}%`}
    `.execute(testDb.db);
    expect(raw[0]!.n).toBe(0);
    const { rows: table } = await sql<{ persistence: string }>`
      select relpersistence::text as persistence from pg_class
      where oid = 'ratelimit.hit_window'::regclass
    `.execute(testDb.db);
    expect(table[0]!.persistence).toBe('u');
  });
});

describe('pruneRateLimitWindows', () => {
  it('deletes the windows that have ended and keeps the current ones', async () => {
    await atWindowStart(testDb.db, 60, 10);
    const ended = uniqueKey();
    const current = uniqueKey();
    const endedHash = rateLimitKeyHash('checkout_member', ended, getEnv().CODE_PEPPER);
    await sql`
      insert into ratelimit.hit_window (scope, key_hash, window_start, window_end, hits)
      values ('checkout_member', ${endedHash}, now() - interval '2 hours', now() - interval '1 hour', 7)
    `.execute(testDb.db);
    await consumeRateLimit(testDb.db, {
      scope: 'checkout_member',
      key: current,
      limit: 5,
      windowSeconds: 60,
    });

    // a cut-off before the ended window's end keeps it
    expect(await pruneRateLimitWindows(testDb.db, new Date(Date.now() - 3 * 3_600_000))).toBe(0);
    expect(await hitRows(testDb.db, 'checkout_member', ended)).toHaveLength(1);

    const deleted = await pruneRateLimitWindows(testDb.db);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await hitRows(testDb.db, 'checkout_member', ended)).toEqual([]);
    expect((await hitRows(testDb.db, 'checkout_member', current)).map((r) => r.hits)).toEqual([1]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ratelimit.hit_window where window_end <= now()
    `.execute(testDb.db);
    expect(rows[0]!.n).toBe(0);
  });
});
