import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireCsrf } from '../../../app/auth/csrf.server';
import {
  getOptionalUser,
  requirePermission,
  requireRole,
  requireStoreAccess,
  requireUser,
} from '../../../app/auth/guards.server';
import {
  createMemberSession,
  getSessionPrincipal,
  revokeAllUserSessions,
} from '../../../app/auth/session.server';
import { createMember } from '../../factories/access';
import { createStore } from '../../factories/catalog';
import { createAdmin, createManager, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { get, post, thrownResponse } from './helpers';

let testDb: TestDatabase;
let storeA: number;
let storeB: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  storeA = (await createStore(testDb.db)).id;
  storeB = (await createStore(testDb.db)).id;
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb.destroy();
});

async function signedIn(kind: 'admin' | 'manager', storeIds: number[] = []) {
  const user =
    kind === 'admin' ? await createAdmin(testDb.db) : await createManager(testDb.db, { storeIds });
  const session = await createStaffSession(testDb.db, user.id);
  return { user, ...session };
}

describe('requireUser', () => {
  it('returns the staff user with language and stores', async () => {
    const manager = await createManager(testDb.db, { storeIds: [storeB, storeA], language: 'zh' });
    const { cookie, sessionId } = await createStaffSession(testDb.db, manager.id);
    const user = await requireUser(get('/manage', cookie));
    expect(user).toEqual({
      id: manager.id,
      email: manager.email,
      displayName: manager.displayName,
      role: 'STORE_MANAGER',
      language: 'zh',
      savedLanguage: 'zh',
      storeIds: [storeA, storeB].sort((a, b) => a - b),
      sessionId,
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('defaults the language to ru and gives ADMIN no store list', async () => {
    const { cookie } = await signedIn('admin');
    const user = await requireUser(get('/admin', cookie));
    expect(user).toMatchObject({
      role: 'ADMIN',
      language: 'ru',
      savedLanguage: null,
      storeIds: [],
    });
  });

  it('redirects an anonymous GET to /login with the page to come back to', async () => {
    const response = await thrownResponse(requireUser(get('/admin/stores?page=2&q=msk')));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!, 'http://x');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('redirectTo')).toBe('/admin/stores?page=2&q=msk');
  });

  it('answers 401 to an anonymous non-GET', async () => {
    const response = await thrownResponse(requireUser(post('/admin/stores', { name: 'x' })));
    expect(response.status).toBe(401);
  });

  it('rejects a malformed or unknown cookie', async () => {
    for (const cookie of ['ctea_session=abc', `ctea_session=${'A'.repeat(43)}`]) {
      expect((await thrownResponse(requireUser(get('/admin', cookie)))).status).toBe(302);
    }
    expect(await getOptionalUser(get('/admin', 'other=1'))).toBeNull();
  });

  it('rejects an expired session', async () => {
    const { cookie, sessionId } = await signedIn('admin');
    expect(await getOptionalUser(get('/admin', cookie))).not.toBeNull();
    await testDb.db
      .updateTable('session')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', sessionId)
      .execute();
    const response = await thrownResponse(requireUser(get('/admin', cookie)));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin');
  });

  it('rejects a revoked session and the sessions of a deactivated user', async () => {
    const { cookie, user } = await signedIn('admin');
    const other = await createStaffSession(testDb.db, user.id);
    expect(await revokeAllUserSessions(testDb.db, user.id)).toBe(2);
    expect(await getOptionalUser(get('/admin', cookie))).toBeNull();
    expect(await getOptionalUser(get('/admin', other.cookie))).toBeNull();

    const inactive = await signedIn('manager', [storeA]);
    expect(await getOptionalUser(get('/manage', inactive.cookie))).not.toBeNull();
    await testDb.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', inactive.user.id)
      .execute();
    expect(await getOptionalUser(get('/manage', inactive.cookie))).toBeNull();
  });

  it('ends a staff session left unused for STAFF_IDLE_MINUTES (60), not a member session', async () => {
    const { cookie, sessionId } = await signedIn('manager', [storeA]);
    await testDb.db
      .updateTable('session')
      .set({ last_seen_at: sql<Date>`now() - interval '59 minutes'` })
      .where('id', '=', sessionId)
      .execute();
    expect(await getOptionalUser(get('/manage', cookie))).not.toBeNull();
    await testDb.db
      .updateTable('session')
      .set({ last_seen_at: sql<Date>`now() - interval '61 minutes'` })
      .where('id', '=', sessionId)
      .execute();
    expect(await getOptionalUser(get('/manage', cookie))).toBeNull();
    const response = await thrownResponse(requireUser(get('/manage', cookie)));
    expect(response.status).toBe(302);

    // customers' sessions slide for 30 days instead (AU-9)
    const member = await createMember(testDb.db);
    const created = await createMemberSession(testDb.db, { memberId: member.id });
    await testDb.db
      .updateTable('session')
      .set({ last_seen_at: sql<Date>`now() - interval '3 hours'` })
      .where('id', '=', created.sessionId)
      .execute();
    const principal = await getSessionPrincipal(
      testDb.db,
      get('/account', `ctea_session=${created.token}`),
    );
    expect(principal).toMatchObject({ type: 'MEMBER', memberId: member.id });
  });

  it('refreshes last_seen_at at most once a minute', async () => {
    const { cookie, sessionId } = await signedIn('admin');
    const lastSeen = async () =>
      (
        await testDb.db
          .selectFrom('session')
          .select('last_seen_at')
          .where('id', '=', sessionId)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    const fresh = await lastSeen();
    await requireUser(get('/admin', cookie));
    expect(await lastSeen()).toEqual(fresh);

    await testDb.db
      .updateTable('session')
      .set({ last_seen_at: sql<Date>`now() - interval '5 minutes'` })
      .where('id', '=', sessionId)
      .execute();
    const stale = await lastSeen();
    await requireUser(get('/admin', cookie));
    expect((await lastSeen()).getTime()).toBeGreaterThan(stale.getTime() + 4 * 60_000);
  });
});

describe('requireRole and requirePermission', () => {
  it('lets ADMIN through and answers 403 to a STORE_MANAGER', async () => {
    const admin = await signedIn('admin');
    expect((await requireRole(get('/admin', admin.cookie), 'ADMIN')).id).toBe(admin.user.id);

    const manager = await signedIn('manager', [storeA]);
    expect((await thrownResponse(requireRole(get('/admin', manager.cookie), 'ADMIN'))).status).toBe(
      403,
    );
    // a POST from a signed-in manager is also 403, not 401
    expect(
      (await thrownResponse(requireRole(post('/admin', {}, { cookie: manager.cookie }), 'ADMIN')))
        .status,
    ).toBe(403);
  });

  it('checks the RB-1 matrix', async () => {
    const manager = await signedIn('manager', [storeA]);
    expect((await requirePermission(get('/manage', manager.cookie), 'orders.status')).id).toBe(
      manager.user.id,
    );
    expect(
      (await thrownResponse(requirePermission(get('/manage', manager.cookie), 'coupons.write')))
        .status,
    ).toBe(403);
    expect(
      (await thrownResponse(requirePermission(get('/manage', manager.cookie), 'orders.refund')))
        .status,
    ).toBe(403);

    const admin = await signedIn('admin');
    expect((await requirePermission(get('/admin', admin.cookie), 'orders.refund')).role).toBe(
      'ADMIN',
    );
    expect((await thrownResponse(requirePermission(get('/admin'), 'orders.read'))).status).toBe(
      302,
    );
  });
});

describe('requireStoreAccess', () => {
  it('lets a STORE_MANAGER open their own store and answers 403 for another one', async () => {
    const { cookie, user } = await signedIn('manager', [storeA]);
    const ok = await requireStoreAccess(get(`/manage/${storeA}`, cookie), String(storeA));
    expect(ok).toMatchObject({ storeId: storeA, user: { id: user.id } });

    expect(
      (await thrownResponse(requireStoreAccess(get(`/manage/${storeB}`, cookie), String(storeB))))
        .status,
    ).toBe(403);
    // a store that does not exist is not distinguishable from someone else's
    expect(
      (await thrownResponse(requireStoreAccess(get('/manage/999999', cookie), '999999'))).status,
    ).toBe(403);
  });

  it('answers 403 to a STORE_MANAGER without any store', async () => {
    const { cookie } = await signedIn('manager');
    expect(
      (await thrownResponse(requireStoreAccess(get(`/manage/${storeA}`, cookie), String(storeA))))
        .status,
    ).toBe(403);
  });

  it('lets ADMIN open any existing store, inactive ones included, and answers 404 for unknown ones', async () => {
    const { cookie } = await signedIn('admin');
    await testDb.db
      .updateTable('store')
      .set({ is_active: false })
      .where('id', '=', storeB)
      .execute();
    expect(
      (await requireStoreAccess(get(`/manage/${storeA}`, cookie), String(storeA))).storeId,
    ).toBe(storeA);
    expect(
      (await requireStoreAccess(get(`/manage/${storeB}`, cookie), String(storeB))).storeId,
    ).toBe(storeB);
    await testDb.db
      .updateTable('store')
      .set({ is_active: true })
      .where('id', '=', storeB)
      .execute();
    expect(
      (await thrownResponse(requireStoreAccess(get('/manage/999999', cookie), '999999'))).status,
    ).toBe(404);
  });

  it.each([undefined, '', 'abc', '0', '-1', '1.5', '01', '1e3', ' 1', '99999999999'])(
    'answers 404 for the malformed store id %j',
    async (param) => {
      const { cookie } = await signedIn('admin');
      expect(
        (await thrownResponse(requireStoreAccess(get('/manage/x', cookie), param))).status,
      ).toBe(404);
    },
  );

  it('sends an anonymous visitor to /login before looking at the store', async () => {
    const response = await thrownResponse(
      requireStoreAccess(get(`/manage/${storeA}/orders`), String(storeA)),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(
      `/login?redirectTo=%2Fmanage%2F${storeA}%2Forders`,
    );
  });
});

describe('requireCsrf', () => {
  it('accepts the session token and refuses a missing, wrong or other-session token', async () => {
    const admin = await signedIn('admin');
    const user = await requireUser(get('/admin', admin.cookie));
    const other = await requireUser(
      get('/admin', (await createStaffSession(testDb.db, admin.user.id)).cookie),
    );
    expect(other.csrfToken).not.toBe(user.csrfToken);

    const form = (csrf?: string) => {
      const data = new FormData();
      if (csrf !== undefined) data.set('csrf', csrf);
      return data;
    };
    const request = post('/admin/x', {});
    expect(() => requireCsrf(request, form(user.csrfToken), user)).not.toThrow();
    for (const bad of [undefined, '', 'x', other.csrfToken, `${user.csrfToken}x`]) {
      let thrown: unknown;
      try {
        requireCsrf(request, form(bad), user);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(403);
    }
    // fetch-based calls may send it as a header instead
    const withHeader = post('/admin/x', {}, { headers: { 'X-CSRF-Token': user.csrfToken } });
    expect(() => requireCsrf(withHeader, null, user)).not.toThrow();
  });
});
