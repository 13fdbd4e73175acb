import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachOptionGroup,
  createCampaignCode,
  createCouponInstance,
  createCouponTemplate,
  createDeliveryZone,
  createIikoSyncJob,
  createInfluencer,
  createMember,
  createOptionGroup,
  createOptionItem,
  createOrder,
  createOrderItem,
  createPaymentTransaction,
  createProduct,
  createScan,
  createSession,
  createStore,
  createStoreManager,
  createUser,
} from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { expectDbError } from './helpers';

/**
 * The database refuses what must never happen (STYLE "the database enforces what must never
 * break"): each test writes a row that breaks exactly one rule and expects its SQLSTATE and
 * constraint name. 23514 check_violation, 23505 unique_violation, 23503 foreign_key_violation.
 */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

const check = (constraint: string) => ({ code: '23514', constraint });
const unique = (constraint: string) => ({ code: '23505', constraint });
const foreignKey = (constraint: string) => ({ code: '23503', constraint });

describe('orders', () => {
  it('C8: points and a coupon on one order → order_points_coupon_mutual_exclusion', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const coupon = await createCouponInstance(db, { member_id: member.id });
    await expectDbError(
      () =>
        createOrder(db, {
          member_id: member.id,
          points_used: 35_000,
          coupon_instance_id: coupon.id,
        }),
      check('order_points_coupon_mutual_exclusion'),
    );
    // each benefit alone is fine
    const byPoints = await createOrder(db, { member_id: member.id, points_used: 35_000 });
    expect(byPoints).toMatchObject({ final_amount: '0.00', payment_method: 'POINTS' });
    const byCoupon = await createOrder(db, {
      member_id: member.id,
      coupon_instance_id: coupon.id,
      coupon_discount: '35.00',
    });
    expect(byCoupon).toMatchObject({ final_amount: '315.00', payment_method: 'ONLINE' });
  });

  it('final_amount must equal total_amount − discount_amount → order_final_amount_consistency', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { final_amount: '300.00' }),
      check('order_final_amount_consistency'),
    );
  });

  it('total_amount = subtotal_amount + delivery_fee → order_total_consistency', async () => {
    await expectDbError(
      () =>
        createOrder(testDb.db, {
          total_amount: '400.00',
          final_amount: '400.00',
          discount_amount: '0.00',
        }),
      check('order_total_consistency'),
    );
  });

  it('discount_amount = points_discount + coupon_discount → order_discount_consistency', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { discount_amount: '10.00', final_amount: '340.00' }),
      check('order_discount_consistency'),
    );
  });

  it('points pay the whole total or nothing → order_points_full_deduction', async () => {
    await expectDbError(
      () =>
        createOrder(testDb.db, {
          points_used: 10_000,
          points_discount: '100.00',
          discount_amount: '100.00',
          final_amount: '250.00',
          payment_method: 'POINTS',
        }),
      check('order_points_full_deduction'),
    );
  });

  it('payment_method follows points and final_amount → order_payment_method_consistency', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { payment_method: 'NONE' }),
      check('order_payment_method_consistency'),
    );
  });

  it('a coupon discount needs a coupon → order_coupon_discount_requires_coupon', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { coupon_discount: '35.00' }),
      check('order_coupon_discount_requires_coupon'),
    );
  });

  it('points or a coupon need a member → order_benefits_require_member', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { order_prefix: 'K', member_id: null, points_used: 35_000 }),
      check('order_benefits_require_member'),
    );
  });

  it('web and Telegram orders need a member → order_member_required', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { member_id: null }),
      check('order_member_required'),
    );
    const kiosk = await createOrder(testDb.db, { order_prefix: 'K', member_id: null });
    expect(kiosk.order_number).toMatch(/^K\d{12}$/);
  });

  it('order numbers are prefix + date + sequence → order_number_format', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { order_number: 'P2026' }),
      check('order_number_format'),
    );
    await expectDbError(
      () => createOrder(testDb.db, { order_number: 'T202601060001' }),
      check('order_number_format'),
    );
  });

  it('DELIVERY needs an address and coordinates; PICKUP has no fee → order_delivery_fields', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { order_type: 'DELIVERY', delivery_latitude: null }),
      check('order_delivery_fields'),
    );
    await expectDbError(
      () => createOrder(testDb.db, { order_type: 'PICKUP', delivery_fee: '100.00' }),
      check('order_delivery_fields'),
    );
    const delivery = await createOrder(testDb.db, {
      order_type: 'DELIVERY',
      delivery_fee: '150.00',
    });
    expect(delivery).toMatchObject({ total_amount: '500.00', final_amount: '500.00' });
  });

  it('no negative amounts → order_amounts_non_negative', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { points_earned: -1 }),
      check('order_amounts_non_negative'),
    );
  });

  it('vocabularies are guarded → order_status_check', async () => {
    await expectDbError(
      () => createOrder(testDb.db, { status: 'SHIPPED' }),
      check('order_status_check'),
    );
  });

  it('defaults: public_token and iiko_order_id are distinct fresh UUIDs', async () => {
    const a = await createOrder(testDb.db);
    const b = await createOrder(testDb.db);
    expect(a.public_token).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set([a.public_token, b.public_token, a.iiko_order_id, b.iiko_order_id]).size).toBe(
      4,
    );
    expect(a).toMatchObject({ status: 'PENDING', iiko_sync_status: 'PENDING' });
  });

  it('order lines: quantity 1..99 and line_total = (unit_price + options_price) × quantity', async () => {
    const order = await createOrder(testDb.db);
    const line = await createOrderItem(testDb.db, order.id, {
      unit_price: '300.00',
      options_price: '50.00',
      quantity: 3,
    });
    expect(line).toMatchObject({ line_no: 1, line_total: '1050.00' });
    await expectDbError(
      () => createOrderItem(testDb.db, order.id, { quantity: 100 }),
      check('order_item_quantity_range'),
    );
    await expectDbError(
      () => createOrderItem(testDb.db, order.id, { quantity: 2, line_total: '350.00' }),
      check('order_item_line_total'),
    );
    await expectDbError(
      () => createOrderItem(testDb.db, order.id, { discount_amount: '400.00' }),
      check('order_item_discount_amount_check'),
    );
    await expectDbError(
      () => createOrderItem(testDb.db, order.id, { line_no: 1 }),
      unique('order_item_order_id_line_no_unique'),
    );
  });
});

describe('coupons', () => {
  it('a USED coupon without an order → coupon_instance_state_consistency', async () => {
    await expectDbError(
      () => createCouponInstance(testDb.db, { status: 'USED', used_at: new Date() }),
      check('coupon_instance_state_consistency'),
    );
    const order = await createOrder(testDb.db);
    await expectDbError(
      () => createCouponInstance(testDb.db, { used_order_id: order.id, used_at: new Date() }),
      check('coupon_instance_state_consistency'),
    );
  });

  it('one order consumes at most one coupon → idx_coupon_instance_used_order_unique', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const order = await createOrder(db, { member_id: member.id });
    const used = { status: 'USED', used_at: new Date(), used_order_id: order.id } as const;
    await createCouponInstance(db, { member_id: member.id, ...used });
    await expectDbError(
      () => createCouponInstance(db, { member_id: member.id, ...used }),
      unique('idx_coupon_instance_used_order_unique'),
    );
  });

  it('CP-11 redemption and CP-12 restore satisfy the constraints', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const coupon = await createCouponInstance(db, { member_id: member.id });
    const order = await createOrder(db, { member_id: member.id });
    const redeemed = await sql<{ id: number }>`
      UPDATE coupon_instance SET status = 'USED', used_at = now(), used_order_id = ${order.id}
      WHERE id = ${coupon.id} AND member_id = ${member.id} AND status = 'UNUSED' RETURNING id
    `.execute(db);
    expect(redeemed.rows).toHaveLength(1);
    const again = await sql`
      UPDATE coupon_instance SET status = 'USED', used_at = now(), used_order_id = ${order.id}
      WHERE id = ${coupon.id} AND member_id = ${member.id} AND status = 'UNUSED' RETURNING id
    `.execute(db);
    expect(again.rows).toHaveLength(0);
    const restored = await sql`
      UPDATE coupon_instance SET status = 'UNUSED', used_at = NULL, used_order_id = NULL
      WHERE id = ${coupon.id} AND status = 'USED' AND used_order_id = ${order.id} RETURNING id
    `.execute(db);
    expect(restored.rows).toHaveLength(1);
  });

  it('template rules: percent range, scope arrays, validity', async () => {
    const db = testDb.db;
    await expectDbError(
      () => createCouponTemplate(db, { discount_value: '150.00' }),
      check('coupon_template_percent_range'),
    );
    await expectDbError(
      () => createCouponTemplate(db, { type: 'SIMPLE_FIXED', discount_value: null }),
      check('coupon_template_discount_value_consistency'),
    );
    await expectDbError(
      () => createCouponTemplate(db, { type: 'BOGO', discount_value: null }),
      check('coupon_template_rule_json_consistency'),
    );
    // NULL arrays must not slip through (cardinality(NULL) is NULL)
    await expectDbError(
      () => createCouponTemplate(db, { scope_type: 'CATEGORIES' }),
      check('coupon_template_scope_consistency'),
    );
    await expectDbError(
      () => createCouponTemplate(db, { scope_type: 'PRODUCTS', scope_product_ids: [] }),
      check('coupon_template_scope_consistency'),
    );
    await expectDbError(
      () => createCouponTemplate(db, { scope_store_ids: [] }),
      check('coupon_template_scope_consistency'),
    );
    await expectDbError(
      () =>
        createCouponTemplate(db, {
          type: 'BUY_N_GET_M',
          discount_value: null,
          rule_json: JSON.stringify({ buy_quantity: 1, get_quantity: 1, product_ids: [1] }),
          scope_type: 'PRODUCTS',
          scope_product_ids: [1],
        }),
      check('coupon_template_item_rule_scope'),
    );
    await expectDbError(
      () => createCouponTemplate(db, { valid_until: new Date(Date.now() - 48 * 3_600_000) }),
      check('coupon_template_validity'),
    );
    const template = await createCouponTemplate(db, {
      scope_type: 'CATEGORIES',
      scope_category_ids: [1, 2],
      max_total_usage: 1,
    });
    await expectDbError(
      () =>
        db
          .updateTable('coupon_template')
          .set({ current_usage_count: 2 })
          .where('id', '=', template.id)
          .execute(),
      check('coupon_template_current_usage_count_check'),
    );
  });

  it('ADMIN audit rows need a reason → coupon_audit_log_admin_reason', async () => {
    const coupon = await createCouponInstance(testDb.db);
    await expectDbError(
      () =>
        testDb.db
          .insertInto('coupon_audit_log')
          .values({ coupon_instance_id: coupon.id, action: 'FROZEN', actor_type: 'ADMIN' })
          .execute(),
      check('coupon_audit_log_admin_reason'),
    );
  });
});

describe('points ledger', () => {
  const entry = (memberId: number, key: string | null) => ({
    member_id: memberId,
    delta: 100,
    balance_after: 100,
    reason: 'SIGNUP_BONUS',
    idempotency_key: key,
  });

  it('C4: a repeated idempotency key → idx_points_history_idempotency_unique; NULL keys repeat', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const key = `signup_bonus:${member.phone}`;
    await db.insertInto('member_points_history').values(entry(member.id, key)).execute();
    await expectDbError(
      () => db.insertInto('member_points_history').values(entry(member.id, key)).execute(),
      unique('idx_points_history_idempotency_unique'),
    );
    await db
      .insertInto('member_points_history')
      .values([entry(member.id, null), entry(member.id, null)])
      .execute();
    const rows = await db
      .selectFrom('member_points_history')
      .select('idempotency_key')
      .where('member_id', '=', member.id)
      .execute();
    expect(rows).toHaveLength(3);
  });

  it('order reasons need an order; ADMIN_ADJUST needs an actor; delta ≠ 0; balance ≥ 0', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const insert = (values: Record<string, unknown>) =>
      db
        .insertInto('member_points_history')
        .values({ ...entry(member.id, null), ...values })
        .execute();
    await expectDbError(
      () => insert({ reason: 'ORDER_EARN' }),
      check('member_points_history_order_reason'),
    );
    await expectDbError(
      () => insert({ reason: 'ADMIN_ADJUST' }),
      check('member_points_history_admin_actor'),
    );
    await expectDbError(() => insert({ delta: 0 }), check('member_points_history_delta_check'));
    await expectDbError(
      () => insert({ balance_after: -1 }),
      check('member_points_history_balance_after_check'),
    );
    await expectDbError(
      () =>
        db
          .updateTable('member')
          .set({ available_points_balance: -1 })
          .where('id', '=', member.id)
          .execute(),
      check('member_available_points_balance_check'),
    );
  });
});

describe('members and access', () => {
  it('member phones are +7 and ten digits → member_phone_check', async () => {
    for (const phone of ['89001234567', '+7900123456', '+790012345678', '+19001234567']) {
      await expectDbError(() => createMember(testDb.db, { phone }), check('member_phone_check'));
    }
    const member = await createMember(testDb.db, { phone: '+79001234567' });
    await expectDbError(
      () => createMember(testDb.db, { phone: member.phone }),
      unique('member_phone_unique'),
    );
  });

  it('staff emails are unique ignoring case → users_email_lower_unique', async () => {
    await createUser(testDb.db, { email: 'Manager@CTEA.test' });
    await expectDbError(
      () => createUser(testDb.db, { email: 'manager@ctea.test' }),
      unique('users_email_lower_unique'),
    );
  });

  it('a session belongs to exactly its principal → session_principal_consistency', async () => {
    const user = await createUser(testDb.db);
    const member = await createMember(testDb.db);
    await createSession(testDb.db, { userId: user.id });
    await createSession(testDb.db, { memberId: member.id });
    await expectDbError(
      () => createSession(testDb.db, { userId: user.id }, { member_id: member.id }),
      check('session_principal_consistency'),
    );
    await expectDbError(
      () => createSession(testDb.db, { memberId: member.id }, { principal_type: 'USER' }),
      check('session_principal_consistency'),
    );
  });

  it('a preference row has exactly one owner → user_preference_owner', async () => {
    await expectDbError(
      () => testDb.db.insertInto('user_preference').values({ language: 'zh' }).execute(),
      check('user_preference_owner'),
    );
    const user = await createUser(testDb.db);
    const member = await createMember(testDb.db);
    await expectDbError(
      () =>
        testDb.db
          .insertInto('user_preference')
          .values({ user_id: user.id, member_id: member.id })
          .execute(),
      check('user_preference_owner'),
    );
  });

  it('store_staff users must be STORE_MANAGERs → store_staff_user_is_manager (trigger)', async () => {
    const db = testDb.db;
    const store = await createStore(db);
    const admin = await createUser(db, { role: 'ADMIN' });
    await expectDbError(
      () =>
        db.insertInto('store_staff').values({ user_id: admin.id, store_id: store.id }).execute(),
      check('store_staff_user_is_manager'),
    );
    const manager = await createStoreManager(db, [store.id]);
    // a linked manager cannot be turned into an ADMIN while linked …
    await expectDbError(
      () => db.updateTable('users').set({ role: 'ADMIN' }).where('id', '=', manager.id).execute(),
      check('store_staff_user_is_manager'),
    );
    // … but can once the links are gone, in the same transaction
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('store_staff').where('user_id', '=', manager.id).execute();
      await trx.updateTable('users').set({ role: 'ADMIN' }).where('id', '=', manager.id).execute();
    });
  });

  it('one ACTIVE code per phone → idx_verification_code_active_unique', async () => {
    const code = {
      phone: '+79001112233',
      code_hash: 'a'.repeat(64),
      expires_at: new Date(Date.now() + 300_000),
      ip_address: '127.0.0.1',
    };
    await testDb.db.insertInto('verification_code').values(code).execute();
    await expectDbError(
      () => testDb.db.insertInto('verification_code').values(code).execute(),
      unique('idx_verification_code_active_unique'),
    );
    await testDb.db
      .insertInto('verification_code')
      .values({ ...code, status: 'SUPERSEDED' })
      .execute();
    await expectDbError(
      () =>
        testDb.db
          .insertInto('verification_code')
          .values({ ...code, attempts: 6, status: 'LOCKED' })
          .execute(),
      check('verification_code_attempts_check'),
    );
  });

  it('one default address per member; addresses cascade with the member; orders keep a snapshot', async () => {
    const db = testDb.db;
    const member = await createMember(db);
    const address = {
      member_id: member.id,
      address_line: 'Москва, ул. Тестовая, 1',
      latitude: '55.7558000',
      longitude: '37.6173000',
      is_default: true,
    };
    const first = await db
      .insertInto('delivery_address')
      .values(address)
      .returning('id')
      .executeTakeFirstOrThrow();
    await expectDbError(
      () => db.insertInto('delivery_address').values(address).execute(),
      unique('idx_delivery_address_default_unique'),
    );
    await expectDbError(
      () =>
        db
          .insertInto('delivery_address')
          .values({ ...address, is_default: false, latitude: '91' })
          .execute(),
      check('delivery_address_latitude_check'),
    );
    const order = await createOrder(db, {
      member_id: member.id,
      order_type: 'DELIVERY',
      delivery_address_id: first.id,
    });
    // C-10: members may delete their own addresses; the order keeps its snapshot (SET NULL)
    await db.deleteFrom('delivery_address').where('id', '=', first.id).execute();
    const after = await db
      .selectFrom('order')
      .select(['delivery_address_id', 'delivery_address'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ delivery_address_id: null, delivery_address: order.delivery_address });
  });

  it('telegram links carry a timestamp → telegram_user_link_consistency', async () => {
    const member = await createMember(testDb.db);
    await expectDbError(
      () =>
        testDb.db
          .insertInto('telegram_user')
          .values({ telegram_id: '123456789', chat_id: '123456789', member_id: member.id })
          .execute(),
      check('telegram_user_link_consistency'),
    );
  });
});

describe('catalog', () => {
  it('option_group_business_rule: TEMPERATURE/ICE/SUGAR required single, TOPPING optional multi', async () => {
    const db = testDb.db;
    await createOptionGroup(db, { group_type: 'ICE' });
    await createOptionGroup(db, { group_type: 'TOPPING' });
    await expectDbError(
      () => createOptionGroup(db, { group_type: 'TOPPING', is_required: true }),
      check('option_group_business_rule'),
    );
    await expectDbError(
      () => createOptionGroup(db, { group_type: 'SUGAR', selection_type: 'MULTI' }),
      check('option_group_business_rule'),
    );
    await expectDbError(
      () => createOptionGroup(db, { group_type: 'TEMPERATURE', is_required: false }),
      check('option_group_business_rule'),
    );
  });

  it('a default item from another group fails at COMMIT → product_option_group_default_item_fk', async () => {
    const db = testDb.db;
    const product = await createProduct(db);
    const sugar = await createOptionGroup(db, { group_type: 'SUGAR' });
    const ice = await createOptionGroup(db, { group_type: 'ICE' });
    const lessIce = await createOptionItem(db, ice.id);
    const halfSugar = await createOptionItem(db, sugar.id);

    let insertedInsideTransaction = false;
    await expectDbError(
      () =>
        db.transaction().execute(async (trx) => {
          await attachOptionGroup(trx, product.id, sugar.id, { default_item_id: lessIce.id });
          insertedInsideTransaction = true; // deferred: the statement itself succeeds
        }),
      foreignKey('product_option_group_default_item_fk'),
    );
    expect(insertedInsideTransaction).toBe(true);

    // a default of the group itself, and no default at all (MATCH SIMPLE), are fine
    await attachOptionGroup(db, product.id, sugar.id, { default_item_id: halfSugar.id });
    await attachOptionGroup(db, product.id, ice.id, { default_item_id: null });
    await expectDbError(
      () => attachOptionGroup(db, product.id, ice.id),
      unique('product_option_group_product_id_group_id_unique'),
    );
  });

  it('deferral lets a group and its default be rewired inside one transaction', async () => {
    const db = testDb.db;
    const product = await createProduct(db);
    const sugar = await createOptionGroup(db, { group_type: 'SUGAR' });
    const ice = await createOptionGroup(db, { group_type: 'ICE' });
    const halfSugar = await createOptionItem(db, sugar.id);
    const lessIce = await createOptionItem(db, ice.id);
    const link = await attachOptionGroup(db, product.id, sugar.id, {
      default_item_id: halfSugar.id,
    });
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('product_option_group')
        .set({ group_id: ice.id })
        .where('id', '=', link.id)
        .execute();
      await trx
        .updateTable('product_option_group')
        .set({ default_item_id: lessIce.id })
        .where('id', '=', link.id)
        .execute();
    });
  });

  it('option codes are unique per group; prices are not negative', async () => {
    const group = await createOptionGroup(testDb.db, { group_type: 'TOPPING' });
    await createOptionItem(testDb.db, group.id, { code: 'TAPIOCA' });
    await expectDbError(
      () => createOptionItem(testDb.db, group.id, { code: 'TAPIOCA' }),
      unique('option_item_group_id_code_unique'),
    );
    await expectDbError(
      () => createOptionItem(testDb.db, group.id, { price_delta: '-1.00' }),
      check('option_item_price_delta_check'),
    );
    await expectDbError(
      () => createProduct(testDb.db, { base_price: '-0.01' }),
      check('product_base_price_check'),
    );
  });

  it('delivery zones: a polygon of ≥ 3 vertices, a non-array is a check violation too', async () => {
    const store = await createStore(testDb.db);
    await createDeliveryZone(testDb.db, store.id);
    for (const polygon of ['[[55.7, 37.5], [55.8, 37.6]]', '{"a": 1}', '"square"']) {
      await expectDbError(
        () => createDeliveryZone(testDb.db, store.id, { polygon }),
        check('delivery_zone_polygon_check'),
      );
    }
    await expectDbError(
      () => createDeliveryZone(testDb.db, store.id, { eta_minutes: 241 }),
      check('delivery_zone_eta_minutes_check'),
    );
  });

  it('stores with orders cannot be deleted (ON DELETE RESTRICT)', async () => {
    const order = await createOrder(testDb.db);
    await expectDbError(
      () => testDb.db.deleteFrom('store').where('id', '=', order.store_id).execute(),
      foreignKey('order_store_id_fkey'),
    );
  });
});

describe('influencers and scans', () => {
  it('C6: a repeated client_event_id → offline_scan_log_client_event_id_unique', async () => {
    const scan = await createScan(testDb.db);
    await expectDbError(
      () => createScan(testDb.db, { client_event_id: scan.client_event_id }),
      unique('offline_scan_log_client_event_id_unique'),
    );
  });

  it('OS-5: the constraint is the ON CONFLICT target; a duplicate bumps dup_count', async () => {
    const db = testDb.db;
    const code = await createCampaignCode(db);
    const store = await createStore(db);
    const other = await createStore(db);
    const eventId = crypto.randomUUID();
    const ingest = (storeId: number) =>
      sql<{ id: number; inserted: boolean }>`
      INSERT INTO offline_scan_log (client_event_id, campaign_code_id, store_id, scanned_by, scan_type, scanned_at)
      VALUES (${eventId}, ${code.id}, ${storeId}, 'cashier-1', 'POS', now())
      ON CONFLICT ON CONSTRAINT offline_scan_log_client_event_id_unique
      DO UPDATE SET dup_count = offline_scan_log.dup_count + 1, last_dup_at = now()
      WHERE offline_scan_log.store_id = EXCLUDED.store_id
      RETURNING id, (xmax = 0) AS inserted
    `.execute(db);
    const first = await ingest(store.id);
    const second = await ingest(store.id);
    const foreign = await ingest(other.id);
    expect(first.rows[0]?.inserted).toBe(true);
    expect(second.rows[0]).toEqual({ id: first.rows[0]?.id, inserted: false });
    expect(foreign.rows).toEqual([]);
    const row = await db
      .selectFrom('offline_scan_log')
      .select(['dup_count', 'store_id'])
      .where('client_event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ dup_count: 1, store_id: store.id });
  });

  it('a matched scan has order, time and method → offline_scan_log_match_consistency', async () => {
    await expectDbError(
      () => createScan(testDb.db, { matched: true }),
      check('offline_scan_log_match_consistency'),
    );
    const order = await createOrder(testDb.db);
    await expectDbError(
      () =>
        createScan(testDb.db, { order_id: order.id, matched_at: new Date(), match_method: 'AUTO' }),
      check('offline_scan_log_match_consistency'),
    );
    const user = await createUser(testDb.db);
    await expectDbError(
      () =>
        createScan(testDb.db, {
          order_id: order.id,
          matched: true,
          matched_at: new Date(),
          match_method: 'AUTO',
          matched_by_user_id: user.id,
        }),
      check('offline_scan_log_matched_by_manual'),
    );
  });

  it('one code attributes an order once → idx_offline_scan_code_order_unique', async () => {
    const db = testDb.db;
    const code = await createCampaignCode(db);
    const order = await createOrder(db);
    const matched = {
      campaign_code_id: code.id,
      store_id: order.store_id,
      order_id: order.id,
      matched: true,
      matched_at: new Date(),
      match_method: 'AUTO',
    };
    await createScan(db, matched);
    await expectDbError(
      () => createScan(db, matched),
      unique('idx_offline_scan_code_order_unique'),
    );
  });

  it('one code per campaign and influencer; codes follow letter + 1000..9999', async () => {
    const db = testDb.db;
    const code = await createCampaignCode(db);
    await expectDbError(
      () =>
        createCampaignCode(db, {
          campaign_id: code.campaign_id,
          influencer_id: code.influencer_id,
        }),
      unique('campaign_code_campaign_influencer_unique'),
    );
    const influencer = await createInfluencer(db);
    await expectDbError(
      () =>
        createCampaignCode(db, {
          campaign_id: code.campaign_id,
          influencer_id: influencer.id,
          code: 'A0999',
        }),
      check('campaign_code_code_check'),
    );
    await expectDbError(
      () =>
        createCampaignCode(db, {
          campaign_id: code.campaign_id,
          influencer_id: influencer.id,
          code: code.code,
        }),
      unique('campaign_code_code_unique'),
    );
  });
});

describe('payments and idempotency', () => {
  it('one live PAYMENT attempt per order → idx_payment_transaction_live_unique', async () => {
    const db = testDb.db;
    const order = await createOrder(db);
    const first = await createPaymentTransaction(db, order);
    await expectDbError(
      () => createPaymentTransaction(db, order, { attempt_no: 2 }),
      unique('idx_payment_transaction_live_unique'),
    );
    await db
      .updateTable('payment_transaction')
      .set({ status: 'FAILED' })
      .where('id', '=', first.id)
      .execute();
    await createPaymentTransaction(db, order, { attempt_no: 2 });
    await expectDbError(
      () => createPaymentTransaction(db, order, { attempt_no: 2, status: 'FAILED' }),
      unique('payment_transaction_order_kind_attempt_unique'),
    );
  });

  it('provider ids are unique per provider; refunds have a parent, payments none', async () => {
    const db = testDb.db;
    const order = await createOrder(db);
    const payment = await createPaymentTransaction(db, order, {
      provider_payment_id: 'pay-1',
      status: 'SUCCEEDED',
    });
    const other = await createOrder(db);
    await expectDbError(
      () => createPaymentTransaction(db, other, { provider_payment_id: 'pay-1' }),
      unique('payment_transaction_provider_id_unique'),
    );
    await expectDbError(
      () => createPaymentTransaction(db, order, { kind: 'REFUND' }),
      check('payment_transaction_parent_consistency'),
    );
    await expectDbError(
      () =>
        createPaymentTransaction(db, order, {
          kind: 'REFUND',
          parent_id: payment.id,
          status: 'WAITING_FOR_CAPTURE',
        }),
      check('payment_transaction_refund_status'),
    );
    await createPaymentTransaction(db, order, { kind: 'REFUND', parent_id: payment.id });
    await expectDbError(
      () => createPaymentTransaction(db, other, { amount: '0.00' }),
      check('payment_transaction_amount_check'),
    );
  });

  it('idempotency keys are unique per scope and principal; COMPLETED stores a response', async () => {
    const record = {
      scope: 'checkout',
      principal: 'member:1',
      idempotency_key: crypto.randomUUID(),
      request_hash: 'b'.repeat(64),
      locked_until: new Date(Date.now() + 60_000),
      expires_at: new Date(Date.now() + 86_400_000),
    };
    await testDb.db.insertInto('idempotency_record').values(record).execute();
    await expectDbError(
      () => testDb.db.insertInto('idempotency_record').values(record).execute(),
      unique('idempotency_record_key_unique'),
    );
    await testDb.db
      .insertInto('idempotency_record')
      .values({ ...record, principal: 'member:2' })
      .execute();
    await expectDbError(
      () =>
        testDb.db
          .insertInto('idempotency_record')
          .values({ ...record, principal: 'member:3', status: 'COMPLETED' })
          .execute(),
      check('idempotency_record_response_check'),
    );
  });
});

describe('iiko jobs', () => {
  it('two RUNNING jobs for one resource → idx_iiko_sync_job_running_unique', async () => {
    const db = testDb.db;
    const job = await createIikoSyncJob(db, { status: 'RUNNING', attempt_count: 1 });
    await expectDbError(
      () =>
        createIikoSyncJob(db, {
          resource_id: job.resource_id,
          status: 'RUNNING',
          attempt_count: 1,
        }),
      unique('idx_iiko_sync_job_running_unique'),
    );
    // one RUNNING and one PENDING job of a resource may coexist (IK-4 retries)
    await createIikoSyncJob(db, { resource_id: job.resource_id });
    // the same resource id under another job type is another resource
    await createIikoSyncJob(db, {
      job_type: 'STOP_LIST',
      resource_id: job.resource_id,
      status: 'RUNNING',
      attempt_count: 1,
    });
  });

  it('two PENDING jobs for one resource → idx_iiko_sync_job_pending_unique; ON CONFLICT DO NOTHING dedupes', async () => {
    const db = testDb.db;
    const job = await createIikoSyncJob(db);
    await expectDbError(
      () => createIikoSyncJob(db, { resource_id: job.resource_id }),
      unique('idx_iiko_sync_job_pending_unique'),
    );
    const enqueued = await db
      .insertInto('iiko_sync_job')
      .values({ job_type: 'MENU_IMPORT', resource_id: job.resource_id, max_attempts: 4 })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    expect(enqueued).toEqual([]);
  });

  it('one ORDER_PUSH per order, ever → idx_iiko_sync_job_order_push_unique', async () => {
    const db = testDb.db;
    const job = await createIikoSyncJob(db, {
      job_type: 'ORDER_PUSH',
      resource_id: 'order:424242',
      status: 'COMPLETED',
      max_attempts: 3,
    });
    await expectDbError(
      () =>
        createIikoSyncJob(db, {
          job_type: 'ORDER_PUSH',
          resource_id: job.resource_id,
          max_attempts: 3,
        }),
      unique('idx_iiko_sync_job_order_push_unique'),
    );
  });

  it('attempts stay within max_attempts; log rows are unique per attempt and bounded', async () => {
    const db = testDb.db;
    await expectDbError(
      () => createIikoSyncJob(db, { attempt_count: 5 }),
      check('iiko_sync_job_attempt_count_check'),
    );
    const job = await createIikoSyncJob(db, { status: 'RUNNING', attempt_count: 1 });
    const log = {
      job_id: job.id,
      attempt_number: 1,
      started_at: new Date(),
      finished_at: new Date(),
      duration_ms: 12,
      success: true,
    };
    await db.insertInto('iiko_sync_log').values(log).execute();
    await expectDbError(
      () => db.insertInto('iiko_sync_log').values(log).execute(),
      unique('iiko_sync_log_job_id_attempt_number_unique'),
    );
    await expectDbError(
      () =>
        db
          .insertInto('iiko_sync_log')
          .values({ ...log, attempt_number: 2, response_summary: 'x'.repeat(5001) })
          .execute(),
      check('iiko_sync_log_response_summary_check'),
    );
  });
});
