import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionOrder } from '~/features/orders/lifecycle.service.server';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { createMember } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  checkout,
  createShop,
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

const system = { type: 'SYSTEM' } as const;

async function placed(memberId: number, extra: Parameters<typeof pickupBody>[2] = {}) {
  const result = await checkout(
    testDb.db,
    memberId,
    pickupBody(shop, [{ product: 'dear' }], extra),
    crypto.randomUUID(),
  );
  if (!('order' in result.body)) throw new Error(JSON.stringify(result.body));
  return result.body.order.id;
}

const move = (
  orderId: number,
  from: Parameters<typeof transitionOrder>[1]['from'],
  to: Parameters<typeof transitionOrder>[1]['to'],
  extra: Partial<Parameters<typeof transitionOrder>[1]> = {},
) =>
  testDb.db
    .transaction()
    .execute((trx) => transitionOrder(trx, { orderId, from, to, actor: system, ...extra }));

const balanceOf = async (memberId: number) =>
  await testDb.db
    .selectFrom('member')
    .select(['available_points_balance', 'total_points_earned'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();

describe('cancel before fulfilment (OR-3)', () => {
  it('restores the coupon once, with a RESTORED audit row and the usage count back', async () => {
    const { member, template, instance } = await memberWithCoupon(testDb.db);
    const orderId = await placed(member.id, { coupon_instance_id: instance.id });
    expect(
      await move(orderId, ['PENDING'], 'CANCELLED', {
        paymentStatus: { from: ['PENDING', 'FAILED'], to: 'CANCELED' },
      }),
    ).toBe(true);
    // a second cancel is refused by the conditional update and changes nothing
    expect(await move(orderId, ['PENDING'], 'CANCELLED')).toBe(false);
    const inst = await testDb.db
      .selectFrom('coupon_instance')
      .select(['status', 'used_order_id'])
      .where('id', '=', instance.id)
      .executeTakeFirstOrThrow();
    expect(inst).toEqual({ status: 'UNUSED', used_order_id: null });
    const t = await testDb.db
      .selectFrom('coupon_template')
      .select('current_usage_count')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(t.current_usage_count).toBe(0);
    const audit = await testDb.db
      .selectFrom('coupon_audit_log')
      .select('action')
      .where('coupon_instance_id', '=', instance.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['USED', 'RESTORED']);
    const order = await testDb.db
      .selectFrom('order')
      .select(['status', 'payment_status'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ status: 'CANCELLED', payment_status: 'CANCELED' });
    const statusAudit = await testDb.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'order.status')
      .where('entity_id', '=', String(orderId))
      .execute();
    expect(statusAudit).toHaveLength(1);
    expect(statusAudit[0]!.before).toEqual({ status: 'PENDING' });
  });

  it('returns redeemed points on VOIDED with key order_refund:<id>', async () => {
    const member = await createMember(testDb.db);
    await testDb.db.transaction().execute((trx) =>
      applyPointsChange(trx, {
        memberId: member.id,
        delta: 50_000,
        reason: 'SIGNUP_BONUS',
        idempotencyKey: `signup_bonus:${member.phone}`,
      }),
    );
    const orderId = await placed(member.id, { use_points: true });
    expect((await balanceOf(member.id)).available_points_balance).toBe(5_000);
    await move(orderId, ['PENDING'], 'VOIDED');
    expect((await balanceOf(member.id)).available_points_balance).toBe(50_000);
    const ledger = await testDb.db
      .selectFrom('member_points_history')
      .select(['reason', 'delta', 'idempotency_key'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    expect(ledger).toEqual([
      { reason: 'ORDER_REDEEM', delta: -45_000, idempotency_key: `order_redeem:${orderId}` },
      { reason: 'REFUND', delta: 45_000, idempotency_key: `order_refund:${orderId}` },
    ]);
  });
});

describe('completion and refund (PT-7, PT-8)', () => {
  it('COMPLETED credits the earned points once; REFUNDED takes them back and lowers the tier basis', async () => {
    const member = await createMember(testDb.db);
    const orderId = await placed(member.id);
    await testDb.db
      .updateTable('order')
      .set({ payment_status: 'SUCCEEDED' })
      .where('id', '=', orderId)
      .execute();
    await move(orderId, ['PENDING'], 'CONFIRMED');
    await move(orderId, ['CONFIRMED'], 'PREPARING');
    // DELIVERING is only for delivery orders
    expect(await move(orderId, ['PREPARING'], 'DELIVERING')).toBe(false);
    await move(orderId, ['PREPARING'], 'COMPLETED');
    expect(await balanceOf(member.id)).toEqual({
      available_points_balance: 450,
      total_points_earned: 450,
    });
    // replaying the credit changes nothing
    await testDb.db.transaction().execute((trx) =>
      applyPointsChange(trx, {
        memberId: member.id,
        delta: 450,
        totalEarnedDelta: 450,
        reason: 'ORDER_EARN',
        idempotencyKey: `order_earn:${orderId}`,
        orderId,
      }),
    );
    expect(await balanceOf(member.id)).toEqual({
      available_points_balance: 450,
      total_points_earned: 450,
    });

    await move(orderId, ['COMPLETED'], 'REFUNDED', { actor: { type: 'SYSTEM' } });
    expect(await balanceOf(member.id)).toEqual({
      available_points_balance: 0,
      total_points_earned: 0,
    });
  });

  it('a refund with part of the points already spent takes what is there and records the shortfall', async () => {
    const member = await createMember(testDb.db);
    const orderId = await placed(member.id);
    await move(orderId, ['PENDING'], 'CONFIRMED');
    await move(orderId, ['CONFIRMED'], 'COMPLETED');
    await testDb.db.transaction().execute((trx) =>
      applyPointsChange(trx, {
        memberId: member.id,
        delta: -400,
        reason: 'ORDER_REDEEM',
        idempotencyKey: `spent:${member.id}`,
        orderId,
      }),
    );
    await move(orderId, ['COMPLETED'], 'REFUNDED');
    const refund = await testDb.db
      .selectFrom('member_points_history')
      .select(['delta', 'description'])
      .where('idempotency_key', '=', `order_refund:${orderId}`)
      .executeTakeFirstOrThrow();
    expect(refund.delta).toBe(-50);
    expect(refund.description).toMatch(/400/);
    expect(await balanceOf(member.id)).toEqual({
      available_points_balance: 0,
      total_points_earned: 0,
    });
  });

  it('refuses illegal moves by programming error and by state', async () => {
    const member = await createMember(testDb.db);
    const orderId = await placed(member.id);
    await expect(move(orderId, ['CANCELLED'], 'CONFIRMED')).rejects.toThrow(/no legal transition/);
    expect(await move(orderId, ['CONFIRMED'], 'COMPLETED')).toBe(false);
  });
});
