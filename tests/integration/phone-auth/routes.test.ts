import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession } from '../../../app/auth/session.server';
import { loader as accountLoader } from '../../../app/routes/_shop.account';
import { action as signinAction, loader as signinLoader } from '../../../app/routes/_shop.signin';
import { action as signoutAction } from '../../../app/routes/_shop.signout';
import { action as sendAction, loader as sendLoader } from '../../../app/routes/api.auth.code.send';
import { action as verifyAction } from '../../../app/routes/api.auth.code.verify';
import { loader as outboxLoader } from '../../../app/routes/dev.sms-outbox';
import { resetEnvCache } from '../../../app/utils/env.server';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createMember } from '../../factories/access';
import { createStore } from '../../factories/catalog';
import { createCouponInstance, createCouponTemplate } from '../../factories/coupons';
import { createOrder } from '../../factories/orders';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, cookieFrom, get, post, thrownResponse } from '../auth/helpers';
import {
  ageCodes,
  codeFromOutbox,
  outbox,
  startSmsGateway,
  uniqueIp,
  uniquePhone,
  useSmsGatewayEnv,
  wrongCode,
} from './helpers';

let testDb: TestDatabase;
let fake: RunningFake;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  useSmsGatewayEnv(fake);
  await useAppDatabase(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await fake?.stop();
  await testDb?.destroy();
});

/** The load context of one request, from its own client address (per-IP caps stay out of the way). */
const ctx = () => ({ requestId: 'routes-test', db: testDb.db, clientIp: uniqueIp() });
const args = (request: Request) => ({ request, params: {}, context: ctx() });

function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

async function signInThroughApi(phone = uniquePhone()) {
  expect((await sendAction(args(postJson('/api/auth/code/send', { phone })))).status).toBe(200);
  const code = await codeFromOutbox(fake, phone);
  const response = await verifyAction(args(postJson('/api/auth/code/verify', { phone, code })));
  expect(response.status).toBe(200);
  return { phone, cookie: cookieFrom(response), body: await response.json() };
}

describe('POST /api/auth/code/send', () => {
  it('answers 200 {expires_in, resend_in} identically for a member and a stranger', async () => {
    const member = await createMember(testDb.db);
    const a = await sendAction(args(postJson('/api/auth/code/send', { phone: member.phone })));
    const b = await sendAction(args(postJson('/api/auth/code/send', { phone: uniquePhone() })));
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const [bodyA, bodyB] = [await a.text(), await b.text()];
    expect(bodyA).toBe(bodyB);
    expect(JSON.parse(bodyA)).toEqual({ expires_in: 300, resend_in: 60 });
    expect(a.headers.get('Cache-Control')).toBe('no-store');
  });

  it('refuses `123` with 400 INVALID_PHONE in the standard error body, sending nothing', async () => {
    const response = await sendAction(args(postJson('/api/auth/code/send', { phone: '123' })));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'INVALID_PHONE', message_key: 'checkout.error.INVALID_PHONE', details: {} },
    });
  });

  it('answers a quick resend 429 RATE_LIMITED with retry_after_s and Retry-After', async () => {
    const phone = uniquePhone();
    await sendAction(args(postJson('/api/auth/code/send', { phone })));
    const response = await sendAction(args(postJson('/api/auth/code/send', { phone })));
    expect(response.status).toBe(429);
    const body = await response.json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.details.retry_after_s).toBeGreaterThan(0);
    expect(response.headers.get('Retry-After')).toBe(String(body.error.details.retry_after_s));
  });

  it('never 500s on bad input', async () => {
    for (const body of [
      '{nope',
      '[]',
      '{"phone":5}',
      '{}',
      'null',
      `{"phone":"${'9'.repeat(500)}"}`,
    ]) {
      const response = await sendAction(args(postJson('/api/auth/code/send', body)));
      expect(response.status, body).toBe(400);
      expect((await response.json()).error.code).toMatch(/^(VALIDATION_FAILED|INVALID_PHONE)$/);
    }
    expect((await sendLoader()).status).toBe(405);
  });

  it('refuses a cross-site request', async () => {
    const response = await sendAction(
      args(
        postJson(
          '/api/auth/code/send',
          { phone: uniquePhone() },
          { Origin: 'https://evil.example' },
        ),
      ),
    );
    expect(response.status).toBe(403);
  });
});

describe('POST /api/auth/code/verify', () => {
  it('signs in: session cookie, is_new_member, and the cookie passes requireMember', async () => {
    const { phone, cookie, body } = await signInThroughApi();
    expect(body).toEqual({
      is_new_member: true,
      member: { id: expect.any(Number), display_name: `Гость ${phone.slice(-4)}` },
    });
    const account = await accountLoader(args(get('/account', cookie)));
    expect(account.status).toBe(200);
  });

  it('answers a wrong code 400 INVALID_CODE {attempts_left}', async () => {
    const phone = uniquePhone();
    await sendAction(args(postJson('/api/auth/code/send', { phone })));
    const code = await codeFromOutbox(fake, phone);
    const response = await verifyAction(
      args(postJson('/api/auth/code/verify', { phone, code: wrongCode(code) })),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: 'INVALID_CODE',
      message_key: 'checkout.error.INVALID_CODE',
      details: { attempts_left: 4 },
    });
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });
});

const form = (fields: Record<string, string>, cookie?: string) =>
  post('/signin', fields, cookie ? { cookie } : {});

describe('/signin page', () => {
  it('`123` shows the phone-format error on the phone step and sends nothing', async () => {
    const before = ((await (await fetch(`${fake.url}/outbox`)).json()) as { messages: unknown[] })
      .messages.length;
    const response = await signinAction(args(form({ intent: 'send', phone: '123' })));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      step: 'phone',
      phone: '123',
      resendIn: 0,
      expiresIn: 300,
      error: { field: 'phone', key: 'signin.error.phoneFormat' },
    });
    const after = ((await (await fetch(`${fake.url}/outbox`)).json()) as { messages: unknown[] })
      .messages.length;
    expect(after).toBe(before);
  });

  it('phone → code → redirect to a safe redirectTo with a fresh session cookie', async () => {
    const phone = uniquePhone();
    const pretty = `+7 ${phone.slice(2, 5)} ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;
    const sent = await signinAction(args(form({ intent: 'send', phone: pretty })));
    expect(await sent.json()).toEqual({
      step: 'code',
      phone,
      resendIn: 60,
      expiresIn: 300,
      error: null,
    });
    const code = await codeFromOutbox(fake, phone);

    const wrong = await signinAction(
      args(
        form({ intent: 'verify', phone, code: wrongCode(code), redirectTo: '/checkout/MSK-01' }),
      ),
    );
    expect(await wrong.json()).toMatchObject({
      step: 'code',
      error: { field: 'code', key: 'signin.error.invalidCode', params: { attemptsLeft: 4 } },
    });

    const done = await signinAction(
      args(form({ intent: 'verify', phone, code, redirectTo: '/checkout/MSK-01' })),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get('Location')).toBe('/checkout/MSK-01');
    const cookie = cookieFrom(done);

    // signed in: /signin sends the member on
    const again = await thrownResponse(signinLoader(args(get('/signin', cookie))));
    expect(again.headers.get('Location')).toBe('/account');
  });

  it('ignores a redirectTo that leaves the site', async () => {
    for (const redirectTo of [
      'https://evil.example/x',
      '//evil.example',
      '/\\evil.example',
      '/signout',
    ]) {
      const phone = uniquePhone();
      await signinAction(args(form({ intent: 'send', phone })));
      const code = await codeFromOutbox(fake, phone);
      const done = await signinAction(args(form({ intent: 'verify', phone, code, redirectTo })));
      expect(done.headers.get('Location'), redirectTo).toBe('/account');
    }
  });

  it('a resend within 60 s stays on the code step with a countdown', async () => {
    const phone = uniquePhone();
    await signinAction(args(form({ intent: 'send', phone })));
    await ageCodes(testDb.db, phone, 15);
    const response = await signinAction(args(form({ intent: 'send', phone, step: 'code' })));
    expect(response.status).toBe(429);
    const body = await response.json();
    expect(body).toMatchObject({
      step: 'code',
      phone,
      error: { field: 'form', key: 'signin.error.rateLimited' },
    });
    expect(body.resendIn).toBeGreaterThanOrEqual(44);
    expect(body.resendIn).toBeLessThanOrEqual(45);
  });

  it('a new sign-in revokes the session cookie the browser carried (no fixation)', async () => {
    const other = await createMember(testDb.db);
    const old = await createMemberSession(testDb.db, { memberId: other.id });
    const phone = uniquePhone();
    await signinAction(args(form({ intent: 'send', phone })));
    const code = await codeFromOutbox(fake, phone);
    const done = await signinAction(
      args(form({ intent: 'verify', phone, code }, `ctea_session=${old.token}`)),
    );
    expect(cookieFrom(done)).not.toBe(`ctea_session=${old.token}`);
    const row = await testDb.db
      .selectFrom('session')
      .select('revoked_at')
      .where('id', '=', old.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
  });

  it('refuses a cross-site form post and an unknown intent', async () => {
    const crossSite = post(
      '/signin',
      { intent: 'send', phone: uniquePhone() },
      {
        headers: { Origin: 'https://evil.example' },
      },
    );
    expect((await thrownResponse(signinAction(args(crossSite)))).status).toBe(403);
    expect((await thrownResponse(signinAction(args(form({ intent: 'x' }))))).status).toBe(400);
  });
});

describe('/account', () => {
  it('redirects an anonymous visitor to sign-in', async () => {
    const response = await thrownResponse(accountLoader(args(get('/account'))));
    expect(response.headers.get('Location')).toBe('/signin?redirectTo=%2Faccount');
  });

  it('a new member sees 100 points and the signup bonus in the ledger', async () => {
    const { cookie, phone } = await signInThroughApi();
    const data = await (await accountLoader(args(get('/account', cookie)))).json();
    expect(data.profile).toEqual({
      displayName: `Гость ${phone.slice(-4)}`,
      phone: `+7 ${phone.slice(2, 5)} ***-**-${phone.slice(-2)}`,
      tier: 'Бронза',
      pointsBalance: 100,
    });
    expect(data.ledger).toMatchObject([
      { delta: 100, balanceAfter: 100, reason: 'SIGNUP_BONUS', orderNumber: null },
    ]);
    expect(data.orders).toEqual([]);
    expect(data.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lists only the member’s own orders, newest first, with a link token', async () => {
    const { cookie, body } = await signInThroughApi();
    const store = await createStore(testDb.db, { name_ru: 'CTEA Тверская' });
    const first = await createOrder(testDb.db, { member_id: body.member.id, store_id: store.id });
    const second = await createOrder(testDb.db, {
      member_id: body.member.id,
      store_id: store.id,
      status: 'CANCELLED',
      subtotal_amount: '150.00',
    });
    await createOrder(testDb.db); // someone else's
    const data = await (await accountLoader(args(get('/account', cookie)))).json();
    expect(data.orders).toEqual([
      {
        id: second.id,
        orderNumber: second.order_number,
        publicToken: second.public_token,
        createdAt: expect.any(String),
        status: 'CANCELLED',
        finalAmount: 15000,
        storeName: 'CTEA Тверская',
      },
      expect.objectContaining({ id: first.id, status: 'PENDING', finalAmount: 35000 }),
    ]);
  });

  it('expires overdue UNUSED coupons on read (audit EXPIRED by SYSTEM), keeps FROZEN, filters', async () => {
    const { cookie, body } = await signInThroughApi();
    const memberId: number = body.member.id;
    const ended = await createCouponTemplate(testDb.db, {
      valid_from: new Date(Date.now() - 48 * 3600_000),
      valid_until: new Date(Date.now() - 3600_000),
    });
    const overdue = await createCouponInstance(testDb.db, {
      template_id: ended.id,
      member_id: memberId,
      tags: ['summer'],
    });
    const frozen = await createCouponInstance(testDb.db, {
      template_id: ended.id,
      member_id: memberId,
      status: 'FROZEN',
    });
    const extendedUntil = new Date(Date.now() + 7 * 86_400_000);
    const extended = await createCouponInstance(testDb.db, {
      template_id: ended.id,
      member_id: memberId,
      adjusted_valid_until: extendedUntil,
      source_type: 'CAMPAIGN',
      source_ref: 'A1234',
    });
    const live = await createCouponInstance(testDb.db, { member_id: memberId, tags: ['summer'] });

    const data = await (await accountLoader(args(get('/account', cookie)))).json();
    // as serialised for the browser: dates are ISO strings
    const coupons = data.coupons as unknown as { id: number; status: string; validUntil: string }[];
    const byId = new Map(coupons.map((c) => [c.id, c]));
    expect(byId.get(overdue.id)?.status).toBe('EXPIRED');
    expect(byId.get(frozen.id)?.status).toBe('FROZEN');
    expect(byId.get(extended.id)).toMatchObject({
      status: 'UNUSED',
      validUntil: extendedUntil.toISOString(),
      sourceType: 'CAMPAIGN',
      sourceRef: 'A1234',
    });
    expect(byId.get(live.id)?.status).toBe('UNUSED');
    expect(data.couponTags).toEqual(['summer']);

    const audit = await testDb.db
      .selectFrom('coupon_audit_log')
      .select(['coupon_instance_id', 'action', 'from_status', 'to_status', 'actor_type'])
      .where('coupon_instance_id', 'in', [overdue.id, frozen.id, extended.id, live.id])
      .execute();
    expect(audit).toEqual([
      {
        coupon_instance_id: overdue.id,
        action: 'EXPIRED',
        from_status: 'UNUSED',
        to_status: 'EXPIRED',
        actor_type: 'SYSTEM',
      },
    ]);

    // a second read changes nothing more
    await accountLoader(args(get('/account', cookie)));
    const auditAgain = await testDb.db
      .selectFrom('coupon_audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('coupon_instance_id', '=', overdue.id)
      .executeTakeFirstOrThrow();
    expect(auditAgain.n).toBe(1);

    const unused = await (await accountLoader(args(get('/account?status=UNUSED', cookie)))).json();
    expect(unused.coupons.map((c: { id: number }) => c.id).sort()).toEqual(
      [extended.id, live.id].sort(),
    );
    const tagged = await (
      await accountLoader(args(get('/account?status=UNUSED&tag=summer', cookie)))
    ).json();
    expect(tagged.coupons.map((c: { id: number }) => c.id)).toEqual([live.id]);
    const bogus = await accountLoader(args(get('/account?status=NOPE&tag=', cookie)));
    expect(bogus.status).toBe(200);
    expect((await bogus.json()).coupons).toHaveLength(4);
  });
});

describe('POST /signout', () => {
  it('revokes the member session and clears the cookie; needs the CSRF token', async () => {
    const { cookie } = await signInThroughApi();
    const data = await (await accountLoader(args(get('/account', cookie)))).json();

    const forged = await thrownResponse(
      signoutAction(args(post('/signout', { csrf: 'forged' }, { cookie }))),
    );
    expect(forged.status).toBe(403);

    const response = await signoutAction(
      args(post('/signout', { csrf: data.csrfToken }, { cookie })),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Set-Cookie')).toMatch(/^ctea_session=; .*Max-Age=0/);
    const after = await thrownResponse(accountLoader(args(get('/account', cookie))));
    expect(after.status).toBe(302);
  });
});

describe('/dev/sms-outbox', () => {
  it('shows the fake gateway’s messages for a phone outside production', async () => {
    const phone = uniquePhone();
    await sendAction(args(postJson('/api/auth/code/send', { phone })));
    const response = await outboxLoader(
      args(get(`/dev/sms-outbox?phone=${encodeURIComponent(phone)}`)),
    );
    const data = await response.json();
    expect(data.phone).toBe(phone);
    expect(data.messages).toHaveLength(1);
    expect(data.messages![0]!.text).toContain(await codeFromOutbox(fake, phone));
    expect(await outbox(fake, phone)).toHaveLength(1);
  });

  it('is a 404 in production', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(32),
        CODE_PEPPER: 'p'.repeat(32),
        PUBLIC_BASE_URL: 'https://ctea.example',
      });
      delete process.env.SMS_API_BASE_URL;
      resetEnvCache();
      const response = await thrownResponse(outboxLoader(args(get('/dev/sms-outbox?phone=1'))));
      expect(response.status).toBe(404);
    } finally {
      process.env = saved;
      resetEnvCache();
    }
  });
});
