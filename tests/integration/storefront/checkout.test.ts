import type { ActionFunctionArgs } from '@remix-run/node';
import { type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  action as checkoutAction,
  loader as checkoutLoader,
  shouldRevalidate,
} from '../../../app/routes/_shop.checkout.$storeCode';
import { action as productAction } from '../../../app/routes/_shop.menu.$storeCode.p.$productId';
import { createCouponInstance } from '../../factories/coupons';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  cartCookieFrom,
  cookieHeader,
  createShop,
  formRequest,
  getRequest,
  memberSession,
  run,
  type Shop,
} from './helpers';

let testDb: TestDatabase;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb);
});

afterAll(async () => {
  await testDb.destroy();
});

const params = () => ({ storeCode: shop.store.code });
const checkoutPath = () => `/checkout/${shop.store.code}`;

/** A cart with two milk teas (normal sugar): 700.00 ₽. */
async function cartCookie(): Promise<string> {
  const response = await run(
    testDb,
    productAction,
    formRequest(`/menu/${shop.store.code}/p/${shop.milkTea.id}`, {
      intent: 'add',
      quantity: '2',
      [`option.${shop.sugar.id}`]: String(shop.normal.id),
    }),
    { ...params(), productId: String(shop.milkTea.id) },
  );
  return cartCookieFrom(response);
}

interface CheckoutPage {
  form: {
    linesJson: string;
    idempotencyKey: string;
    quote: { final_amount: string; problems: unknown[] };
    coupons: { id: number }[];
    initial: { orderType: string };
  };
}

async function page(cookie: string): Promise<CheckoutPage> {
  const response = await run(testDb, checkoutLoader, getRequest(checkoutPath(), cookie), params());
  expect(response.status).toBe(200);
  return (await response.json()) as CheckoutPage;
}

function submit(cookie: string, fields: Record<string, string>) {
  return run(testDb, checkoutAction, formRequest(checkoutPath(), fields, { cookie }), params());
}

async function ordersOf(memberId: number) {
  return testDb.db
    .selectFrom('order')
    .select([
      'id',
      'status',
      'payment_status',
      'payment_method',
      'final_amount',
      'coupon_instance_id',
      'points_used',
      'public_token',
    ])
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute();
}

describe('checkout without a member session', () => {
  it('sends the page and the form post to sign-in, coming back to checkout', async () => {
    const cookie = await cartCookie();
    for (const response of [
      await run(testDb, checkoutLoader, getRequest(checkoutPath(), cookie), params()),
      await submit(cookie, { order_type: 'PICKUP' }),
    ]) {
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('Location')!, 'http://x');
      expect(location.pathname).toBe('/signin');
      expect(location.searchParams.get('redirectTo')).toBe(checkoutPath());
    }
  });
});

describe('checkout with a member session', () => {
  it('renders the quote, the member coupons and a fresh UUID v4 idempotency key per render', async () => {
    const { member, cookie } = await memberSession(testDb);
    const coupon = await createCouponInstance(testDb.db, { member_id: member.id });
    const session = cookieHeader(cookie, await cartCookie());
    const first = await page(session);
    const second = await page(session);
    expect(first.form.quote).toMatchObject({ final_amount: '700.00', problems: [] });
    expect(first.form.initial.orderType).toBe('PICKUP');
    expect(first.form.coupons.map((c) => c.id)).toEqual([coupon.id]);
    expect(first.form.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.form.idempotencyKey).not.toBe(first.form.idempotencyKey);
  });

  it('sends an empty cart back to the cart page', async () => {
    const { cookie } = await memberSession(testDb);
    const response = await run(
      testDb,
      checkoutLoader,
      getRequest(checkoutPath(), cookie),
      params(),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`/cart/${shop.store.code}`);
  });

  it('places the order, clears the store cart and goes on to payment', async () => {
    const { member, cookie, csrf } = await memberSession(testDb);
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const response = await submit(session, {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      expected_final_amount: form.quote.final_amount,
      idempotency_key: form.idempotencyKey,
      customer_name: 'Анна',
    });
    expect(response.status).toBe(302);
    const [order] = await ordersOf(member.id);
    expect(order).toMatchObject({
      status: 'PENDING',
      payment_status: 'PENDING',
      final_amount: '700.00',
    });
    expect(response.headers.get('Location')).toBe(`/o/${order!.public_token}/pay`);
    expect(response.headers.getSetCookie().some((h) => /^ctea_cart=;.*Max-Age=0/.test(h))).toBe(
      true,
    );

    // the same submission again (a double click, a retried request) is the same order
    const replay = await submit(session, {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      expected_final_amount: form.quote.final_amount,
      idempotency_key: form.idempotencyKey,
      customer_name: 'Анна',
    });
    expect(replay.headers.get('Location')).toBe(`/o/${order!.public_token}/pay`);
    expect(await ordersOf(member.id)).toHaveLength(1);
  });

  it('shows a refusal on the page without writing anything', async () => {
    const { member, cookie, csrf } = await memberSession(testDb);
    const coupon = await createCouponInstance(testDb.db, { member_id: member.id });
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const base = {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      idempotency_key: form.idempotencyKey,
    };

    const mismatch = await submit(session, { ...base, expected_final_amount: '1.00' });
    expect(mismatch.status).toBe(409);
    expect(((await mismatch.json()) as { error: { code: string } }).error.code).toBe(
      'PRICE_MISMATCH',
    );

    const both = await submit(session, {
      ...base,
      expected_final_amount: '630.00',
      coupon_instance_id: String(coupon.id),
      use_points: 'on',
    });
    expect(both.status).toBe(400);
    expect(((await both.json()) as { error: { code: string } }).error.code).toBe(
      'POINTS_COUPON_CONFLICT',
    );

    const noKey = await submit(session, {
      ...base,
      idempotency_key: '',
      expected_final_amount: '700.00',
    });
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe(
      'IDEMPOTENCY_KEY_REQUIRED',
    );

    const garbage = await submit(session, {
      ...base,
      lines: 'not json',
      expected_final_amount: 'lots',
    });
    expect(garbage.status).toBe(400);

    expect(await ordersOf(member.id)).toEqual([]);
  });

  it('applies the chosen coupon', async () => {
    const { member, cookie, csrf } = await memberSession(testDb);
    const coupon = await createCouponInstance(testDb.db, { member_id: member.id });
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const response = await submit(session, {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      coupon_instance_id: String(coupon.id),
      expected_final_amount: '630.00',
      idempotency_key: form.idempotencyKey,
    });
    expect(response.status).toBe(302);
    const [order] = await ordersOf(member.id);
    expect(order).toMatchObject({ coupon_instance_id: coupon.id, final_amount: '630.00' });
  });

  it('pays in full with points without the payment page', async () => {
    const { member, cookie, csrf } = await memberSession(testDb, { available_points_balance: 0 });
    await testDb.db.transaction().execute(async (trx) => {
      const { applyPointsChange } =
        await import('../../../app/features/points/points-ledger.server');
      await applyPointsChange(trx, {
        memberId: member.id,
        delta: 80_000,
        reason: 'SIGNUP_BONUS',
        idempotencyKey: `signup_bonus:${member.phone}`,
      });
    });
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const response = await submit(session, {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      use_points: 'on',
      expected_final_amount: '0.00',
      idempotency_key: form.idempotencyKey,
    });
    expect(response.status).toBe(302);
    const [order] = await ordersOf(member.id);
    expect(order).toMatchObject({
      payment_method: 'POINTS',
      payment_status: 'NOT_REQUIRED',
      points_used: 70_000,
      final_amount: '0.00',
    });
    expect(response.headers.get('Location')).toBe(`/o/${order!.public_token}`);
  });

  it('refuses a post without the session CSRF token', async () => {
    const { member, cookie } = await memberSession(testDb);
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const response = await submit(session, {
      csrf: 'forged',
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      expected_final_amount: form.quote.final_amount,
      idempotency_key: form.idempotencyKey,
    });
    expect(response.status).toBe(403);
    expect(await ordersOf(member.id)).toEqual([]);
  });

  it('answers a database outage during placeOrder with a 503 on the same page, and the same key places the order once', async () => {
    const { member, cookie, csrf } = await memberSession(testDb);
    const session = cookieHeader(cookie, await cartCookie());
    const { form } = await page(session);
    const fields = {
      csrf,
      store_id: String(shop.store.id),
      lines: form.linesJson,
      order_type: 'PICKUP',
      expected_final_amount: form.quote.final_amount,
      idempotency_key: form.idempotencyKey,
    };
    // the backend dies when the order row is written (after the idempotency claim committed)
    const killOrderInsert: KyselyPlugin = {
      transformQuery({ node }): RootOperationNode {
        if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'order') {
          throw Object.assign(new Error('terminating connection due to administrator command'), {
            code: '57P01',
          });
        }
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const failing = await checkoutAction({
      request: formRequest(checkoutPath(), fields, { cookie: session }),
      params: params(),
      context: {
        requestId: 'outage',
        db: testDb.db.withPlugin(killOrderInsert),
        clientIp: '127.0.0.1',
        dataRequest: true, // a client-side submission (?_data=)
      },
    } as unknown as ActionFunctionArgs);
    expect(failing.status).toBe(503);
    expect(failing.headers.get('Retry-After')).toBe('5');
    const body = (await failing.json()) as { error: { code: string; message_key: string } };
    expect(body.error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message_key: 'faults.unavailable.body',
    });
    expect(await ordersOf(member.id)).toHaveLength(0);
    // the page is not revalidated, so it keeps the key it rendered
    expect(
      shouldRevalidate({
        actionResult: body,
        defaultShouldRevalidate: true,
        formAction: checkoutPath(),
      } as unknown as Parameters<typeof shouldRevalidate>[0]),
    ).toBe(false);

    // "Pay" again once the database is back: the claim was released, the order is placed once
    const retried = await submit(session, fields);
    expect(retried.status).toBe(302);
    expect(await submit(session, fields)).toHaveProperty('status', 302);
    expect(await ordersOf(member.id)).toHaveLength(1);
  });
});
