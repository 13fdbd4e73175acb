import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOptionalUser, requireUser } from '../../../app/auth/guards.server';
import { action as loginAction } from '../../../app/routes/login';
import { action, loader } from '../../../app/routes/logout';
import { createAdmin } from '../../factories/staff';
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

async function signIn() {
  const admin = await createAdmin(testDb.db);
  const response = await loginAction({
    request: post('/login', { email: admin.email, password: admin.password }),
    params: {},
    context: contextFor(testDb),
  });
  const cookie = cookieFrom(response);
  const user = await requireUser(get('/admin', cookie));
  return { admin, cookie, user };
}

const logout = (request: Request) => action({ request, params: {}, context: contextFor(testDb) });

describe('/logout', () => {
  it('revokes the session, clears the cookie, and the old cookie stops working', async () => {
    const { admin, cookie, user } = await signIn();
    const response = await logout(post('/logout', { csrf: user.csrfToken }, { cookie }));

    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/login');
    const setCookie = response.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/^ctea_session=;/);
    expect(setCookie).toContain('Max-Age=0');

    const session = await testDb.db
      .selectFrom('session')
      .select(['revoked_at'])
      .where('id', '=', user.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.revoked_at).not.toBeNull();

    expect(await getOptionalUser(get('/admin', cookie))).toBeNull();
    const replay = await thrownResponse(requireUser(get('/admin', cookie)));
    expect(replay.status).toBe(302);

    const audit = await testDb.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_user_id', '=', admin.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user.login', 'user.logout']);
  });

  it('refuses a sign-out without the CSRF token (403) and keeps the session', async () => {
    const { cookie, user } = await signIn();
    const missing = await thrownResponse(logout(post('/logout', {}, { cookie })));
    expect(missing.status).toBe(403);
    const wrong = await thrownResponse(logout(post('/logout', { csrf: 'forged' }, { cookie })));
    expect(wrong.status).toBe(403);
    expect((await requireUser(get('/admin', cookie))).sessionId).toBe(user.sessionId);
  });

  it('clears a stale cookie without a session and still lands on /login', async () => {
    const response = await logout(
      post('/logout', {}, { cookie: `ctea_session=${'B'.repeat(43)}` }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/login');
    expect(response.headers.get('Set-Cookie')).toMatch(/^ctea_session=;.*Max-Age=0/);
  });

  it('does nothing on GET but redirect to /', async () => {
    const { cookie, user } = await signIn();
    const response = loader();
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/');
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect((await requireUser(get('/admin', cookie))).sessionId).toBe(user.sessionId);
  });
});
