import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cancelOrderByMember,
  reconcilePayments,
  refreshPaymentFromProvider,
  refundOrder,
  startPayment,
  sweepPaymentDeadlines,
} from '~/features/payments/payments.service.server';
import { createYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import { createUser } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';
import {
  SECRET_KEY,
  SHOP_ID,
  attempts,
  fakePayment,
  orderRow,
  placePaidOrder,
  pushJobs,
  retireWaitingJobs,
  runOrderPush,
  startFakeYooKassa,
  useFakeYooKassaEnv,
  type FakeYooKassa,
} from './helpers';

/**
 * Crash points and unknown results converge (PY-10), unpaid orders expire (OR-4), refunds
 * (PY-9) and the member's cancel (OR-6). The fake sends no notifications here, as if every one of
 * them were lost: only the reconciler, the sweeper and the order page learn what happened.
 */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  yk = await startFakeYooKassa();
  await useFakeYooKassaEnv(yk.url);
  shop = await createShop(testDb.db);
});
afterAll(async () => {
  await yk?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
  await retireWaitingJobs(testDb.db);
});

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);
const reconcile = (minutes = 3) =>
  reconcilePayments(testDb.db, yk.client, { now: minutesFromNow(minutes) });

async function started() {
  const { member, order } = await placePaidOrder(testDb.db, shop);
  const result = await startPayment(testDb.db, yk.client, {
    order: { orderId: order.id },
    memberId: member.id,
  });
  return { member, order, result };
}

async function held() {
  const s = await started();
  const [attempt] = await attempts(testDb.db, s.order.id);
  await yk.control.approve(attempt!.provider_payment_id!);
  return { ...s, providerId: attempt!.provider_payment_id! };
}

describe('reconciler (PY-10)', () => {
  it('a create that timed out is unknown; the reconciler retries the key and the flow converges', async () => {
    const impatient = createYooKassaClient({
      baseUrl: yk.url,
      shopId: SHOP_ID,
      secretKey: SECRET_KEY,
      timeoutMs: 200,
    });
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await yk.control.fault('payments.create', 'delay', { delay_ms: 1_500 });
    const result = await startPayment(testDb.db, impatient, {
      order: { orderId: order.id },
      memberId: member.id,
    });
    expect(result).toEqual({ kind: 'unavailable', publicToken: order.public_token });
    expect((await attempts(testDb.db, order.id))[0]).toMatchObject({
      status: 'PENDING',
      provider_payment_id: null,
    });
    expect((await yk.control.state()).payments).toHaveLength(1);

    // too early: the key is not retried within a minute of the last call
    expect((await reconcilePayments(testDb.db, yk.client)).checked).toBe(0);

    const first = await reconcile();
    expect(first).toMatchObject({ checked: 1, changed: 1 });
    const [attempt] = await attempts(testDb.db, order.id);
    expect(attempt!.provider_payment_id).toBe((await yk.control.state()).payments[0]!.id);
    expect((await yk.control.state()).payments).toHaveLength(1);

    // the payer approved; the notification was lost: the next run finds the hold
    await yk.control.approve(attempt!.provider_payment_id!);
    await reconcile();
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      payment_status: 'WAITING_FOR_CAPTURE',
    });
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);
  });

  it('a capture with an unknown result is finished by the reconciler with the same key', async () => {
    const { order } = await held();
    await refreshPaymentFromProvider(testDb.db, yk.client, order.id);
    await yk.control.fault('payments.capture', 'error_after');
    const run = await runOrderPush(testDb, yk.client, order.id);
    expect(run.outcome).toMatchObject({
      ok: true,
      result: { iiko_sync_status: 'SKIPPED', payment: 'UNKNOWN' },
    });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'PENDING',
      payment_status: 'WAITING_FOR_CAPTURE',
    });

    // the provider did capture; the reconciler's re-fetch sees it and confirms the order
    const summary = await reconcile();
    expect(summary.changed).toBe(1);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    const captures = (await yk.control.state()).requests.filter(
      (r) => r.endpoint === 'payments.capture',
    );
    expect(captures).toHaveLength(1);
  });

  it('a hold whose capture never reached the provider is captured once the POS outcome is known', async () => {
    const { order } = await held();
    await refreshPaymentFromProvider(testDb.db, yk.client, order.id);
    await yk.control.fault('payments.capture', 'error');
    await runOrderPush(testDb, yk.client, order.id);
    const summary = await reconcile();
    expect(summary.captured).toBe(1);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    const keys = (await yk.control.state()).requests
      .filter((r) => r.endpoint === 'payments.capture')
      .map((r) => r.idempotence_key);
    expect(new Set(keys).size).toBe(1);
  });

  it('a hold whose ORDER_PUSH job failed is released and the order voided', async () => {
    const { order, providerId } = await held();
    await refreshPaymentFromProvider(testDb.db, yk.client, order.id);
    await testDb.db
      .updateTable('iiko_sync_job')
      .set({ status: 'FAILED', last_error: 'worker lost on the last attempt' })
      .where('resource_id', '=', `order:${order.id}`)
      .execute();
    const summary = await reconcile();
    expect(summary.cancelled).toBe(1);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'VOIDED',
      payment_status: 'CANCELED',
      iiko_sync_status: 'FAILED',
    });
    expect((await fakePayment(yk, providerId))?.status).toBe('canceled');
  });

  it('the order page learns about a hold before any notification', async () => {
    const { order } = await held();
    expect(await refreshPaymentFromProvider(testDb.db, yk.client, order.id)).toBe(
      'WAITING_FOR_CAPTURE',
    );
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      payment_status: 'WAITING_FOR_CAPTURE',
    });
  });
});

describe('payment deadline (OR-4)', () => {
  it('cancels an unpaid order after the timeout, but lets a found hold continue', async () => {
    const unpaid = await started();
    const neverCreated = await placePaidOrder(testDb.db, shop);
    const paid = await held();

    // before the deadline nothing happens
    expect((await sweepPaymentDeadlines(testDb.db, yk.client)).cancelled).toBe(0);

    const summary = await sweepPaymentDeadlines(testDb.db, yk.client, { now: minutesFromNow(31) });
    expect(summary.cancelled).toBeGreaterThanOrEqual(2);
    expect(await orderRow(testDb.db, unpaid.order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'CANCELED',
      cancel_reason: 'payment_timeout',
    });
    expect(await orderRow(testDb.db, neverCreated.order.id)).toMatchObject({ status: 'CANCELLED' });
    expect((await attempts(testDb.db, neverCreated.order.id))[0]).toMatchObject({
      status: 'CANCELED',
      failure_code: 'expired_on_confirmation',
    });
    // the re-fetch found the hold: the payment flow continues
    expect(await orderRow(testDb.db, paid.order.id)).toMatchObject({
      status: 'PENDING',
      payment_status: 'WAITING_FOR_CAPTURE',
    });
    expect(await pushJobs(testDb.db, paid.order.id)).toHaveLength(1);

    // a payer who approves after the cancel gets the hold released at once (PY-8)
    const [late] = await attempts(testDb.db, unpaid.order.id);
    await yk.control.approve(late!.provider_payment_id!);
    await reconcile(40);
    expect((await fakePayment(yk, late!.provider_payment_id))?.status).toBe('canceled');
    expect((await attempts(testDb.db, unpaid.order.id))[0]).toMatchObject({
      status: 'CANCELED',
      failure_code: 'canceled_by_merchant',
    });
    expect(await orderRow(testDb.db, unpaid.order.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('keeps an order whose attempt the provider does not answer for', async () => {
    const { order } = await started();
    await yk.control.fault('payments.get', 'error', { count: 50 });
    const summary = await sweepPaymentDeadlines(testDb.db, yk.client, { now: minutesFromNow(31) });
    expect(summary.unknown).toBeGreaterThanOrEqual(1);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({ status: 'PENDING' });
  });

  it('does not offer a new attempt past the deadline', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const result = await startPayment(testDb.db, yk.client, {
      order: { orderId: order.id },
      memberId: member.id,
      now: minutesFromNow(31),
    });
    expect(result).toEqual({ kind: 'expired', publicToken: order.public_token });
    expect((await yk.control.state()).requests).toEqual([]);
  });
});

describe('refunds (PY-9)', () => {
  async function confirmed() {
    const h = await held();
    await refreshPaymentFromProvider(testDb.db, yk.client, h.order.id);
    await runOrderPush(testDb, yk.client, h.order.id);
    expect(await orderRow(testDb.db, h.order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    return h;
  }

  it('refunds the captured payment in full; order payment_status REFUNDED; audited', async () => {
    const { order, providerId } = await confirmed();
    const admin = await createUser(testDb.db, { role: 'ADMIN' });
    const result = await refundOrder(testDb.db, yk.client, {
      orderId: order.id,
      actor: { type: 'USER', userId: admin.id },
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    const [payment] = await attempts(testDb.db, order.id);
    const [refund] = await attempts(testDb.db, order.id, 'REFUND');
    expect(refund).toMatchObject({
      attempt_no: 1,
      parent_id: payment!.id,
      amount: payment!.amount,
      status: 'SUCCEEDED',
      idempotence_key: `ctea-${order.id}-refund-1`,
    });
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('REFUNDED');
    const state = await yk.control.state();
    expect(state.refunds).toEqual([
      expect.objectContaining({
        payment_id: providerId,
        status: 'succeeded',
        amount: expect.objectContaining({ value: '150.00' }),
      }),
    ]);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_user_id'])
      .where('action', '=', 'payment.refund')
      .where('entity_id', '=', String(order.id))
      .execute();
    expect(audit).toEqual([{ actor_type: 'USER', actor_user_id: admin.id }]);
    // nothing more to refund
    expect(
      await refundOrder(testDb.db, yk.client, { orderId: order.id, actor: { type: 'SYSTEM' } }),
    ).toEqual({
      status: 'NOT_REFUNDABLE',
    });
  });

  it('a refused refund leaves SUCCEEDED; the retry is attempt 2', async () => {
    const { order } = await confirmed();
    await yk.control.fault('refunds.create', 'reject');
    expect(
      await refundOrder(testDb.db, yk.client, { orderId: order.id, actor: { type: 'SYSTEM' } }),
    ).toMatchObject({
      status: 'FAILED',
      code: 'invalid_request',
    });
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('SUCCEEDED');
    expect(
      await refundOrder(testDb.db, yk.client, { orderId: order.id, actor: { type: 'SYSTEM' } }),
    ).toMatchObject({
      status: 'SUCCEEDED',
    });
    const refunds = await attempts(testDb.db, order.id, 'REFUND');
    expect(refunds.map((r) => [r.attempt_no, r.status])).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ]);
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('REFUNDED');
  });

  it('a refund with an unknown result stays PENDING and the reconciler completes it with its key', async () => {
    const { order } = await confirmed();
    await yk.control.fault('refunds.create', 'error_after');
    expect(
      await refundOrder(testDb.db, yk.client, { orderId: order.id, actor: { type: 'SYSTEM' } }),
    ).toMatchObject({
      status: 'PENDING',
    });
    await reconcile();
    expect((await attempts(testDb.db, order.id, 'REFUND')).map((r) => r.status)).toEqual([
      'SUCCEEDED',
    ]);
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('REFUNDED');
    expect((await yk.control.state()).refunds).toHaveLength(1);
  });
});

describe('member cancel (OR-6)', () => {
  it('cancels an own PENDING order without a hold; not someone else’s; not after a hold', async () => {
    const { member, order } = await started();
    const { member: stranger } = await placePaidOrder(testDb.db, shop);
    expect(
      await cancelOrderByMember(testDb.db, { order: { orderId: order.id }, memberId: stranger.id }),
    ).toEqual({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await cancelOrderByMember(testDb.db, {
        order: { publicToken: order.public_token },
        memberId: member.id,
      }),
    ).toEqual({ ok: true });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'CANCELED',
      cancel_reason: 'cancelled_by_member',
    });
    expect(
      await cancelOrderByMember(testDb.db, { order: { orderId: order.id }, memberId: member.id }),
    ).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
    });

    const h = await held();
    await refreshPaymentFromProvider(testDb.db, yk.client, h.order.id);
    expect(
      await cancelOrderByMember(testDb.db, {
        order: { orderId: h.order.id },
        memberId: h.member.id,
      }),
    ).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
    expect(await orderRow(testDb.db, h.order.id)).toMatchObject({
      status: 'PENDING',
      payment_status: 'WAITING_FOR_CAPTURE',
    });
  });

  it('a cancel racing the hold: exactly one wins, and a hold that loses is released', async () => {
    const { member, order } = await started();
    const [attempt] = await attempts(testDb.db, order.id);
    await yk.control.approve(attempt!.provider_payment_id!);
    const [cancel] = await Promise.all([
      cancelOrderByMember(testDb.db, { order: { orderId: order.id }, memberId: member.id }),
      refreshPaymentFromProvider(testDb.db, yk.client, order.id),
    ]);
    const row = await orderRow(testDb.db, order.id);
    if (cancel.ok) {
      expect(row).toMatchObject({ status: 'CANCELLED', payment_status: 'CANCELED' });
      expect((await fakePayment(yk, attempt!.provider_payment_id))?.status).toBe('canceled');
      expect(await pushJobs(testDb.db, order.id)).toEqual([]);
    } else {
      expect(row).toMatchObject({ status: 'PENDING', payment_status: 'WAITING_FOR_CAPTURE' });
      expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);
    }
  });
});
