import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewDashboard } from '../../../app/features/dashboards/overview.server';
import {
  createCouponInstance,
  createMember,
  createOrder,
  createOrderItem,
  createProduct,
  createStore,
} from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * The overview: orders placed and paid (revenue statuses CONFIRMED … COMPLETED), revenue, average
 * order value and discounts in integer kopecks, coupon redemptions, top products of paid orders,
 * the store filter, and a later status change.
 */

let testDb: TestDatabase;
// read right after writing: no refresh is skipped as recent
const FRESH = { maxStalenessMs: 0 };
let store: number;
let otherStore: number;
let tea: number;
let latte: number;
let cancelledOrder: number;
const FROM = new Date('2026-11-01T21:00:00Z');
const TO = new Date('2026-11-08T21:00:00Z');
const AT = new Date('2026-11-03T10:00:00Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
  store = (await createStore(testDb.db)).id;
  otherStore = (await createStore(testDb.db)).id;
  tea = (await createProduct(testDb.db, { base_price: '175.00', name_zh: '奶茶' })).id;
  latte = (await createProduct(testDb.db, { base_price: '200.50' })).id;

  const completed = await createOrder(testDb.db, {
    store_id: store,
    status: 'COMPLETED',
    subtotal_amount: '350.00',
    created_at: AT,
  });
  await createOrderItem(testDb.db, completed.id, { product_id: tea, quantity: 2 });
  const member = await createMember(testDb.db);
  const coupon = await createCouponInstance(testDb.db, { member_id: member.id });
  const withCoupon = await createOrder(testDb.db, {
    store_id: store,
    member_id: member.id,
    status: 'CONFIRMED',
    subtotal_amount: '200.50',
    coupon_instance_id: coupon.id,
    coupon_discount: '20.25',
    created_at: AT,
  });
  await createOrderItem(testDb.db, withCoupon.id, {
    product_id: latte,
    discount_amount: '20.25',
  });
  // paid in full with points: a paid order with no revenue, its discount counts
  await createOrder(testDb.db, {
    store_id: store,
    status: 'COMPLETED',
    subtotal_amount: '175.00',
    points_used: 17500,
    created_at: AT,
  });
  cancelledOrder = (
    await createOrder(testDb.db, {
      store_id: store,
      status: 'CANCELLED',
      subtotal_amount: '999.00',
      created_at: AT,
    })
  ).id;
  await createOrderItem(testDb.db, cancelledOrder, { product_id: latte, quantity: 5 });
  await createOrder(testDb.db, { store_id: store, status: 'PENDING', created_at: AT });
  // outside the range, and another store
  await createOrder(testDb.db, {
    store_id: store,
    status: 'COMPLETED',
    created_at: new Date('2026-11-08T21:00:00Z'),
  });
  await createOrder(testDb.db, {
    store_id: otherStore,
    status: 'COMPLETED',
    subtotal_amount: '100.00',
    created_at: AT,
  });
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('overviewDashboard', () => {
  it('sums the paid orders of the store in kopecks', async () => {
    const d = await overviewDashboard(testDb.db, { from: FROM, to: TO, storeId: store }, FRESH);
    expect(d).toMatchObject({
      placedOrders: 5,
      paidOrders: 3,
      revenue: 35000 + 18025,
      averageOrderValue: 17675,
      couponRedemptions: 1,
      couponDiscount: 2025,
      discountTotal: 2025 + 17500,
    });
    expect(d.topProducts).toEqual([
      { productId: tea, nameRu: expect.any(String), nameZh: '奶茶', quantity: 2, revenue: 35000 },
      { productId: latte, nameRu: expect.any(String), nameZh: null, quantity: 1, revenue: 18025 },
    ]);
  });

  it('covers every store without a filter, and has no average without paid orders', async () => {
    const all = await overviewDashboard(testDb.db, { from: FROM, to: TO }, FRESH);
    expect(all).toMatchObject({ placedOrders: 6, paidOrders: 4, revenue: 63025 });
    const none = await overviewDashboard(
      testDb.db,
      {
        from: new Date('2026-10-01T00:00:00Z'),
        to: new Date('2026-10-02T00:00:00Z'),
      },
      FRESH,
    );
    expect(none).toMatchObject({ paidOrders: 0, revenue: 0, averageOrderValue: null });
    expect(none.topProducts).toEqual([]);
  });

  it('follows a refund: a REFUNDED order leaves revenue and top products', async () => {
    const order = await createOrder(testDb.db, {
      store_id: otherStore,
      status: 'COMPLETED',
      subtotal_amount: '400.00',
      created_at: AT,
    });
    await createOrderItem(testDb.db, order.id, { product_id: tea, quantity: 3 });
    const before = await overviewDashboard(
      testDb.db,
      { from: FROM, to: TO, storeId: otherStore },
      FRESH,
    );
    expect(before).toMatchObject({ paidOrders: 2, revenue: 50000 });
    await sql`
      update "order" set status = 'REFUNDED', payment_status = 'REFUNDED', refunded_at = now(),
                         updated_at = now()
      where id = ${order.id}
    `.execute(testDb.db);
    const after = await overviewDashboard(
      testDb.db,
      { from: FROM, to: TO, storeId: otherStore },
      FRESH,
    );
    expect(after).toMatchObject({ placedOrders: 2, paidOrders: 1, revenue: 10000 });
    expect(after.topProducts).toEqual([]);
  });
});
