import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../../app/auth/session.server';
import { action, loader } from '../../../app/routes/login';
import { createStore } from '../../factories/catalog';
import { createAdmin, createManager, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { contextFor, cookieFrom, get, post, thrownResponse } from './helpers';

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

const callAction = (request: Request) =>
  action({ request, params: {}, context: contextFor(testDb) });
const callLoader = (request: Request) =>
  loader({ request, params: {}, context: contextFor(testDb) });

async function sessionsOf(userId: number) {
  return testDb.db
    .selectFrom('session')
    .select([
      'id',
      'token_hash',
      'principal_type',
      'user_id',
      'expires_at',
      'revoked_at',
      'ip',
      'user_agent',
    ])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

async function failedCount(userId: number) {
  const row = await testDb.db
    .selectFrom('users')
    .select(['failed_login_count', 'last_login_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row;
}

describe('POST /login — success', () => {
  it('signs an ADMIN in: HttpOnly cookie, hashed session row, audit row, redirect to /admin', async () => {
    const admin = await createAdmin(testDb.db);
    const before = Date.now();
    const response = await callAction(
      post(
        '/login',
        { email: admin.email, password: admin.password },
        { headers: { 'User-Agent': 'x'.repeat(400) } },
      ),
    );

    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/admin');
    const setCookie = response.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/^ctea_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure'); // NODE_ENV=test

    const token = cookieFrom(response).split('=')[1]!;
    const [session, ...others] = await sessionsOf(admin.id);
    expect(others).toHaveLength(0);
    expect(session!.principal_type).toBe('USER');
    expect(session!.token_hash).toBe(hashSessionToken(token));
    expect(session!.token_hash).not.toContain(token);
    expect(session!.revoked_at).toBeNull();
    expect(session!.user_agent).toHaveLength(300);
    // absolute 12 h (STAFF_SESSION_HOURS default)
    const hours = (session!.expires_at.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.99);
    expect(hours).toBeLessThan(12.01);

    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_user_id', 'action', 'entity_type', 'entity_id', 'request_id'])
      .where('actor_user_id', '=', admin.id)
      .execute();
    expect(audit).toEqual([
      {
        actor_type: 'USER',
        actor_user_id: admin.id,
        action: 'user.login',
        entity_type: 'user',
        entity_id: String(admin.id),
        request_id: 'test-request',
      },
    ]);
    expect((await failedCount(admin.id)).last_login_at).not.toBeNull();
  });

  it('matches the email case-insensitively and ignores surrounding spaces', async () => {
    const admin = await createAdmin(testDb.db);
    const response = await callAction(
      post('/login', { email: `  ${admin.email.toUpperCase()} `, password: admin.password }),
    );
    expect(response.status).toBe(302);
  });

  it('sends a STORE_MANAGER to their first store, or to /manage without one', async () => {
    const storeA = (await createStore(testDb.db)).id;
    const storeB = (await createStore(testDb.db)).id;
    const manager = await createManager(testDb.db, { storeIds: [storeB, storeA] });
    const withStores = await callAction(
      post('/login', { email: manager.email, password: manager.password }),
    );
    expect(withStores.headers.get('Location')).toBe(`/manage/${Math.min(storeA, storeB)}`);

    const lonely = await createManager(testDb.db);
    const withoutStores = await callAction(
      post('/login', { email: lonely.email, password: lonely.password }),
    );
    expect(withoutStores.headers.get('Location')).toBe('/manage');
  });

  it('honours a same-site redirectTo', async () => {
    const admin = await createAdmin(testDb.db);
    const response = await callAction(
      post('/login', {
        email: admin.email,
        password: admin.password,
        redirectTo: '/admin/stores?page=2',
      }),
    );
    expect(response.headers.get('Location')).toBe('/admin/stores?page=2');
  });

  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    'javascript:alert(1)',
    '/\t/evil.com',
    'evil.com',
  ])('ignores the open-redirect attempt %j', async (redirectTo) => {
    const admin = await createAdmin(testDb.db);
    const response = await callAction(
      post('/login', { email: admin.email, password: admin.password, redirectTo }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/admin');
  });

  it('issues a new token on every sign-in and never adopts the incoming cookie', async () => {
    const admin = await createAdmin(testDb.db);
    const first = await callAction(
      post('/login', { email: admin.email, password: admin.password }),
    );
    const firstCookie = cookieFrom(first);
    const second = await callAction(
      post('/login', { email: admin.email, password: admin.password }, { cookie: firstCookie }),
    );
    const secondCookie = cookieFrom(second);
    expect(secondCookie).not.toBe(firstCookie);

    const sessions = await sessionsOf(admin.id);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => s.token_hash)).size).toBe(2);
    // the session the browser carried in is ended, not kept alive next to the new one
    expect(sessions[0]!.revoked_at).not.toBeNull();
    expect(sessions[1]!.revoked_at).toBeNull();

    // a second, independent browser keeps its own session: signing in twice gives different tokens
    const third = await callAction(
      post('/login', { email: admin.email, password: admin.password }),
    );
    expect(cookieFrom(third)).not.toBe(secondCookie);
    expect((await sessionsOf(admin.id)).filter((s) => s.revoked_at === null)).toHaveLength(2);
  });

  it('refuses a cross-site form post (login CSRF) with 403', async () => {
    const admin = await createAdmin(testDb.db);
    const response = await thrownResponse(
      callAction(
        post(
          '/login',
          { email: admin.email, password: admin.password },
          { headers: { Origin: 'https://evil.com' } },
        ),
      ),
    );
    expect(response.status).toBe(403);
    expect(await sessionsOf(admin.id)).toHaveLength(0);

    const sameOrigin = await callAction(
      post(
        '/login',
        { email: admin.email, password: admin.password },
        { headers: { Origin: 'http://localhost:3000' } },
      ),
    );
    expect(sameOrigin.status).toBe(302);
  });
});

describe('POST /login — failure', () => {
  it('answers a wrong password with 400, the email echoed, no session, and failed_login_count + 1', async () => {
    const manager = await createManager(testDb.db);
    const response = await callAction(
      post('/login', { email: manager.email, password: 'wrong-password', redirectTo: '/manage/1' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const body = await response.json();
    expect(body).toEqual({
      error: {
        code: 'INVALID_CREDENTIALS',
        formError: { key: 'auth.error.invalidCredentials' },
        fieldErrors: {},
      },
      values: { email: manager.email, redirectTo: '/manage/1' },
    });
    expect(JSON.stringify(body)).not.toContain('wrong-password');
    expect(await sessionsOf(manager.id)).toHaveLength(0);
    expect((await failedCount(manager.id)).failed_login_count).toBe(1);
  });

  it('gives an unknown email exactly the same answer as a wrong password', async () => {
    const manager = await createManager(testDb.db);
    const wrongPassword = await (
      await callAction(post('/login', { email: manager.email, password: 'nope' }))
    ).json();
    const unknownEmail = await callAction(
      post('/login', { email: 'nobody@test.ctea.local', password: 'nope' }),
    );
    expect(unknownEmail.status).toBe(400);
    const body = await unknownEmail.json();
    expect(body.error).toEqual(wrongPassword.error);
  });

  it('refuses an inactive user with the generic message even with the right password', async () => {
    const manager = await createManager(testDb.db, { isActive: false });
    const response = await callAction(
      post('/login', { email: manager.email, password: manager.password }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('INVALID_CREDENTIALS');
    expect(await sessionsOf(manager.id)).toHaveLength(0);
  });

  it('reports field errors for an empty or malformed form', async () => {
    const empty = await callAction(post('/login', { email: '', password: '' }));
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toEqual({
      code: 'VALIDATION',
      formError: null,
      fieldErrors: { email: 'auth.error.emailRequired', password: 'auth.error.passwordRequired' },
    });

    const malformed = await callAction(post('/login', { email: 'not-an-email', password: 'x' }));
    expect((await malformed.json()).error.fieldErrors).toEqual({
      email: 'auth.error.emailInvalid',
    });
  });
});

describe('GET /login', () => {
  it('shows the form with a sanitised redirectTo', async () => {
    expect(
      await (await callLoader(get('/login?redirectTo=%2Fadmin%2Fcoupons%3Fq%3D1'))).json(),
    ).toEqual({
      redirectTo: '/admin/coupons?q=1',
    });
    expect(await (await callLoader(get('/login?redirectTo=%2F%2Fevil.com'))).json()).toEqual({
      redirectTo: null,
    });
    expect(
      await (await callLoader(get('/login?redirectTo=https%3A%2F%2Fevil.com'))).json(),
    ).toEqual({ redirectTo: null });
  });

  it('sends someone already signed in to the home of their role', async () => {
    const admin = await createAdmin(testDb.db);
    const { cookie } = await createStaffSession(testDb.db, admin.id);
    const response = await thrownResponse(callLoader(get('/login', cookie)));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/admin');

    const store = (await createStore(testDb.db)).id;
    const manager = await createManager(testDb.db, { storeIds: [store] });
    const managerSession = await createStaffSession(testDb.db, manager.id);
    const managerResponse = await thrownResponse(callLoader(get('/login', managerSession.cookie)));
    expect(managerResponse.headers.get('Location')).toBe(`/manage/${store}`);
  });
});
