import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession, hashSessionToken } from '../../../app/auth/session.server';
import { sendCode, verifyCode } from '../../../app/features/phone-auth/phone-auth.service.server';
import type { SmsClient } from '../../../app/integrations/sms/sms-client.server';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createMember } from '../../factories/access';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  ageCodes,
  codeFromOutbox,
  codesOf,
  refusal,
  smsClientFor,
  startSmsGateway,
  uniqueIp,
  uniquePhone,
  wrongCode,
} from './helpers';

let testDb: TestDatabase;
let fake: RunningFake;
let sms: SmsClient;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  sms = smsClientFor(fake);
});

afterAll(async () => {
  await fake?.stop();
  await testDb?.destroy();
});

/** Sends a code to a new (or the given) phone and returns it as read from the SMS outbox. */
async function codeFor(phone = uniquePhone()): Promise<{ phone: string; code: string }> {
  await sendCode(testDb.db, { phone, ip: uniqueIp(), userAgent: 'vitest' }, { sms });
  return { phone, code: await codeFromOutbox(fake, phone) };
}

const verify = (phone: string, code: string, extra: { previousSessionToken?: string } = {}) =>
  verifyCode(testDb.db, {
    phone,
    code,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    requestId: 'verify-test',
    ...extra,
  });

function ledgerOf(memberId: number) {
  return testDb.db
    .selectFrom('member_points_history')
    .select(['delta', 'balance_after', 'reason', 'idempotency_key'])
    .where('member_id', '=', memberId)
    .execute();
}

describe('verifyCode — AU-4', () => {
  it('refuses a phone that never got a code with CODE_EXPIRED', async () => {
    expect(await refusal(verify(uniquePhone(), '123456'))).toMatchObject({
      code: 'CODE_EXPIRED',
      status: 400,
    });
  });

  it('refuses an invalid phone with INVALID_PHONE and a malformed code without counting it', async () => {
    expect((await refusal(verify('123', '123456'))).code).toBe('INVALID_PHONE');
    const { phone } = await codeFor();
    const refused = await refusal(verify(phone, '12a45'));
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect((await codesOf(testDb.db, phone))[0]!.attempts).toBe(0);
  });

  it('expires an ACTIVE code past expires_at: CODE_EXPIRED, row EXPIRED, still refused later', async () => {
    const { phone, code } = await codeFor();
    await testDb.db
      .updateTable('verification_code')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('phone', '=', phone)
      .execute();
    expect((await refusal(verify(phone, code))).code).toBe('CODE_EXPIRED');
    expect((await codesOf(testDb.db, phone)).map((r) => r.status)).toEqual(['EXPIRED']);
    expect((await refusal(verify(phone, code))).code).toBe('CODE_EXPIRED');
  });

  it('counts wrong codes down, locks on the 5th, and then refuses even the right code', async () => {
    const { phone, code } = await codeFor();
    const wrong = wrongCode(code);
    for (const left of [4, 3, 2, 1]) {
      expect(await refusal(verify(phone, wrong))).toEqual({
        code: 'INVALID_CODE',
        status: 400,
        details: { attempts_left: left },
      });
    }
    expect((await refusal(verify(phone, wrong))).code).toBe('TOO_MANY_ATTEMPTS');
    expect(await codesOf(testDb.db, phone)).toMatchObject([{ status: 'LOCKED', attempts: 5 }]);
    expect((await refusal(verify(phone, code))).code).toBe('TOO_MANY_ATTEMPTS');
    expect(await codesOf(testDb.db, phone)).toMatchObject([{ status: 'LOCKED', attempts: 5 }]);
  });

  it('accepts the right code on the 5th attempt', async () => {
    const { phone, code } = await codeFor();
    for (let i = 0; i < 4; i++) await refusal(verify(phone, wrongCode(code)));
    const signedIn = await verify(phone, code);
    expect(signedIn.isNewMember).toBe(true);
    expect(await codesOf(testDb.db, phone)).toMatchObject([{ status: 'CONSUMED', attempts: 5 }]);
  });

  it('consumes the code: it never works again', async () => {
    const { phone, code } = await codeFor();
    await verify(phone, code);
    const [row] = await codesOf(testDb.db, phone);
    expect(row).toMatchObject({ status: 'CONSUMED', consumed_at: expect.any(Date) });
    expect((await refusal(verify(phone, code))).code).toBe('CODE_EXPIRED');
  });

  it('a superseded code no longer works; the newest one does', async () => {
    const { phone, code: first } = await codeFor();
    await ageCodes(testDb.db, phone, 61);
    const { code: second } = await codeFor(phone);
    if (first !== second) {
      expect((await refusal(verify(phone, first))).code).toBe('INVALID_CODE');
    }
    await expect(verify(phone, second)).resolves.toMatchObject({ isNewMember: true });
    expect((await codesOf(testDb.db, phone)).map((r) => r.status)).toEqual([
      'SUPERSEDED',
      'CONSUMED',
    ]);
  });
});

describe('verifyCode — AU-5', () => {
  it('creates the member once, in the entry tier, with one signup bonus and a MEMBER session', async () => {
    const { phone, code } = await codeFor();
    const first = await verify(phone, code);
    expect(first).toMatchObject({ isNewMember: true, displayName: `Гость ${phone.slice(-4)}` });

    const member = await testDb.db
      .selectFrom('member as m')
      .innerJoin('member_group as g', 'g.id', 'm.group_id')
      .select([
        'm.id',
        'm.display_name',
        'm.available_points_balance',
        'm.total_points_earned',
        'm.phone_verified_at',
        'm.last_login_at',
        'g.code as tier',
      ])
      .where('m.phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(member).toMatchObject({
      id: first.memberId,
      display_name: `Гость ${phone.slice(-4)}`,
      available_points_balance: 100,
      total_points_earned: 0,
      phone_verified_at: expect.any(Date),
      last_login_at: expect.any(Date),
      tier: 'BRONZE',
    });
    expect(await ledgerOf(member.id)).toEqual([
      {
        delta: 100,
        balance_after: 100,
        reason: 'SIGNUP_BONUS',
        idempotency_key: `signup_bonus:${phone}`,
      },
    ]);

    const session = await testDb.db
      .selectFrom('session')
      .select([
        'principal_type',
        'member_id',
        'user_id',
        'revoked_at',
        'ip',
        sql<number>`round(extract(epoch from expires_at - now()) / 86400)::int`.as('days'),
      ])
      .where('token_hash', '=', first.session.tokenHash)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({
      principal_type: 'MEMBER',
      member_id: member.id,
      user_id: null,
      revoked_at: null,
      ip: '127.0.0.1',
      days: 30,
    });
    expect(first.session.token).not.toBe(first.session.tokenHash);
    expect(hashSessionToken(first.session.token)).toBe(first.session.tokenHash);
    expect(first.session.cookieHeader).toMatch(
      /^ctea_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/,
    );

    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_member_id', 'action', 'request_id'])
      .where('entity_type', '=', 'member')
      .where('entity_id', '=', String(member.id))
      .execute();
    expect(audit).toEqual([
      {
        actor_type: 'MEMBER',
        actor_member_id: member.id,
        action: 'member.login',
        request_id: 'verify-test',
      },
    ]);

    // signing in again: the same member, no second bonus, a second session
    await ageCodes(testDb.db, phone, 61);
    const again = await codeFor(phone);
    const second = await verify(phone, again.code);
    expect(second).toMatchObject({ isNewMember: false, memberId: member.id });
    expect(second.session.tokenHash).not.toBe(first.session.tokenHash);
    expect(await ledgerOf(member.id)).toHaveLength(1);
    const count = await testDb.db
      .selectFrom('member')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('an existing member signs in as is_new_member false and gets the signup bonus once', async () => {
    const existing = await createMember(testDb.db, { display_name: 'Анна' });
    const { code } = await codeFor(existing.phone);
    const signedIn = await verify(existing.phone, code);
    expect(signedIn).toMatchObject({
      isNewMember: false,
      memberId: existing.id,
      displayName: 'Анна',
    });
    expect(await ledgerOf(existing.id)).toHaveLength(1);
  });

  it('an inactive member gets no session; the code is spent', async () => {
    const inactive = await createMember(testDb.db, { is_active: false });
    const { code } = await codeFor(inactive.phone);
    expect(await refusal(verify(inactive.phone, code))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const sessions = await testDb.db
      .selectFrom('session')
      .select('id')
      .where('member_id', '=', inactive.id)
      .execute();
    expect(sessions).toEqual([]);
    expect(await ledgerOf(inactive.id)).toEqual([]);
    expect((await codesOf(testDb.db, inactive.phone)).map((r) => r.status)).toEqual(['CONSUMED']);
  });

  it('revokes the session the browser carried (a sign-in never keeps an old token)', async () => {
    const someone = await createMember(testDb.db);
    const old = await createMemberSession(testDb.db, { memberId: someone.id });
    const { phone, code } = await codeFor();
    const signedIn = await verify(phone, code, { previousSessionToken: old.token });
    const rows = await testDb.db
      .selectFrom('session')
      .select(['token_hash', 'revoked_at'])
      .where('token_hash', 'in', [old.tokenHash, signedIn.session.tokenHash])
      .execute();
    expect(rows.find((r) => r.token_hash === old.tokenHash)?.revoked_at).toBeInstanceOf(Date);
    expect(rows.find((r) => r.token_hash === signedIn.session.tokenHash)?.revoked_at).toBeNull();
  });
});
