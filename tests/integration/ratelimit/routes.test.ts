import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_WINDOWS } from '../../../app/features/ratelimit/rate-limit';
import { hashCode, insertCode } from '../../../app/features/phone-auth/phone-auth.server';
import {
  action as checkoutAction,
  loader as checkoutLoader,
} from '../../../app/routes/_shop.checkout.$storeCode';
import { action as productAction } from '../../../app/routes/_shop.menu.$storeCode.p.$productId';
import { action as signinAction } from '../../../app/routes/_shop.signin';
import { action as verifyAction } from '../../../app/routes/api.auth.code.verify';
import { action as loginAction } from '../../../app/routes/login';
import { uniquePhone } from '../../factories/support';
import { createManager } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, post } from '../auth/helpers';
import {
  cartCookieFrom,
  cookieHeader,
  createShop,
  formRequest,
  getRequest,
  memberSession,
  type Shop,
} from '../storefront/helpers';
import { atWindowStart, setEnv, uniqueIp } from './helpers';

/**
 * The limits where requests arrive (ADR 0020): the route answers 429 before doing any of its work,
 * so a refused sign-in moves no lockout counter, a refused code check spends no code attempt and a
 * refused checkout writes no order and no idempotency record.
 */

let testDb: TestDatabase;
let shop: Shop;
let restoreEnv: () => void;

const CODE_VERIFY_LIMIT = 3;
const CHECKOUT_PER_MEMBER = 2;
const CHECKOUT_PER_IP = 4;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  // the staff sign-in limit keeps its default (30 per 15 min); the others are set low
  restoreEnv = setEnv({
    RATE_LIMIT_STAFF_LOGIN_PER_IP: '30',
    RATE_LIMIT_CODE_VERIFY_PER_IP: String(CODE_VERIFY_LIMIT),
    RATE_LIMIT_CHECKOUT_PER_MEMBER: String(CHECKOUT_PER_MEMBER),
    RATE_LIMIT_CHECKOUT_PER_IP: String(CHECKOUT_PER_IP),
  });
  shop = await createShop(testDb);
});

afterAll(async () => {
  restoreEnv?.();
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;

/** Runs a loader or action as the server does for a client at `clientIp`. */
async function call(handler: Handler, request: Request, clientIp: string, params = {}) {
  try {
    const result = await handler({
      request,
      params,
      context: { requestId: 'ratelimit-test', db: testDb.db, clientIp },
    });
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
}

describe('staff sign-in, per client address', () => {
  async function lockState(userId: number) {
    return testDb.db
      .selectFrom('users')
      .select(['failed_login_count', 'locked_until'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
  }

  // atWindowStart may wait up to 30 s for a fresh window: the timeout leaves room for it
  it(
    'answers the 31st POST of the window with 429 and never reaches the password check',
    { timeout: 120_000 },
    async () => {
      await atWindowStart(testDb.db, RATE_LIMIT_WINDOWS.staff_login_ip, 30);
      const ip = uniqueIp();
      const user = await createManager(testDb.db);
      const login = (email: string, password: string, from = ip) =>
        call(loginAction, post('/login', { email, password }), from);

      for (let i = 1; i <= 4; i++) expect((await login(user.email, `wrong-${i}`)).status).toBe(400);
      expect(await lockState(user.id)).toMatchObject({ failed_login_count: 4, locked_until: null });
      // 26 more from the same address: 30 in the window, all answered normally
      for (let i = 0; i < 26; i++) {
        expect((await login(`nobody-${i}@test.ctea.local`, 'whatever-password')).status).toBe(400);
      }

      const refused = await login(user.email, 'wrong-5');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('Retry-After'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(RATE_LIMIT_WINDOWS.staff_login_ip);
      const body = (await refused.json()) as {
        error: { code: string; formError: { key: string; params: { minutes: number } } };
        values: { email: string };
      };
      expect(body.error.code).toBe('RATE_LIMITED');
      expect(body.error.formError.key).toBe('auth.error.rateLimited');
      expect(body.error.formError.params.minutes).toBe(Math.ceil(retryAfter / 60));
      expect(body.values.email).toBe(user.email);
      // the 5th wrong password would have locked the account (AU-8): it was never checked
      expect(await lockState(user.id)).toMatchObject({ failed_login_count: 4, locked_until: null });
      // the right password is refused too from this address…
      expect((await login(user.email, user.password)).status).toBe(429);
      expect((await lockState(user.id)).failed_login_count).toBe(4);

      // …and works from another one; the limit is per address, the lockout per account
      const elsewhere = await login(user.email, user.password, uniqueIp());
      expect(elsewhere.status).toBe(302);
      expect(await lockState(user.id)).toMatchObject({ failed_login_count: 0, locked_until: null });
    },
  );
});

describe('sign-in code checks, per client address', () => {
  function verifyRequest(phone: string, code: string) {
    return new Request(`${BASE}/api/auth/code/verify`, {
      method: 'POST',
      body: JSON.stringify({ phone, code }),
      headers: { 'Content-Type': 'application/json' },
    });
  }

  async function codeWithAttempts(phone: string) {
    return testDb.db
      .selectFrom('verification_code')
      .select(['attempts', 'status'])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
  }

  it(
    'answers checks past the limit with 429 RATE_LIMITED {retry_after_s}; the code keeps its attempts',
    { timeout: 120_000 },
    async () => {
      await atWindowStart(testDb.db, RATE_LIMIT_WINDOWS.code_verify_ip, 30);
      const ip = uniqueIp();
      const phone = uniquePhone();
      await insertCode(testDb.db, {
        phone,
        codeHash: hashCode(phone, '246810'),
        ip: '192.0.2.1',
        userAgent: null,
      });

      for (let i = 1; i <= CODE_VERIFY_LIMIT; i++) {
        const wrong = await call(verifyAction, verifyRequest(phone, '000000'), ip);
        expect(wrong.status).toBe(400);
        expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
          'INVALID_CODE',
        );
      }
      expect(await codeWithAttempts(phone)).toEqual({
        attempts: CODE_VERIFY_LIMIT,
        status: 'ACTIVE',
      });

      // over the limit even the right code is not looked at
      const refused = await call(verifyAction, verifyRequest(phone, '246810'), ip);
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as {
        error: { code: string; message_key: string; details: { retry_after_s: number } };
      };
      expect(body.error.code).toBe('RATE_LIMITED');
      expect(body.error.message_key).toBe('checkout.error.RATE_LIMITED');
      expect(body.error.details.retry_after_s).toBeGreaterThanOrEqual(1);
      expect(body.error.details.retry_after_s).toBeLessThanOrEqual(
        RATE_LIMIT_WINDOWS.code_verify_ip,
      );
      expect(refused.headers.get('Retry-After')).toBe(String(body.error.details.retry_after_s));
      expect(await codeWithAttempts(phone)).toEqual({
        attempts: CODE_VERIFY_LIMIT,
        status: 'ACTIVE',
      });

      // the sign-in page's verify step shares the same counter
      const page = await call(
        signinAction,
        post('/signin', { intent: 'verify', phone, code: '246810' }),
        ip,
      );
      expect(page.status).toBe(429);
      expect(await page.json()).toMatchObject({
        step: 'code',
        phone,
        error: { field: 'form', key: 'signin.error.verifyRateLimited' },
      });
      expect((await codeWithAttempts(phone)).attempts).toBe(CODE_VERIFY_LIMIT);

      // another address is not limited: the right code signs in
      const elsewhere = await call(verifyAction, verifyRequest(phone, '246810'), uniqueIp());
      expect(elsewhere.status).toBe(200);
      expect((await codeWithAttempts(phone)).status).toBe('CONSUMED');
    },
  );
});

describe('checkout, per member and per client address', () => {
  const params = () => ({ storeCode: shop.store.code });
  const checkoutPath = () => `/checkout/${shop.store.code}`;

  /** A signed-in member with two milk teas in the cart, and the rendered checkout page. */
  async function readyToPay(ip: string) {
    const session = await memberSession(testDb);
    const added = await call(
      productAction,
      formRequest(`/menu/${shop.store.code}/p/${shop.milkTea.id}`, {
        intent: 'add',
        quantity: '2',
        [`option.${shop.sugar.id}`]: String(shop.normal.id),
      }),
      ip,
      { ...params(), productId: String(shop.milkTea.id) },
    );
    const cookie = cookieHeader(session.cookie, cartCookieFrom(added));
    const page = await call(checkoutLoader, getRequest(checkoutPath(), cookie), ip, params());
    expect(page.status).toBe(200);
    const { form } = (await page.json()) as {
      form: { linesJson: string; quote: { final_amount: string } };
    };
    const submit = (idempotencyKey: string, from = ip) =>
      call(
        checkoutAction,
        formRequest(
          checkoutPath(),
          {
            csrf: session.csrf,
            store_id: String(shop.store.id),
            lines: form.linesJson,
            order_type: 'PICKUP',
            expected_final_amount: form.quote.final_amount,
            idempotency_key: idempotencyKey,
          },
          { cookie },
        ),
        from,
        params(),
      );
    return { member: session.member, submit };
  }

  async function ordersOf(memberId: number) {
    const row = await testDb.db
      .selectFrom('order')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function idempotencyRecords(key: string) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from idempotency_record where idempotency_key = ${key}
    `.execute(testDb.db);
    return rows[0]!.n;
  }

  async function expectRateLimited(response: Response) {
    expect(response.status).toBe(429);
    const body = (await response.json()) as {
      error: { code: string; message_key: string; details: { retry_after_s: number } };
    };
    expect(body.error).toMatchObject({
      code: 'RATE_LIMITED',
      message_key: 'checkout.error.RATE_LIMITED',
    });
    expect(body.error.details.retry_after_s).toBeGreaterThanOrEqual(1);
    expect(body.error.details.retry_after_s).toBeLessThanOrEqual(60);
    expect(response.headers.get('Retry-After')).toBe(String(body.error.details.retry_after_s));
  }

  it('refuses a member past their limit with 429 and writes no order and no idempotency record', async () => {
    await atWindowStart(testDb.db, RATE_LIMIT_WINDOWS.checkout_member, 10);
    const ip = uniqueIp();
    const { member, submit } = await readyToPay(ip);

    expect((await submit(crypto.randomUUID())).status).toBe(302);
    expect((await submit(crypto.randomUUID())).status).toBe(302);
    expect(await ordersOf(member.id)).toBe(CHECKOUT_PER_MEMBER);

    const third = crypto.randomUUID();
    await expectRateLimited(await submit(third));
    // from another address too: the member's own limit
    const fourth = crypto.randomUUID();
    await expectRateLimited(await submit(fourth, uniqueIp()));
    expect(await ordersOf(member.id)).toBe(CHECKOUT_PER_MEMBER);
    expect(await idempotencyRecords(third)).toBe(0);
    expect(await idempotencyRecords(fourth)).toBe(0);

    // another member at the same address still checks out
    const other = await readyToPay(ip);
    expect((await other.submit(crypto.randomUUID())).status).toBe(302);
    expect(await ordersOf(other.member.id)).toBe(1);
  });

  it('refuses an address past its limit, whichever member posts', async () => {
    await atWindowStart(testDb.db, RATE_LIMIT_WINDOWS.checkout_ip, 10);
    const ip = uniqueIp();
    const [a, b, c] = [await readyToPay(ip), await readyToPay(ip), await readyToPay(ip)];
    for (const customer of [a, b]) {
      expect((await customer.submit(crypto.randomUUID())).status).toBe(302);
      expect((await customer.submit(crypto.randomUUID())).status).toBe(302);
    }
    const key = crypto.randomUUID();
    await expectRateLimited(await c.submit(key));
    expect(await ordersOf(c.member.id)).toBe(0);
    expect(await idempotencyRecords(key)).toBe(0);
    // the same member from another address is within both limits
    expect((await c.submit(crypto.randomUUID(), uniqueIp())).status).toBe(302);
    expect(await ordersOf(c.member.id)).toBe(1);
  });
});
