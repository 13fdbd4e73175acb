import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action } from '../../../app/routes/login';
import { createManager } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { contextFor, post } from './helpers';

/** AU-8: 5 consecutive wrong passwords lock the account for 15 minutes. */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb.destroy();
});

// AU-8 locks accounts, whatever the address; each case signs in from its own address so the
// per-address sign-in limit (ADR 0020, tests/integration/ratelimit) never answers first
let caseNumber = 0;
let clientIp = '';
beforeEach(() => {
  clientIp = `198.51.100.${++caseNumber}`;
});

async function attempt(email: string, password: string) {
  const response = await action({
    request: post('/login', { email, password }),
    params: {},
    context: { ...contextFor(testDb), clientIp },
  });
  const body = response.status === 400 ? await response.json() : null;
  return { status: response.status, code: body?.error.code as string | undefined };
}

async function lockState(userId: number) {
  return testDb.db
    .selectFrom('users')
    .select([
      'failed_login_count',
      'locked_until',
      sql<number>`extract(epoch from locked_until - now()) / 60`.as('minutes_left'),
    ])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

async function sessionCount(userId: number) {
  const row = await testDb.db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('account lockout', () => {
  it('locks after the 5th consecutive failure and then refuses even the right password', async () => {
    const user = await createManager(testDb.db);
    for (let i = 1; i <= 4; i++) {
      expect(await attempt(user.email, `wrong-${i}`)).toEqual({
        status: 400,
        code: 'INVALID_CREDENTIALS',
      });
      expect((await lockState(user.id)).failed_login_count).toBe(i);
    }
    expect((await lockState(user.id)).locked_until).toBeNull();

    expect(await attempt(user.email, 'wrong-5')).toEqual({ status: 400, code: 'ACCOUNT_LOCKED' });
    const locked = await lockState(user.id);
    expect(locked.failed_login_count).toBe(5);
    expect(Number(locked.minutes_left)).toBeGreaterThan(14.9);
    expect(Number(locked.minutes_left)).toBeLessThanOrEqual(15);

    expect(await attempt(user.email, user.password)).toEqual({
      status: 400,
      code: 'ACCOUNT_LOCKED',
    });
    expect(await sessionCount(user.id)).toBe(0);
    // attempts while locked neither count nor extend the lock
    expect(await attempt(user.email, 'wrong-6')).toEqual({ status: 400, code: 'ACCOUNT_LOCKED' });
    const after = await lockState(user.id);
    expect(after.failed_login_count).toBe(5);
    expect(after.locked_until).toEqual(locked.locked_until);
  });

  it('a success resets the count, so only consecutive failures lock', async () => {
    const user = await createManager(testDb.db);
    for (let i = 0; i < 4; i++) await attempt(user.email, 'wrong');
    expect((await attempt(user.email, user.password)).status).toBe(302);
    expect((await lockState(user.id)).failed_login_count).toBe(0);
    for (let i = 0; i < 4; i++) await attempt(user.email, 'wrong');
    expect((await attempt(user.email, user.password)).status).toBe(302);
  });

  it('lets the right password in once the lock has run out, and starts a fresh count', async () => {
    const user = await createManager(testDb.db);
    for (let i = 0; i < 5; i++) await attempt(user.email, 'wrong');
    await testDb.db
      .updateTable('users')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', user.id)
      .execute();

    // one failure after expiry counts as the first of a new series, not the sixth
    expect(await attempt(user.email, 'wrong')).toEqual({
      status: 400,
      code: 'INVALID_CREDENTIALS',
    });
    expect(await lockState(user.id)).toMatchObject({ failed_login_count: 1, locked_until: null });

    expect((await attempt(user.email, user.password)).status).toBe(302);
    expect(await lockState(user.id)).toMatchObject({ failed_login_count: 0, locked_until: null });
  });

  it('counts concurrent wrong passwords exactly (no lost updates) and locks at 5', async () => {
    const user = await createManager(testDb.db);
    const four = await Promise.all(
      Array.from({ length: 4 }, (_, i) => attempt(user.email, `wrong-${i}`)),
    );
    expect(four.every((r) => r.code === 'INVALID_CREDENTIALS')).toBe(true);
    expect(await lockState(user.id)).toMatchObject({ failed_login_count: 4, locked_until: null });

    const other = await createManager(testDb.db);
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(other.email, `wrong-${i}`)),
    );
    const state = await lockState(other.id);
    expect(state.failed_login_count).toBe(5);
    expect(state.locked_until).not.toBeNull();
    // exactly four attempts were answered before the lock; every other one saw it
    expect(burst.filter((r) => r.code === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(burst.filter((r) => r.code === 'ACCOUNT_LOCKED')).toHaveLength(8);
    expect(await attempt(other.email, other.password)).toEqual({
      status: 400,
      code: 'ACCOUNT_LOCKED',
    });
  });

  it('refuses the right password that races with the locking failure', async () => {
    const user = await createManager(testDb.db);
    for (let i = 0; i < 4; i++) await attempt(user.email, 'wrong');
    const results = await Promise.all([
      attempt(user.email, 'wrong'),
      attempt(user.email, user.password),
    ]);
    const state = await lockState(user.id);
    // either order is valid, but the account never ends up both locked and signed in
    if (state.locked_until !== null) {
      expect(results[1]).toEqual({ status: 400, code: 'ACCOUNT_LOCKED' });
      expect(await sessionCount(user.id)).toBe(0);
    } else {
      expect(results[1]!.status).toBe(302);
      expect(state.failed_login_count).toBe(1);
    }
  });
});
