import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action as orderAction, loader as orderLoader } from '../../../app/routes/_shop.o.$token';
import { createOrder, createOrderItem, createPaymentTransaction } from '../../factories/orders';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  cookiesFrom,
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

interface OrderPage {
  order: {
    orderNumber: string;
    status: string;
    paymentStatus: string;
    store: { name: string };
    lines: { name: string; quantity: number; options: { name: string }[] }[];
    finalKopecks: number;
  };
  canCancel: boolean;
  canPay: boolean;
  csrfToken: string | null;
}

async function deliveryOrder(memberId: number) {
  const order = await createOrder(testDb.db, {
    store_id: shop.store.id,
    member_id: memberId,
    order_type: 'DELIVERY',
    customer_phone: '+79001234567',
    customer_name: 'Анна Секретова',
    delivery_address: 'Москва, ул. Тайная, 7, кв. 13',
  });
  const item = await createOrderItem(testDb.db, order.id, {
    product_id: shop.milkTea.id,
    product_name_ru: 'Молочный улун',
    quantity: 1,
  });
  await testDb.db
    .insertInto('order_item_option')
    .values({
      order_item_id: item.id,
      option_item_id: shop.normal.id,
      group_code: shop.sugar.code,
      group_name_ru: 'Сахар',
      item_code: shop.normal.code,
      item_name_ru: 'Обычный',
      price_delta: '0.00',
    })
    .execute();
  await createPaymentTransaction(testDb.db, order);
  return order;
}

async function view(token: string, cookie?: string) {
  return run(testDb, orderLoader, getRequest(`/o/${token}`, cookie), { token });
}

describe('order page', () => {
  it('answers 404 for an unknown or malformed token', async () => {
    for (const token of ['00000000-0000-4000-8000-000000000000', 'not-a-token', '1', '']) {
      expect((await view(token)).status, token).toBe(404);
    }
  });

  it('shows number, store, lines and status to anyone with the token, never phone or address', async () => {
    const { member } = await memberSession(testDb);
    const order = await deliveryOrder(member.id);
    const response = await view(order.public_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const text = await response.text();
    const data = JSON.parse(text) as OrderPage;
    expect(data.order).toMatchObject({
      orderNumber: order.order_number,
      status: 'PENDING',
      paymentStatus: 'PENDING',
      store: { name: shop.store.name_ru },
      lines: [{ name: 'Молочный улун', quantity: 1, options: [{ name: 'Обычный' }] }],
      finalKopecks: 35000,
    });
    expect(data.order.orderNumber).toMatch(/^P\d{12}$/);
    for (const secret of ['+79001234567', '9001234567', 'Секретова', 'Тайная', member.phone]) {
      expect(text).not.toContain(secret);
    }
    // a visitor may look, not act
    expect(data).toMatchObject({ canCancel: false, canPay: false, csrfToken: null });
  });

  it('lets the owner pay or cancel a pending order without a hold', async () => {
    const { member, cookie, csrf } = await memberSession(testDb);
    const order = await deliveryOrder(member.id);
    const data = (await (await view(order.public_token, cookie)).json()) as OrderPage;
    expect(data).toMatchObject({ canCancel: true, canPay: true, csrfToken: csrf });

    const other = await memberSession(testDb);
    const refused = await run(
      testDb,
      orderAction,
      formRequest(
        `/o/${order.public_token}`,
        { intent: 'cancel', csrf: other.csrf },
        { cookie: other.cookie },
      ),
      { token: order.public_token },
    );
    expect(refused.status).toBe(404);

    const forged = await run(
      testDb,
      orderAction,
      formRequest(`/o/${order.public_token}`, { intent: 'cancel', csrf: 'nope' }, { cookie }),
      { token: order.public_token },
    );
    expect(forged.status).toBe(403);

    const cancelled = await run(
      testDb,
      orderAction,
      formRequest(`/o/${order.public_token}`, { intent: 'cancel', csrf }, { cookie }),
      { token: order.public_token },
    );
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get('Location')).toBe(`/o/${order.public_token}`);
    expect(cookiesFrom(cancelled).some((c) => c.startsWith('ctea_flash='))).toBe(true);
    const row = await testDb.db
      .selectFrom('order')
      .select(['status', 'payment_status'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'CANCELLED', payment_status: 'CANCELED' });

    const after = (await (await view(order.public_token, cookie)).json()) as OrderPage;
    expect(after).toMatchObject({
      order: { status: 'CANCELLED' },
      canCancel: false,
      canPay: false,
    });

    // a second cancel is refused on the page, not a 500
    const again = await run(
      testDb,
      orderAction,
      formRequest(`/o/${order.public_token}`, { intent: 'cancel', csrf }, { cookie }),
      { token: order.public_token },
    );
    expect(again.status).toBe(409);
  });

  it('offers no cancel once the funds are held', async () => {
    const { member, cookie } = await memberSession(testDb);
    const order = await deliveryOrder(member.id);
    await testDb.db
      .updateTable('order')
      .set({ payment_status: 'WAITING_FOR_CAPTURE' })
      .where('id', '=', order.id)
      .execute();
    const data = (await (await view(order.public_token, cookie)).json()) as OrderPage;
    expect(data).toMatchObject({ canCancel: false, canPay: false });
  });

  it('sends an anonymous cancel to sign-in', async () => {
    const { member } = await memberSession(testDb);
    const order = await deliveryOrder(member.id);
    const response = await run(
      testDb,
      orderAction,
      formRequest(`/o/${order.public_token}`, { intent: 'cancel' }),
      { token: order.public_token },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(/^\/signin\?redirectTo=/);
  });
});
