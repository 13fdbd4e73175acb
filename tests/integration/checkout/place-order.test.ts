import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '~/features/checkout/place-order.service.server';
import { quoteCheckout } from '~/features/checkout/pricing.server';
import type { CheckoutBody } from '~/features/checkout/checkout.schema';
import { createMember, createStoreProduct, createProduct } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  checkout,
  createShop,
  errorCode,
  memberWithCoupon,
  pickupBody,
  type Shop,
} from '../../support/checkout';

let testDb: TestDatabase;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb.db);
});
afterAll(async () => {
  await testDb?.destroy();
});

const countRows = async (
  table: 'order' | 'idempotency_record' | 'order_item' | 'payment_transaction',
) =>
  Number(
    (
      await testDb.db
        .selectFrom(table)
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('placeOrder, pickup paid online', () => {
  it('writes the order, lines, option snapshots, payment intent, audit and idempotency record', async () => {
    const member = await createMember(testDb.db);
    const body = pickupBody(shop, [
      { product: 'cheap', quantity: 2, pearls: true },
      { product: 'dear' },
    ]);
    const result = await checkout(testDb.db, member.id, body);
    expect(result.status).toBe(201);
    if (!('order' in result.body)) throw new Error('expected an order');
    const placed = result.body.order;
    expect(placed.order_number).toMatch(/^P\d{12}$/);
    expect(placed.final_amount).toBe('850.00'); // (150 + 50) × 2 + 450
    expect(placed.payment_required).toBe(true);
    expect(placed.next_url).toBe(`/o/${placed.public_token}/pay`);

    const order = await testDb.db
      .selectFrom('order')
      .selectAll()
      .where('id', '=', placed.id)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      status: 'PENDING',
      payment_status: 'PENDING',
      payment_method: 'ONLINE',
      subtotal_amount: '850.00',
      total_amount: '850.00',
      final_amount: '850.00',
      customer_phone: member.phone,
      points_earned: 850,
    });
    const items = await testDb.db
      .selectFrom('order_item')
      .selectAll()
      .where('order_id', '=', placed.id)
      .orderBy('line_no')
      .execute();
    expect(
      items.map((i) => [i.line_no, i.unit_price, i.options_price, i.quantity, i.line_total]),
    ).toEqual([
      [1, '150.00', '50.00', 2, '400.00'],
      [2, '450.00', '0.00', 1, '450.00'],
    ]);
    const options = await testDb.db
      .selectFrom('order_item_option')
      .select(['option_item_id', 'item_code', 'price_delta'])
      .where('order_item_id', '=', items[0]!.id)
      .orderBy('option_item_id')
      .execute();
    expect(options.map((o) => o.item_code).sort()).toEqual(['HALF', 'PEARLS']);
    const payment = await testDb.db
      .selectFrom('payment_transaction')
      .selectAll()
      .where('order_id', '=', placed.id)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({
      kind: 'PAYMENT',
      attempt_no: 1,
      status: 'PENDING',
      amount: '850.00',
      idempotence_key: `ctea-${placed.id}-create-1`,
    });
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'order')
      .where('entity_id', '=', String(placed.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['order.create']);
  });

  it('numbers orders per prefix and store-local date without gaps', async () => {
    const member = await createMember(testDb.db);
    const a = await checkout(testDb.db, member.id, pickupBody(shop, [{ product: 'dear' }]));
    const b = await checkout(testDb.db, member.id, pickupBody(shop, [{ product: 'dear' }]));
    if (!('order' in a.body) || !('order' in b.body)) throw new Error('expected orders');
    expect(Number(b.body.order.order_number.slice(9))).toBe(
      Number(a.body.order.order_number.slice(9)) + 1,
    );
  });

  it('keeps later menu edits out of existing orders (PR-11)', async () => {
    const member = await createMember(testDb.db);
    const result = await checkout(testDb.db, member.id, pickupBody(shop, [{ product: 'dear' }]));
    if (!('order' in result.body)) throw new Error('expected an order');
    await testDb.db
      .updateTable('product')
      .set({ name_ru: 'Переименован' })
      .where('id', '=', shop.dear.id)
      .execute();
    const item = await testDb.db
      .selectFrom('order_item')
      .select('product_name_ru')
      .where('order_id', '=', result.body.order.id)
      .executeTakeFirstOrThrow();
    expect(item.product_name_ru).toBe(shop.dear.name_ru);
    await testDb.db
      .updateTable('product')
      .set({ name_ru: shop.dear.name_ru })
      .where('id', '=', shop.dear.id)
      .execute();
  });
});

describe('refusals write nothing', () => {
  const refusals: [
    string,
    () => Promise<{ body: Record<string, unknown>; expected?: string }>,
    string,
  ][] = [
    [
      'wrong expected amount',
      async () => ({ body: pickupBody(shop, [{ product: 'dear' }]), expected: '1.00' }),
      'PRICE_MISMATCH',
    ],
    ['empty cart', async () => ({ body: pickupBody(shop, []), expected: '0.00' }), 'CART_EMPTY'],
    [
      'quantity 0',
      async () => ({
        body: pickupBody(shop, [{ product: 'dear', quantity: 0 }]),
        expected: '0.00',
      }),
      'QUANTITY_INVALID',
    ],
    [
      'quantity 100',
      async () => ({
        body: pickupBody(shop, [{ product: 'dear', quantity: 100 }]),
        expected: '0.00',
      }),
      'QUANTITY_INVALID',
    ],
    [
      'missing required sugar',
      async () => ({
        body: {
          ...pickupBody(shop, []),
          lines: [{ product_id: shop.cheap.id, quantity: 1, option_item_ids: [] }],
        },
        expected: '150.00',
      }),
      'OPTION_REQUIRED',
    ],
    [
      'two sugar choices',
      async () => ({
        body: {
          ...pickupBody(shop, []),
          lines: [
            {
              product_id: shop.cheap.id,
              quantity: 1,
              option_item_ids: [shop.sugarHalf.id, shop.sugarFull.id],
            },
          ],
        },
        expected: '150.00',
      }),
      'OPTION_INVALID',
    ],
    [
      'an option of a group the product does not have',
      async () => ({
        body: {
          ...pickupBody(shop, []),
          lines: [{ product_id: shop.dear.id, quantity: 1, option_item_ids: [shop.pearls.id] }],
        },
        expected: '500.00',
      }),
      'OPTION_INVALID',
    ],
    [
      'the same topping twice',
      async () => ({
        body: {
          ...pickupBody(shop, []),
          lines: [
            {
              product_id: shop.cheap.id,
              quantity: 1,
              option_item_ids: [shop.sugarHalf.id, shop.pearls.id, shop.pearls.id],
            },
          ],
        },
        expected: '250.00',
      }),
      'OPTION_INVALID',
    ],
    [
      'a product not listed in the store',
      async () => {
        const other = await createProduct(testDb.db);
        return {
          body: {
            ...pickupBody(shop, []),
            lines: [{ product_id: other.id, quantity: 1, option_item_ids: [] }],
          },
          expected: '350.00',
        };
      },
      'PRODUCT_UNAVAILABLE',
    ],
    [
      'a sold-out product',
      async () => {
        const p = await createProduct(testDb.db);
        await createStoreProduct(testDb.db, shop.store.id, p.id, { stock_status: 'OUT_OF_STOCK' });
        return {
          body: {
            ...pickupBody(shop, []),
            lines: [{ product_id: p.id, quantity: 1, option_item_ids: [] }],
          },
          expected: '350.00',
        };
      },
      'PRODUCT_UNAVAILABLE',
    ],
    [
      'delivery outside every zone',
      async () => ({
        body: pickupBody(shop, [{ product: 'dear' }], {
          order_type: 'DELIVERY',
          delivery: { address_line: 'Санкт-Петербург', latitude: 59.9, longitude: 30.3 },
        }),
        expected: '600.00',
      }),
      'DELIVERY_NOT_AVAILABLE',
    ],
    [
      'delivery below the zone minimum',
      async () => ({
        body: pickupBody(shop, [{ product: 'cheap' }], {
          order_type: 'DELIVERY',
          delivery: { address_line: 'Москва, Тверская, 1', latitude: 55.75, longitude: 37.6 },
        }),
        expected: '300.00',
      }),
      'BELOW_DELIVERY_MINIMUM',
    ],
    [
      'insufficient points',
      async () => ({
        body: pickupBody(shop, [{ product: 'dear' }], { use_points: true }),
        expected: '0.00',
      }),
      'INSUFFICIENT_POINTS',
    ],
  ];

  it.each(refusals)('%s', async (_name, make, code) => {
    const member = await createMember(testDb.db, { available_points_balance: 100 });
    const before = await Promise.all([
      countRows('order'),
      countRows('idempotency_record'),
      countRows('payment_transaction'),
    ]);
    const { body, expected } = await make();
    const result = await placeOrder(testDb.db, {
      memberId: member.id,
      body: { ...body, expected_final_amount: expected },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(errorCode(result)).toBe(code);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    const after = await Promise.all([
      countRows('order'),
      countRows('idempotency_record'),
      countRows('payment_transaction'),
    ]);
    expect(after).toEqual(before);
  });

  it('PRICE_MISMATCH carries the fresh quote', async () => {
    const member = await createMember(testDb.db);
    const result = await placeOrder(testDb.db, {
      memberId: member.id,
      body: { ...pickupBody(shop, [{ product: 'dear' }]), expected_final_amount: '400.00' },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({
      error: { code: 'PRICE_MISMATCH', details: { quote: { final_amount: '450.00' } } },
    });
  });

  it('INSUFFICIENT_POINTS names the required and available points', async () => {
    const member = await createMember(testDb.db, { available_points_balance: 20_000 });
    const result = await placeOrder(testDb.db, {
      memberId: member.id,
      body: {
        ...pickupBody(shop, [{ product: 'dear' }], { use_points: true }),
        expected_final_amount: '0.00',
      },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(result.body).toMatchObject({
      error: {
        code: 'INSUFFICIENT_POINTS',
        details: { required_points: 45_000, available_points: 20_000, payable_amount: '450.00' },
      },
    });
  });

  it('a closed store refuses with STORE_CLOSED', async () => {
    const member = await createMember(testDb.db);
    await testDb.db
      .updateTable('store')
      .set({ opening_hours: '{}' })
      .where('id', '=', shop.store.id)
      .execute();
    try {
      const result = await checkout(
        testDb.db,
        member.id,
        pickupBody(shop, [{ product: 'dear' }]),
        crypto.randomUUID(),
      );
      expect(errorCode(result)).toBe('STORE_CLOSED');
    } finally {
      await testDb.db
        .updateTable('store')
        .set({ opening_hours: shop.store.opening_hours as string })
        .where('id', '=', shop.store.id)
        .execute();
    }
  });

  it('bad shapes are 400 VALIDATION_FAILED, a missing key 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const member = await createMember(testDb.db);
    for (const body of [
      null,
      'x',
      { store_id: 'abc' },
      { ...pickupBody(shop, []), lines: 'all' },
    ]) {
      const r = await placeOrder(testDb.db, {
        memberId: member.id,
        body,
        idempotencyKey: crypto.randomUUID(),
      });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('VALIDATION_FAILED');
    }
    const r = await placeOrder(testDb.db, {
      memberId: member.id,
      body: { ...pickupBody(shop, [{ product: 'dear' }]), expected_final_amount: '450.00' },
      idempotencyKey: null,
    });
    expect(errorCode(r)).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});

describe('delivery', () => {
  it('charges the zone fee and snapshots the address', async () => {
    const member = await createMember(testDb.db);
    const body = pickupBody(shop, [{ product: 'dear' }], {
      order_type: 'DELIVERY',
      delivery: {
        address_line: 'Москва, Тверская, 1',
        apartment: '12',
        latitude: 55.75,
        longitude: 37.6,
      },
    });
    const result = await checkout(testDb.db, member.id, body);
    if (!('order' in result.body)) throw new Error(JSON.stringify(result.body));
    const order = await testDb.db
      .selectFrom('order')
      .selectAll()
      .where('id', '=', result.body.order.id)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      order_type: 'DELIVERY',
      delivery_fee: '150.00',
      total_amount: '600.00',
      delivery_zone_id: shop.zone.id,
      delivery_address: 'Москва, Тверская, 1, 12',
      delivery_eta_minutes: shop.zone.eta_minutes,
    });
  });
});

describe('coupon XOR points', () => {
  it('a 10 % coupon: discount on the lines, instance USED, usage counted, audit USED', async () => {
    const { member, template, instance } = await memberWithCoupon(testDb.db);
    const body = pickupBody(shop, [{ product: 'dear' }], { coupon_instance_id: instance.id });
    const result = await checkout(testDb.db, member.id, body);
    if (!('order' in result.body)) throw new Error(JSON.stringify(result.body));
    expect(result.body.order.final_amount).toBe('405.00');
    const order = await testDb.db
      .selectFrom('order')
      .select(['coupon_discount', 'discount_amount', 'coupon_instance_id', 'points_used'])
      .where('id', '=', result.body.order.id)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      coupon_discount: '45.00',
      discount_amount: '45.00',
      coupon_instance_id: instance.id,
      points_used: 0,
    });
    const after = await testDb.db
      .selectFrom('coupon_instance')
      .select(['status', 'used_order_id'])
      .where('id', '=', instance.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'USED', used_order_id: result.body.order.id });
    const t = await testDb.db
      .selectFrom('coupon_template')
      .select('current_usage_count')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(t.current_usage_count).toBe(1);
    const audit = await testDb.db
      .selectFrom('coupon_audit_log')
      .select(['action', 'order_id'])
      .where('coupon_instance_id', '=', instance.id)
      .execute();
    expect(audit).toEqual([{ action: 'USED', order_id: result.body.order.id }]);

    // C2: the used coupon cannot be used again
    const again = await checkout(testDb.db, member.id, body);
    expect(errorCode(again)).toBe('COUPON_UNAVAILABLE');
  });

  it('C8: a coupon with use_points is 400 POINTS_COUPON_CONFLICT before anything is written', async () => {
    const { member, instance } = await memberWithCoupon(testDb.db);
    await testDb.db
      .updateTable('member')
      .set({ available_points_balance: 100_000 })
      .where('id', '=', member.id)
      .execute();
    const before = await Promise.all([countRows('order'), countRows('idempotency_record')]);
    const result = await placeOrder(testDb.db, {
      memberId: member.id,
      body: {
        ...pickupBody(shop, [{ product: 'dear' }], {
          coupon_instance_id: instance.id,
          use_points: true,
        }),
        expected_final_amount: '0.00',
      },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe('POINTS_COUPON_CONFLICT');
    expect(await Promise.all([countRows('order'), countRows('idempotency_record')])).toEqual(
      before,
    );
  });

  it('someone else’s coupon is COUPON_NOT_FOUND', async () => {
    const { instance } = await memberWithCoupon(testDb.db);
    const stranger = await createMember(testDb.db);
    const result = await checkout(
      testDb.db,
      stranger.id,
      pickupBody(shop, [{ product: 'dear' }], {
        coupon_instance_id: instance.id,
        expected_final_amount: '405.00',
      }),
    );
    expect(result.status).toBe(404);
    expect(errorCode(result)).toBe('COUPON_NOT_FOUND');
  });

  it('points pay the whole total: final 0, NOT_REQUIRED, ledger row, ORDER_PUSH queued', async () => {
    const member = await createMember(testDb.db, { available_points_balance: 20_000 });
    await testDb.db
      .insertInto('member_points_history')
      .values({
        member_id: member.id,
        delta: 20_000,
        balance_after: 20_000,
        reason: 'SIGNUP_BONUS',
      })
      .execute();
    const body = pickupBody(shop, [{ product: 'cheap' }], { use_points: true });
    const quote = await quoteCheckout(testDb.db, {
      memberId: member.id,
      body: body as CheckoutBody,
      lang: 'ru',
    });
    expect(quote.points).toEqual({
      availablePoints: 20_000,
      requiredPoints: 15_000,
      usedPoints: 15_000,
    });
    expect(quote.finalKopecks).toBe(0);
    const result = await checkout(testDb.db, member.id, body);
    if (!('order' in result.body)) throw new Error(JSON.stringify(result.body));
    expect(result.body.order).toMatchObject({ final_amount: '0.00', payment_required: false });
    const order = await testDb.db
      .selectFrom('order')
      .select([
        'payment_method',
        'payment_status',
        'points_used',
        'points_discount',
        'points_earned',
      ])
      .where('id', '=', result.body.order.id)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      payment_method: 'POINTS',
      payment_status: 'NOT_REQUIRED',
      points_used: 15_000,
      points_discount: '150.00',
      points_earned: 0,
    });
    const ledger = await testDb.db
      .selectFrom('member_points_history')
      .select(['delta', 'balance_after', 'idempotency_key'])
      .where('order_id', '=', result.body.order.id)
      .execute();
    expect(ledger).toEqual([
      {
        delta: -15_000,
        balance_after: 5_000,
        idempotency_key: `order_redeem:${result.body.order.id}`,
      },
    ]);
    const job = await testDb.db
      .selectFrom('iiko_sync_job')
      .select(['job_type', 'status'])
      .where('resource_id', '=', `order:${result.body.order.id}`)
      .execute();
    expect(job).toEqual([{ job_type: 'ORDER_PUSH', status: 'PENDING' }]);
    expect(await countRows('payment_transaction')).toBeGreaterThanOrEqual(0);
    const payments = await testDb.db
      .selectFrom('payment_transaction')
      .select('id')
      .where('order_id', '=', result.body.order.id)
      .execute();
    expect(payments).toEqual([]);
  });
});

describe('idempotency (CK-5)', () => {
  it('replays the same key and body byte for byte, refuses a changed body with 422', async () => {
    const member = await createMember(testDb.db);
    const key = crypto.randomUUID();
    const body = { ...pickupBody(shop, [{ product: 'dear' }]), expected_final_amount: '450.00' };
    const first = await placeOrder(testDb.db, { memberId: member.id, body, idempotencyKey: key });
    const second = await placeOrder(testDb.db, { memberId: member.id, body, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, replayed: true });
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
    const changed = await placeOrder(testDb.db, {
      memberId: member.id,
      body: {
        ...pickupBody(shop, [{ product: 'dear', quantity: 2 }]),
        expected_final_amount: '900.00',
      },
      idempotencyKey: key,
    });
    expect(changed.status).toBe(422);
    expect(errorCode(changed)).toBe('IDEMPOTENCY_KEY_REUSED');
    const orders = await testDb.db
      .selectFrom('order')
      .select('id')
      .where('member_id', '=', member.id)
      .execute();
    expect(orders).toHaveLength(1);
  });

  it('a refused request leaves no record, so the same key can succeed afterwards', async () => {
    const member = await createMember(testDb.db);
    const key = crypto.randomUUID();
    const body = pickupBody(shop, [{ product: 'dear' }]);
    const refused = await placeOrder(testDb.db, {
      memberId: member.id,
      body: { ...body, expected_final_amount: '1.00' },
      idempotencyKey: key,
    });
    expect(errorCode(refused)).toBe('PRICE_MISMATCH');
    // the client retries the same key with a corrected body: it is a new request
    const ok = await placeOrder(testDb.db, {
      memberId: member.id,
      body: { ...body, expected_final_amount: '450.00' },
      idempotencyKey: key,
    });
    expect(ok.status).toBe(201);
  });

  it('the same key of another member is a different request', async () => {
    const key = crypto.randomUUID();
    const body = { ...pickupBody(shop, [{ product: 'dear' }]), expected_final_amount: '450.00' };
    const a = await placeOrder(testDb.db, {
      memberId: (await createMember(testDb.db)).id,
      body,
      idempotencyKey: key,
    });
    const b = await placeOrder(testDb.db, {
      memberId: (await createMember(testDb.db)).id,
      body,
      idempotencyKey: key,
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.replayed).toBe(false);
  });
});
