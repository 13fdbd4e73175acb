import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOptionalUser, requireUser } from '../../../app/auth/guards.server';
import { getSessionPrincipal, hashSessionToken } from '../../../app/auth/session.server';
import { action as staffAction } from '../../../app/routes/admin.staff.$userId';
import { action as signinAction } from '../../../app/routes/_shop.signin';
import { action as signoutAction } from '../../../app/routes/_shop.signout';
import { action as verifyAction } from '../../../app/routes/api.auth.code.verify';
import { action as sendAction } from '../../../app/routes/api.auth.code.send';
import { action as loginAction } from '../../../app/routes/login';
import { action as logoutAction } from '../../../app/routes/logout';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createMember } from '../../factories/access';
import { createAdmin, createManager } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  codeFromOutbox,
  startSmsGateway,
  uniqueIp,
  uniquePhone,
  useSmsGatewayEnv,
} from '../phone-auth/helpers';
import { BASE, buildWorld, invoke, type World } from './helpers';

/**
 * Session fixation (issue 8 acceptance, AU-9): a session cookie planted in the browser before
 * sign-in — a made-up token, or the attacker's own live session — is never the session after
 * sign-in. Staff login and both customer sign-ins (the JSON API and the /signin form) hand out a
 * fresh token and revoke whatever the browser carried; sign-out revokes the row; deactivating a
 * staff member ends their sessions at once.
 */

let testDb: TestDatabase;
let fake: RunningFake;
let world: World;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  useSmsGatewayEnv(fake);
  await useAppDatabase(testDb);
  world = await buildWorld(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await fake?.stop();
  await testDb?.destroy();
});

const cookieOf = (token: string) => `ctea_session=${token}`;
const plantedToken = () => crypto.randomBytes(32).toString('base64url');

function tokenFromSetCookie(headers: Headers): string {
  const match = /ctea_session=([^;]*)/.exec(headers.get('Set-Cookie') ?? '');
  if (!match) throw new Error(`no session cookie in ${headers.get('Set-Cookie')}`);
  return match[1]!;
}

/** Who a cookie authenticates right now (null: nobody). */
async function principalOf(token: string) {
  return getSessionPrincipal(
    testDb.db,
    new Request(`${BASE}/`, { headers: { Cookie: cookieOf(token) } }),
  );
}

async function sessionRow(token: string) {
  return testDb.db
    .selectFrom('session')
    .select(['id', 'revoked_at', 'user_id', 'member_id'])
    .where('token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
}

/** A live session of the attacker (a customer), whose cookie they plant in the victim's browser. */
async function attackerSession(): Promise<string> {
  const attacker = await createMember(testDb.db);
  return world.memberSession(attacker.id).then((s) => s.cookie.slice('ctea_session='.length));
}

async function staffLogin(email: string, password: string, planted: string) {
  return invoke(
    loginAction,
    testDb,
    { path: '/login', origin: BASE, cookie: cookieOf(planted), form: { email, password } },
    {},
    uniqueIp(),
  );
}

async function sendCodeTo(phone: string) {
  const reply = await invoke(
    sendAction,
    testDb,
    { path: '/api/auth/code/send', origin: BASE, json: { phone } },
    {},
    uniqueIp(),
  );
  expect(reply.status).toBe(200);
  return codeFromOutbox(fake, phone);
}

describe('session fixation: a planted cookie is never the session after sign-in', () => {
  for (const kind of ['made-up token', 'live session of the attacker'] as const) {
    it(`staff login with a ${kind} planted: new token, the planted one authenticates nobody`, async () => {
      const victim = await createManager(testDb.db, { storeIds: [world.storeA.id] });
      const planted = kind === 'made-up token' ? plantedToken() : await attackerSession();
      const reply = await staffLogin(victim.email, victim.password, planted);
      expect(reply.status).toBe(302);
      const issued = tokenFromSetCookie(reply.headers);
      expect(issued).not.toBe(planted);
      expect(await principalOf(issued)).toMatchObject({ type: 'USER', userId: victim.id });
      expect(await principalOf(planted)).toBeNull();
      if (kind !== 'made-up token') expect((await sessionRow(planted))!.revoked_at).not.toBeNull();
      // a made-up token never becomes a row
      else expect(await sessionRow(planted)).toBeUndefined();
    });

    it(`customer sign-in through /api/auth/code/verify with a ${kind} planted`, async () => {
      const phone = uniquePhone();
      const code = await sendCodeTo(phone);
      const planted = kind === 'made-up token' ? plantedToken() : await attackerSession();
      const reply = await invoke(
        verifyAction,
        testDb,
        {
          path: '/api/auth/code/verify',
          origin: BASE,
          cookie: cookieOf(planted),
          json: { phone, code },
        },
        {},
        uniqueIp(),
      );
      expect(reply.status).toBe(200);
      const issued = tokenFromSetCookie(reply.headers);
      expect(issued).not.toBe(planted);
      const member = await testDb.db
        .selectFrom('member')
        .select('id')
        .where('phone', '=', phone)
        .executeTakeFirstOrThrow();
      expect(await principalOf(issued)).toMatchObject({ type: 'MEMBER', memberId: member.id });
      expect(await principalOf(planted)).toBeNull();
    });

    it(`customer sign-in through the /signin form with a ${kind} planted`, async () => {
      const phone = uniquePhone();
      const code = await sendCodeTo(phone);
      const planted = kind === 'made-up token' ? plantedToken() : await attackerSession();
      const reply = await invoke(
        signinAction,
        testDb,
        {
          path: '/signin',
          origin: BASE,
          cookie: cookieOf(planted),
          form: { intent: 'verify', phone, code },
        },
        {},
        uniqueIp(),
      );
      expect(reply.status).toBe(302);
      const issued = tokenFromSetCookie(reply.headers);
      expect(issued).not.toBe(planted);
      expect(await principalOf(issued)).toMatchObject({ type: 'MEMBER' });
      expect(await principalOf(planted)).toBeNull();
    });
  }

  it('a failed staff login leaves no session and does not adopt the planted cookie', async () => {
    const victim = await createManager(testDb.db);
    const planted = plantedToken();
    const reply = await staffLogin(victim.email, 'wrong-password', planted);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('Set-Cookie') ?? '').not.toContain(planted);
    expect(await sessionRow(planted)).toBeUndefined();
    const sessions = await testDb.db
      .selectFrom('session')
      .select('id')
      .where('user_id', '=', victim.id)
      .execute();
    expect(sessions).toEqual([]);
  });
});

describe('sign-out and deactivation end the session row', () => {
  it('staff /logout revokes the row and clears the cookie; the token authenticates nobody', async () => {
    const s = await world.staffSession(world.managerAUser.id);
    const token = s.cookie.slice('ctea_session='.length);
    const reply = await invoke(logoutAction, testDb, {
      path: '/logout',
      origin: BASE,
      cookie: s.cookie,
      form: { csrf: s.csrf },
    });
    expect(reply.status).toBe(302);
    expect(reply.headers.get('Set-Cookie')).toMatch(/^ctea_session=;.*Max-Age=0/);
    expect((await sessionRow(token))!.revoked_at).not.toBeNull();
    expect(await principalOf(token)).toBeNull();
  });

  it('customer /signout revokes the row and clears the cookie; the token authenticates nobody', async () => {
    const s = await world.memberSession(world.member.id);
    const token = s.cookie.slice('ctea_session='.length);
    const reply = await invoke(signoutAction, testDb, {
      path: '/signout',
      origin: BASE,
      cookie: s.cookie,
      form: { csrf: s.csrf },
    });
    expect(reply.status).toBe(302);
    expect(reply.headers.get('Set-Cookie')).toMatch(/^ctea_session=;.*Max-Age=0/);
    expect((await sessionRow(token))!.revoked_at).not.toBeNull();
    expect(await principalOf(token)).toBeNull();
  });

  it('deactivating a staff member revokes every session of theirs; their next request is anonymous', async () => {
    const victim = await createManager(testDb.db, { storeIds: [world.storeA.id] });
    const first = await world.staffSession(victim.id);
    const second = await world.staffSession(victim.id);
    const probe = (cookie: string) =>
      new Request(`${BASE}/manage`, { headers: { Cookie: cookie } });
    expect(await getOptionalUser(probe(first.cookie))).toMatchObject({ id: victim.id });

    const admin = await world.staffSession(world.adminUser.id);
    const reply = await invoke(
      staffAction,
      testDb,
      {
        path: `/admin/staff/${victim.id}`,
        origin: BASE,
        cookie: admin.cookie,
        form: { csrf: admin.csrf, intent: 'deactivate' },
      },
      { userId: String(victim.id) },
    );
    expect(reply.status).toBe(302);
    for (const s of [first, second]) {
      const token = s.cookie.slice('ctea_session='.length);
      expect((await sessionRow(token))!.revoked_at).not.toBeNull();
      expect(await principalOf(token)).toBeNull();
      // a fresh Request (the guard caches per Request): a page sends them to sign-in
      const thrown = await requireUser(probe(s.cookie)).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(302);
    }
  });

  it('a staff member deactivated in the database directly is signed out by the guard too', async () => {
    const victim = await createAdmin(testDb.db);
    const s = await world.staffSession(victim.id);
    await testDb.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', victim.id)
      .execute();
    expect(await principalOf(s.cookie.slice('ctea_session='.length))).toBeNull();
  });
});
