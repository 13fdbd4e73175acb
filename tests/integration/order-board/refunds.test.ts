import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { changeOrderStatus } from '~/features/order-board/order-board.service.server';
import {
  reconcilePayments,
  refreshPaymentFromProvider,
  startPayment,
} from '~/features/payments/payments.service.server';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { createMember } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  checkout,
  createShop,
  memberWithCoupon,
  pickupBody,
  type Shop,
} from '../../support/checkout';
import {
  adminSession,
  callLoader,
  managerSession,
  type Session,
} from '../../support/staff-requests';
import {
  attempts,
  retireWaitingJobs,
  runOrderPush,
  startFakeYooKassa,
  useFakeYooKassaEnv,
  type FakeYooKassa,
} from '../payments/helpers';
import {
  adminAction,
  adminBoard,
  adminHistory,
  loadBoard,
  loadHistory,
  manageAction,
  orderStatus,
  statusAudit,
} from './helpers';

/**
 * Cancelling and refunding from the board against the fake YooKassa process (OR-1, OR-3, PY-9):
 * a cancelled paid order is refunded after its release committed; a refused refund leaves it
 * "refund pending" on the board until an admin retries; COMPLETED → REFUNDED moves the money
 * first and the order only after a SUCCEEDED refund.
 */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let shop: Shop;
let manager: Session;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  yk = await startFakeYooKassa();
  // the board's actions use the client configured by the environment: the fake
  await useFakeYooKassaEnv(yk.url);
  shop = await createShop(testDb.db);
  manager = await managerSession(testDb, [shop.store.id]);
  admin = await adminSession(testDb);
});
afterAll(async () => {
  await yk?.stop();
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
  await retireWaitingJobs(testDb.db);
});

const storeId = () => shop.store.id;

/** A paid order taken through the real payment flow to CONFIRMED + SUCCEEDED. */
async function confirmedPaidOrder(extra: Parameters<typeof pickupBody>[2] = {}, memberId?: number) {
  const member = memberId ?? (await createMember(testDb.db)).id;
  const placed = await checkout(testDb.db, member, pickupBody(shop, [{ product: 'dear' }], extra));
  if (!('order' in placed.body)) throw new Error(JSON.stringify(placed.body));
  const order = placed.body.order;
  const started = await startPayment(testDb.db, yk.client, {
    order: { orderId: order.id },
    memberId: member,
  });
  expect(started.kind).toBe('redirect');
  const [attempt] = await attempts(testDb.db, order.id);
  await yk.control.approve(attempt!.provider_payment_id!);
  await refreshPaymentFromProvider(testDb.db, yk.client, order.id);
  await runOrderPush(testDb, yk.client, order.id);
  expect(await orderStatus(testDb.db, order.id)).toMatchObject({
    status: 'CONFIRMED',
    payment_status: 'SUCCEEDED',
  });
  return { id: order.id, memberId: member, final: order.final_amount };
}

const cancel = (id: number, reason = 'закончились ингредиенты') =>
  manageAction(testDb, manager, storeId(), {
    intent: 'status',
    orderId: String(id),
    from: 'CONFIRMED',
    to: 'CANCELLED',
    reason,
  });

async function refundPendingIds(session: Session) {
  const board = await loadBoard(testDb, session, storeId());
  return (board.body as { board: { refundPending: { id: number }[] } }).board.refundPending.map(
    (c) => c.id,
  );
}

async function balance(memberId: number) {
  return testDb.db
    .selectFrom('member')
    .select(['available_points_balance', 'total_points_earned'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
}

describe('cancelling a paid order from the board', () => {
  it('refunds in full at YooKassa after the cancel, and restores the coupon', async () => {
    const { member, template, instance } = await memberWithCoupon(testDb.db);
    const order = await confirmedPaidOrder({ coupon_instance_id: instance.id }, member.id);
    expect(order.final).toBe('405.00');

    const answer = await cancel(order.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'CANCELLED',
      refund: 'SUCCEEDED',
      notice: 'orderBoard.notice.cancelledRefunded',
    });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'REFUNDED',
      cancel_reason: 'закончились ингредиенты',
    });
    const [payment] = await attempts(testDb.db, order.id);
    const refunds = await attempts(testDb.db, order.id, 'REFUND');
    expect(refunds).toEqual([
      expect.objectContaining({
        attempt_no: 1,
        parent_id: payment!.id,
        amount: '405.00',
        status: 'SUCCEEDED',
      }),
    ]);
    const state = await yk.control.state();
    expect(state.refunds).toEqual([
      expect.objectContaining({
        payment_id: payment!.provider_payment_id,
        status: 'succeeded',
        amount: expect.objectContaining({ value: '405.00' }),
      }),
    ]);

    // CP-12 in the cancelling transaction
    const coupon = await testDb.db
      .selectFrom('coupon_instance')
      .select(['status', 'used_order_id'])
      .where('id', '=', instance.id)
      .executeTakeFirstOrThrow();
    expect(coupon).toEqual({ status: 'UNUSED', used_order_id: null });
    const usage = await testDb.db
      .selectFrom('coupon_template')
      .select('current_usage_count')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(usage.current_usage_count).toBe(0);

    // RB-4: the manager is the actor of the status change and of the refund
    expect(await statusAudit(testDb.db, order.id)).toEqual([
      expect.objectContaining({ actor_user_id: manager.userId, after: { status: 'CANCELLED' } }),
    ]);
    const refundAudit = await testDb.db
      .selectFrom('audit_log')
      .select(['actor_user_id'])
      .where('action', '=', 'payment.refund')
      .where('entity_id', '=', String(order.id))
      .execute();
    expect(refundAudit).toEqual([{ actor_user_id: manager.userId }]);
    expect(await refundPendingIds(manager)).not.toContain(order.id);
  });

  it('returns the points of an order paid with points; nothing goes to YooKassa', async () => {
    const member = await createMember(testDb.db);
    await testDb.db.transaction().execute((trx) =>
      applyPointsChange(trx, {
        memberId: member.id,
        delta: 50_000,
        reason: 'SIGNUP_BONUS',
        idempotencyKey: `signup_bonus:${member.phone}`,
      }),
    );
    const placed = await checkout(
      testDb.db,
      member.id,
      pickupBody(shop, [{ product: 'dear' }], { use_points: true }),
    );
    if (!('order' in placed.body)) throw new Error(JSON.stringify(placed.body));
    const orderId = placed.body.order.id;
    await runOrderPush(testDb, null, orderId);
    expect(await orderStatus(testDb.db, orderId)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'NOT_REQUIRED',
    });
    expect((await balance(member.id)).available_points_balance).toBe(5_000);

    const answer = await cancel(orderId, 'гость ушёл');
    expect(answer.body).toMatchObject({ ok: true, status: 'CANCELLED', refund: 'NONE' });
    expect((await balance(member.id)).available_points_balance).toBe(50_000);
    expect((await yk.control.state()).requests).toEqual([]);
  });

  it('a refused refund leaves the order refund pending; the manager cannot retry, the admin can', async () => {
    const { member, instance } = await memberWithCoupon(testDb.db);
    const order = await confirmedPaidOrder({ coupon_instance_id: instance.id }, member.id);
    await yk.control.fault('refunds.create', 'reject');

    const answer = await cancel(order.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'CANCELLED',
      refund: 'FAILED',
      tone: 'warning',
      notice: 'orderBoard.notice.cancelledRefundFailed',
    });
    // the cancel and its release stand; the money has not gone back (PY-9)
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'SUCCEEDED',
    });
    const coupon = await testDb.db
      .selectFrom('coupon_instance')
      .select('status')
      .where('id', '=', instance.id)
      .executeTakeFirstOrThrow();
    expect(coupon.status).toBe('UNUSED');
    expect((await attempts(testDb.db, order.id, 'REFUND')).map((r) => r.status)).toEqual([
      'FAILED',
    ]);

    // visible on the store's board and in the "refund pending" lists
    expect(await refundPendingIds(manager)).toContain(order.id);
    const pending = await loadHistory(testDb, manager, storeId(), '?refund=pending');
    expect((pending.body as { rows: { id: number }[] }).rows.map((r) => r.id)).toContain(order.id);
    const adminList = await callLoader(
      testDb,
      adminHistory.loader,
      admin,
      '/admin/orders/history?refund=pending',
    );
    expect((adminList.body as { rows: { id: number }[] }).rows.map((r) => r.id)).toContain(
      order.id,
    );
    const adminBoardData = await callLoader(testDb, adminBoard.loader, admin, '/admin/orders');
    expect((adminBoardData.body as { refundPending: number }).refundPending).toBeGreaterThan(0);

    const byManager = await manageAction(testDb, manager, storeId(), {
      intent: 'retry-refund',
      orderId: String(order.id),
    });
    expect(byManager.status).toBe(403);
    expect(await attempts(testDb.db, order.id, 'REFUND')).toHaveLength(1);

    const retried = await adminAction(testDb, admin, {
      intent: 'retry-refund',
      orderId: String(order.id),
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      ok: true,
      status: 'CANCELLED',
      refund: 'SUCCEEDED',
      notice: 'orderBoard.notice.refundSucceeded',
    });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({ payment_status: 'REFUNDED' });
    expect(
      (await attempts(testDb.db, order.id, 'REFUND')).map((r) => [r.attempt_no, r.status]),
    ).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ]);
    expect(await refundPendingIds(manager)).not.toContain(order.id);

    // nothing left to retry
    const again = await adminAction(testDb, admin, {
      intent: 'retry-refund',
      orderId: String(order.id),
    });
    expect(again.status).toBe(409);
  });

  it('two staff members cancelling one paid order at once refund it once', async () => {
    const order = await confirmedPaidOrder();
    const pools = [testDb.newPool(4), testDb.newPool(4)];
    const dbs = pools.map((pool) => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }));
    try {
      const actor = {
        userId: manager.userId,
        role: 'STORE_MANAGER' as const,
        storeIds: [storeId()],
      };
      const results = await Promise.all(
        dbs.map((db) =>
          changeOrderStatus(
            db,
            actor,
            { orderId: order.id, from: 'CONFIRMED', to: 'CANCELLED', reason: 'дубль' },
            { yookassa: yk.client },
          ),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await yk.control.state()).refunds).toHaveLength(1);
      expect(await attempts(testDb.db, order.id, 'REFUND')).toHaveLength(1);
      expect(await statusAudit(testDb.db, order.id)).toHaveLength(1);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });
});

describe('COMPLETED → REFUNDED (ADMIN)', () => {
  async function completedPaidOrder() {
    const order = await confirmedPaidOrder();
    const done = await manageAction(testDb, manager, storeId(), {
      intent: 'status',
      orderId: String(order.id),
      to: 'COMPLETED',
    });
    expect(done.body).toMatchObject({ ok: true, status: 'COMPLETED' });
    return order;
  }

  const refund = (id: number) =>
    adminAction(testDb, admin, {
      intent: 'status',
      orderId: String(id),
      from: 'COMPLETED',
      to: 'REFUNDED',
      reason: 'жалоба гостя',
    });

  it('moves the money first: a refused refund changes nothing but the attempt; the retry refunds and closes', async () => {
    const order = await completedPaidOrder();
    const earned = await balance(order.memberId);
    expect(earned.available_points_balance).toBe(450);

    await yk.control.fault('refunds.create', 'reject');
    const refused = await refund(order.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      ok: false,
      code: 'REFUND_FAILED',
      message: 'orderBoard.error.REFUND_FAILED',
    });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'COMPLETED',
      payment_status: 'SUCCEEDED',
    });
    expect(await balance(order.memberId)).toEqual(earned);
    // an admin began refunding it: it waits in the refund pending list
    expect(await refundPendingIds(admin)).toContain(order.id);

    const retried = await adminAction(testDb, admin, {
      intent: 'retry-refund',
      orderId: String(order.id),
    });
    expect(retried.body).toMatchObject({ ok: true, status: 'REFUNDED', refund: 'SUCCEEDED' });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'REFUNDED',
      payment_status: 'REFUNDED',
    });
    // PT-8: the earned points are taken back
    expect(await balance(order.memberId)).toEqual({
      available_points_balance: 0,
      total_points_earned: 0,
    });
    expect((await statusAudit(testDb.db, order.id)).at(-1)).toMatchObject({
      actor_user_id: admin.userId,
      before: { status: 'COMPLETED' },
      after: { status: 'REFUNDED' },
      reason: null,
    });
    expect(await refundPendingIds(admin)).not.toContain(order.id);
  });

  it('refunds and closes at once when YooKassa accepts', async () => {
    const order = await completedPaidOrder();
    const answer = await refund(order.id);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'REFUNDED',
      refund: 'SUCCEEDED',
      notice: 'orderBoard.notice.refunded',
    });
    expect((await statusAudit(testDb.db, order.id)).at(-1)).toMatchObject({
      reason: 'жалоба гостя',
    });
    expect((await yk.control.state()).refunds).toHaveLength(1);
  });

  it('an unknown refund result keeps the order COMPLETED until the money is confirmed; the reconciler then closes it without a second refund', async () => {
    const order = await completedPaidOrder();
    await yk.control.fault('refunds.create', 'error_after');
    const answer = await refund(order.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'COMPLETED',
      refund: 'PENDING',
      tone: 'warning',
    });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'COMPLETED',
      payment_status: 'SUCCEEDED',
    });
    expect(await refundPendingIds(admin)).toContain(order.id);

    // the reconciler finishes the refund with its key (PY-10) and closes the order as the system
    await reconcilePayments(testDb.db, yk.client, { now: new Date(Date.now() + 3 * 60_000) });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'REFUNDED',
      payment_status: 'REFUNDED',
    });
    const closed = await testDb.db
      .selectFrom('audit_log')
      .select(['actor_type', 'reason', 'after'])
      .where('entity_type', '=', 'order')
      .where('entity_id', '=', String(order.id))
      .where('action', '=', 'order.status')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ actor_type: 'SYSTEM', reason: 'refund_succeeded' });
    expect(await refundPendingIds(admin)).not.toContain(order.id);

    // nothing is left to retry
    const retried = await adminAction(testDb, admin, {
      intent: 'retry-refund',
      orderId: String(order.id),
    });
    expect(retried.body).toMatchObject({ ok: false });
    expect((await yk.control.state()).refunds).toHaveLength(1);
  });
});
