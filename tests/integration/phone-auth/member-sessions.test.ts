import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOptionalUser, requireRole, requireUser } from '../../../app/auth/guards.server';
import {
  getOptionalMember,
  requireMember,
  requireMemberCsrf,
} from '../../../app/auth/member.server';
import {
  createMemberSession,
  getSessionPrincipal,
  revokeSession,
} from '../../../app/auth/session.server';
import { createMember } from '../../factories/access';
import { createAdmin, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { contextFor, get, post, thrownResponse } from '../auth/helpers';

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

async function memberSession(overrides: Parameters<typeof createMember>[1] = {}) {
  const member = await createMember(testDb.db, overrides);
  const session = await createMemberSession(testDb.db, {
    memberId: member.id,
    ip: '127.0.0.1',
    userAgent: 'vitest',
  });
  return { member, session, cookie: `ctea_session=${session.token}` };
}

const ctx = () => contextFor(testDb);

describe('requireMember', () => {
  it('returns the member of a MEMBER session', async () => {
    const { member, session, cookie } = await memberSession({ display_name: 'Ли' });
    expect(await requireMember(get('/account', cookie), ctx())).toEqual({
      id: member.id,
      phone: member.phone,
      displayName: 'Ли',
      sessionId: session.sessionId,
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('redirects an anonymous page request to /signin with the way back', async () => {
    const response = await thrownResponse(requireMember(get('/account?status=UNUSED'), ctx()));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!, 'http://x');
    expect(location.pathname).toBe('/signin');
    expect(location.searchParams.get('redirectTo')).toBe('/account?status=UNUSED');
  });

  it('answers an anonymous /api call 401 UNAUTHENTICATED as JSON', async () => {
    const response = await thrownResponse(
      requireMember(post('/api/checkout/quote', { x: '1' }), ctx()),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message_key: 'checkout.error.UNAUTHENTICATED',
        details: {},
      },
    });
  });

  it('never accepts a staff session', async () => {
    const admin = await createAdmin(testDb.db);
    const { cookie } = await createStaffSession(testDb.db, admin.id);
    expect(await getOptionalMember(get('/account', cookie), ctx())).toBeNull();
    const response = await thrownResponse(requireMember(get('/account', cookie), ctx()));
    expect(response.status).toBe(302);
    // the staff session itself still works for the back office
    expect((await requireUser(get('/admin', cookie))).id).toBe(admin.id);
  });

  it('refuses an inactive member, a revoked and an expired session', async () => {
    const inactive = await memberSession({ is_active: false });
    expect(await getOptionalMember(get('/account', inactive.cookie), ctx())).toBeNull();

    const revoked = await memberSession();
    await revokeSession(testDb.db, revoked.session.tokenHash);
    expect(await getOptionalMember(get('/account', revoked.cookie), ctx())).toBeNull();

    const expired = await memberSession();
    await testDb.db
      .updateTable('session')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('id', '=', expired.session.sessionId)
      .execute();
    expect(await getOptionalMember(get('/account', expired.cookie), ctx())).toBeNull();
  });

  it('looks the session up once per request', async () => {
    const { cookie } = await memberSession();
    const request = get('/account', cookie);
    const [a, b] = await Promise.all([
      getOptionalMember(request, ctx()),
      getOptionalMember(request, ctx()),
    ]);
    expect(a).toBe(b);
  });
});

describe('MEMBER sessions never pass the staff guards', () => {
  it('requireUser redirects a member to /login, requireRole answers 401 to a member POST', async () => {
    const { cookie } = await memberSession();
    expect(await getOptionalUser(get('/admin', cookie))).toBeNull();
    const page = await thrownResponse(requireUser(get('/admin/stores', cookie)));
    expect(page.status).toBe(302);
    expect(page.headers.get('Location')).toMatch(/^\/login/);
    const write = await thrownResponse(requireRole(post('/admin/stores', {}, { cookie }), 'ADMIN'));
    expect(write.status).toBe(401);
  });
});

describe('member session lifetime (30 days, sliding)', () => {
  it('is extended to 30 days when used after a minute', async () => {
    const { session, cookie } = await memberSession();
    await testDb.db
      .updateTable('session')
      .set({
        expires_at: sql`now() + interval '1 day'`,
        last_seen_at: sql`now() - interval '2 minutes'`,
      })
      .where('id', '=', session.sessionId)
      .execute();
    const principal = await getSessionPrincipal(testDb.db, get('/account', cookie));
    expect(principal?.type).toBe('MEMBER');
    const row = await testDb.db
      .selectFrom('session')
      .select(sql<number>`round(extract(epoch from expires_at - now()) / 86400)::int`.as('days'))
      .where('id', '=', session.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.days).toBe(30);
  });

  it('staff sessions keep their absolute expiry', async () => {
    const admin = await createAdmin(testDb.db);
    const staff = await createStaffSession(testDb.db, admin.id);
    await testDb.db
      .updateTable('session')
      .set({ last_seen_at: sql`now() - interval '2 minutes'` })
      .where('id', '=', staff.sessionId)
      .execute();
    await getSessionPrincipal(testDb.db, get('/admin', staff.cookie));
    const row = await testDb.db
      .selectFrom('session')
      .select('expires_at')
      .where('id', '=', staff.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBe(staff.expiresAt.getTime());
  });

  it('the cookie outlives the 30-day row, so the database decides', async () => {
    const { session } = await memberSession();
    const maxAge = Number(/Max-Age=(\d+)/.exec(session.cookieHeader)?.[1]);
    expect(maxAge).toBeGreaterThan(300 * 86_400);
  });
});

describe('requireMemberCsrf', () => {
  it('accepts the session token and refuses anything else with 403', async () => {
    const { cookie } = await memberSession();
    const member = await requireMember(get('/account', cookie), ctx());
    const good = new FormData();
    good.set('csrf', member.csrfToken);
    expect(() => requireMemberCsrf(post('/signout', {}), good, member)).not.toThrow();
    const bad = new FormData();
    bad.set('csrf', 'forged');
    let thrown: unknown;
    try {
      requireMemberCsrf(post('/signout', {}), bad, member);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(403);
  });
});
