import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action as webhookAction } from '~/routes/webhooks.yookassa';
import { captureOrderPayment, startPayment } from '~/features/payments/payments.service.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';
import {
  attempts,
  fakePayment,
  orderRow,
  placePaidOrder,
  pushJobs,
  retireWaitingJobs,
  runOrderPush,
  runOrderPushJobs,
  startFakeYooKassa,
  startNotificationReceiver,
  useFakeYooKassaEnv,
  waitFor,
  type FakeYooKassa,
} from './helpers';

/**
 * The payment of an order end to end over real HTTP: the fake YooKassa process, its notifications
 * delivered to the webhook route, the ORDER_PUSH job and the capture (PY-3 … PY-8, IK-10).
 */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  receiver = await startNotificationReceiver((request, clientIp) =>
    webhookAction({
      request,
      params: {},
      context: { db: testDb.db, requestId: 'webhook-test', clientIp },
    }),
  );
  yk = await startFakeYooKassa({ notifyUrl: receiver.url });
  await useFakeYooKassaEnv(yk.url);
  shop = await createShop(testDb.db);
  await testDb.db
    .updateTable('store')
    .set({ telegram_chat_id: '-100200300' })
    .where('id', '=', shop.store.id)
    .execute();
});
afterAll(async () => {
  await yk?.stop();
  await receiver?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
  await retireWaitingJobs(testDb.db);
});

async function pay(order: { id: number }, memberId: number) {
  return startPayment(testDb.db, yk.client, { order: { orderId: order.id }, memberId });
}

async function providerIdOf(orderId: number, attemptNo = 1) {
  return (await attempts(testDb.db, orderId)).find((a) => a.attempt_no === attemptNo)!
    .provider_payment_id!;
}

describe('paying an order', () => {
  it('create → approve → hold → ORDER_PUSH → capture → CONFIRMED (store without iiko: SKIPPED)', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const started = await pay(order, member.id);
    expect(started.kind).toBe('redirect');
    if (started.kind !== 'redirect') return;
    const [attempt] = await attempts(testDb.db, order.id);
    expect(attempt).toMatchObject({
      attempt_no: 1,
      status: 'PENDING',
      idempotence_key: `ctea-${order.id}-create-1`,
      confirmation_url: started.url,
    });
    expect(started.url).toBe(`${yk.url}/checkout/${attempt!.provider_payment_id}`);
    const atProvider = await fakePayment(yk, attempt!.provider_payment_id);
    expect(atProvider).toMatchObject({
      status: 'pending',
      amount: { value: '150.00', currency: 'RUB' },
      metadata: { order_id: String(order.id), order_number: order.order_number },
    });

    // the payer approves on the provider's page; its notification reaches the webhook
    const page = await fetch(`${started.url}/approve`, { method: 'POST', redirect: 'manual' });
    expect(page.headers.get('location')).toBe(`http://shop.test/o/${order.public_token}`);
    await waitFor(
      async () => (await orderRow(testDb.db, order.id)).payment_status === 'WAITING_FOR_CAPTURE',
      {
        what: 'the hold to be applied',
      },
    );
    const [held] = await attempts(testDb.db, order.id);
    expect(held).toMatchObject({ status: 'WAITING_FOR_CAPTURE' });
    expect(held!.authorized_at).toBeInstanceOf(Date);
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);

    const runs = await runOrderPushJobs(testDb, yk.client);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.outcome).toMatchObject({
      ok: true,
      result: { iiko_sync_status: 'SKIPPED', payment: 'SUCCEEDED' },
    });

    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
      iiko_sync_status: 'SKIPPED',
    });
    const [captured] = await attempts(testDb.db, order.id);
    expect(captured).toMatchObject({ status: 'SUCCEEDED' });
    expect(captured!.captured_at).toBeInstanceOf(Date);
    const state = await yk.control.state();
    expect(state.payments.find((p) => p.id === captured!.provider_payment_id)?.status).toBe(
      'succeeded',
    );
    expect(state.requests.find((r) => r.endpoint === 'payments.capture')?.idempotence_key).toBe(
      `ctea-${order.id}-capture-${captured!.id}`,
    );

    const newOrder = await testDb.db
      .selectFrom('notification')
      .select('dedupe_key')
      .where('order_id', '=', order.id)
      .where('type', '=', 'NEW_ORDER')
      .execute();
    expect(newOrder).toEqual([{ dedupe_key: `new_order:${order.id}` }]);

    // the provider's own payment.succeeded notification changes nothing more
    await waitFor(async () =>
      (await yk.control.state()).notifications.some(
        (n) => n.event === 'payment.succeeded' && n.delivered,
      ),
    );
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);

    // paying again leads back to the order page
    expect(await pay(order, member.id)).toEqual({
      kind: 'settled',
      publicToken: order.public_token,
    });
  });

  it('decline → attempt CANCELED (insufficient_funds), order FAILED → pay again opens attempt 2', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const first = await pay(order, member.id);
    expect(first.kind).toBe('redirect');
    await fetch(`${(first as { url: string }).url}/decline`, {
      method: 'POST',
      body: new URLSearchParams({ reason: 'insufficient_funds' }),
      redirect: 'manual',
    });
    await waitFor(async () => (await orderRow(testDb.db, order.id)).payment_status === 'FAILED', {
      what: 'the decline to be applied',
    });
    expect((await attempts(testDb.db, order.id))[0]).toMatchObject({
      status: 'CANCELED',
      failure_code: 'insufficient_funds',
      failure_party: 'payment_network',
      authorized_at: null,
    });
    expect((await orderRow(testDb.db, order.id)).status).toBe('PENDING');

    const second = await pay(order, member.id);
    expect(second.kind).toBe('redirect');
    const all = await attempts(testDb.db, order.id);
    expect(all.map((a) => [a.attempt_no, a.status, a.idempotence_key])).toEqual([
      [1, 'CANCELED', `ctea-${order.id}-create-1`],
      [2, 'PENDING', `ctea-${order.id}-create-2`],
    ]);
    expect(all[1]!.provider_payment_id).not.toBe(all[0]!.provider_payment_id);
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('PENDING');
    expect((await yk.control.state()).payments).toHaveLength(2);
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(0);
  });

  it('a 500 from the provider is retried with the same Idempotence-Key: one payment at the provider', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await yk.control.fault('payments.create', 'error');
    expect(await pay(order, member.id)).toEqual({
      kind: 'unavailable',
      publicToken: order.public_token,
    });
    expect((await attempts(testDb.db, order.id))[0]).toMatchObject({
      status: 'PENDING',
      provider_payment_id: null,
    });

    // the answer was lost after the provider created it: the retry must not create another
    await yk.control.fault('payments.create', 'error_after');
    expect((await pay(order, member.id)).kind).toBe('unavailable');
    const retried = await pay(order, member.id);
    expect(retried.kind).toBe('redirect');

    const state = await yk.control.state();
    expect(state.payments).toHaveLength(1);
    const creates = state.requests.filter((r) => r.endpoint === 'payments.create');
    expect(creates.map((r) => [r.status, r.idempotence_key, r.replayed])).toEqual([
      [500, `ctea-${order.id}-create-1`, false],
      [500, `ctea-${order.id}-create-1`, false],
      [200, `ctea-${order.id}-create-1`, true],
    ]);
    expect(await attempts(testDb.db, order.id)).toHaveLength(1);
  });

  it('a provider refusal (4xx) fails the attempt with its code', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await yk.control.fault('payments.create', 'reject');
    expect(await pay(order, member.id)).toEqual({
      kind: 'rejected',
      publicToken: order.public_token,
      code: 'invalid_request',
    });
    expect((await attempts(testDb.db, order.id))[0]).toMatchObject({
      status: 'FAILED',
      failure_code: 'invalid_request',
    });
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('FAILED');
    expect((await pay(order, member.id)).kind).toBe('redirect');
    expect((await attempts(testDb.db, order.id)).map((a) => a.status)).toEqual([
      'FAILED',
      'PENDING',
    ]);
  });

  it('someone else’s order is not found, and a second click reuses the live attempt', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const { member: stranger } = await placePaidOrder(testDb.db, shop);
    expect(await pay(order, stranger.id)).toEqual({ kind: 'not_found' });
    const [a, b] = await Promise.all([pay(order, member.id), pay(order, member.id)]);
    expect(a).toEqual(b);
    expect(await attempts(testDb.db, order.id)).toHaveLength(1);
    expect((await yk.control.state()).payments).toHaveLength(1);
  });

  it('a capture that ends canceled (expired_on_capture) cancels the order and releases it', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await pay(order, member.id);
    await yk.control.approve(await providerIdOf(order.id));
    await waitFor(
      async () => (await orderRow(testDb.db, order.id)).payment_status === 'WAITING_FOR_CAPTURE',
    );
    await yk.control.fault('payments.capture', 'expire');
    const run = await runOrderPush(testDb, yk.client, order.id);
    expect(run.outcome).toMatchObject({ ok: true, result: { payment: 'CANCELED' } });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'CANCELED',
      cancel_reason: 'expired_on_capture',
    });
    expect((await attempts(testDb.db, order.id))[0]).toMatchObject({
      status: 'CANCELED',
      failure_code: 'expired_on_capture',
    });
  });

  it('ORDER_PUSH refused by the POS → hold cancelled (canceled_by_merchant) → order VOIDED', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await testDb.db
      .updateTable('store')
      .set({ iiko_terminal_group_id: sql<string>`gen_random_uuid()` })
      .where('id', '=', shop.store.id)
      .execute();
    try {
      await pay(order, member.id);
      await yk.control.approve(await providerIdOf(order.id));
      await waitFor(
        async () => (await orderRow(testDb.db, order.id)).payment_status === 'WAITING_FOR_CAPTURE',
      );
      const run = await runOrderPush(testDb, yk.client, order.id, {
        iikoConfigured: true,
        pushToIiko: async () => ({
          accepted: false,
          retryable: false,
          errorCode: 'ProductNotFound',
          message: 'product is not in the iiko menu',
        }),
      });
      expect(run.outcome).toMatchObject({ ok: false, errorCode: 'ProductNotFound' });
      expect((await pushJobs(testDb.db, order.id))[0]!.status).toBe('FAILED');
      expect(await orderRow(testDb.db, order.id)).toMatchObject({
        status: 'VOIDED',
        payment_status: 'CANCELED',
        iiko_sync_status: 'FAILED',
      });
      const [attempt] = await attempts(testDb.db, order.id);
      expect(attempt).toMatchObject({
        status: 'CANCELED',
        failure_code: 'canceled_by_merchant',
        failure_party: 'merchant',
      });
      expect((await fakePayment(yk, attempt!.provider_payment_id))?.status).toBe('canceled');
      const cancelKey = (await yk.control.state()).requests.find(
        (r) => r.endpoint === 'payments.cancel',
      )?.idempotence_key;
      expect(cancelKey).toBe(`ctea-${order.id}-cancel-${attempt!.id}`);
    } finally {
      await testDb.db
        .updateTable('store')
        .set({ iiko_terminal_group_id: null })
        .where('id', '=', shop.store.id)
        .execute();
    }
  });

  it('a free (points) order is confirmed by ORDER_PUSH without the gateway', async () => {
    const { createMember } = await import('../../factories');
    const { checkout, pickupBody } = await import('../../support/checkout');
    const member = await createMember(testDb.db, { available_points_balance: 100_000 });
    const placed = await checkout(
      testDb.db,
      member.id,
      pickupBody(shop, [{ product: 'cheap' }], { use_points: true }),
    );
    if (!('order' in placed.body)) throw new Error(JSON.stringify(placed.body));
    const order = placed.body.order;
    expect(order.payment_status).toBe('NOT_REQUIRED');
    const run = await runOrderPush(testDb, null, order.id);
    expect(run.outcome).toMatchObject({ ok: true, result: { payment: 'CONFIRMED' } });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'NOT_REQUIRED',
      iiko_sync_status: 'SKIPPED',
    });
    expect(await attempts(testDb.db, order.id)).toEqual([]);
    expect((await yk.control.state()).requests).toEqual([]);
  });

  it('capturing twice never captures twice (the key and the monotonic update)', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    await pay(order, member.id);
    await yk.control.approve(await providerIdOf(order.id));
    await waitFor(
      async () => (await orderRow(testDb.db, order.id)).payment_status === 'WAITING_FOR_CAPTURE',
    );
    await testDb.db
      .updateTable('order')
      .set({ iiko_sync_status: 'SKIPPED' })
      .where('id', '=', order.id)
      .execute();
    const results = await Promise.all([
      captureOrderPayment(testDb.db, yk.client, order.id),
      captureOrderPayment(testDb.db, yk.client, order.id),
    ]);
    expect(results.map((r) => r.result).sort()).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select('after')
      .where('entity_type', '=', 'order')
      .where('entity_id', '=', String(order.id))
      .where('action', '=', 'order.status')
      .execute();
    expect(audit).toHaveLength(1);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
  });
});
