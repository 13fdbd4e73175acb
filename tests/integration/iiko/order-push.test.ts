import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIikoOrderPush } from '~/features/iiko/order-push.server';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { createOrderPushHandler } from '~/features/orders/order-push.server';
import { clearIikoTokenCache } from '~/integrations/iiko/iiko-client.server';
import { reconcilePayments, startPayment } from '~/features/payments/payments.service.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';
import { getLogs, makeDue } from '../jobs/helpers';
import {
  attempts,
  fakePayment,
  orderRow,
  placePaidOrder,
  pushJobs,
  retireWaitingJobs,
  startFakeYooKassa,
  useFakeYooKassaEnv,
  type FakeYooKassa,
} from '../payments/helpers';
import { DISHES, MODIFIERS, SEED, setSetting, startFakeIiko, type FakeIiko } from './helpers';

/**
 * ORDER_PUSH to the fake iiko with a payment held at the fake YooKassa (IK-10, PY-8): accepted →
 * captured and CONFIRMED; refused → hold cancelled and VOIDED.
 */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let iiko: FakeIiko;
let shop: Shop;
const TG = SEED.terminalGroups[0]!.id;

/** Gives the shop's store, products and options the fake iiko's ids. */
async function connect(s: Shop, terminalGroupId: string | null, dishes = DISHES.slice(0, 2)) {
  const db = testDb.db;
  await db
    .updateTable('store')
    .set({ iiko_terminal_group_id: terminalGroupId })
    .where('id', '=', s.store.id)
    .execute();
  await db
    .updateTable('product')
    .set({ iiko_product_id: dishes[0]!.id })
    .where('id', '=', s.cheap.id)
    .execute();
  await db
    .updateTable('product')
    .set({ iiko_product_id: dishes[1]!.id })
    .where('id', '=', s.dear.id)
    .execute();
  const sugar = MODIFIERS.find((m) => m.code === 'SUGAR_50')!;
  await db
    .updateTable('option_group')
    .set({ iiko_group_id: sugar.groupId })
    .where('id', '=', s.sugar.id)
    .execute();
  await db
    .updateTable('option_item')
    .set({ iiko_modifier_id: sugar.id })
    .where('id', '=', s.sugarHalf.id)
    .execute();
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  yk = await startFakeYooKassa();
  await useFakeYooKassaEnv(yk.url);
  iiko = await startFakeIiko();
  shop = await createShop(testDb.db);
  await connect(shop, TG);
  await setSetting(testDb.db, 'iiko.payment_type_id', SEED.paymentTypeId);
});
afterAll(async () => {
  await yk?.stop();
  await iiko?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
  await iiko.control.reset();
  clearIikoTokenCache();
  await retireWaitingJobs(testDb.db);
});

/** A PENDING order whose payment is held (WAITING_FOR_CAPTURE), with its ORDER_PUSH job. */
async function heldOrder(s: Shop = shop) {
  const { member, order } = await placePaidOrder(testDb.db, s);
  await startPayment(testDb.db, yk.client, { order: { orderId: order.id }, memberId: member.id });
  const [attempt] = await attempts(testDb.db, order.id);
  await yk.control.approve(attempt!.provider_payment_id!);
  await reconcilePayments(testDb.db, yk.client, { now: new Date(Date.now() + 3 * 60_000) });
  expect((await orderRow(testDb.db, order.id)).payment_status).toBe('WAITING_FOR_CAPTURE');
  const [job] = await pushJobs(testDb.db, order.id);
  expect(job).toBeDefined();
  return { order, member, jobId: job!.id, providerId: attempt!.provider_payment_id! };
}

function runPush(poll: { pollIntervalMs?: number; pollTimeoutMs?: number } = {}) {
  return runDueJobsOnce(testDb.db, {
    workerId: 'iiko-push-test',
    types: ['ORDER_PUSH'],
    handlers: {
      ORDER_PUSH: createOrderPushHandler({
        paymentsClient: () => yk.client,
        iikoConfigured: () => true,
        pushToIiko: createIikoOrderPush({
          client: () => iiko.client(),
          pollIntervalMs: poll.pollIntervalMs ?? 20,
          pollTimeoutMs: poll.pollTimeoutMs ?? 5_000,
        }),
      }),
    },
  });
}

async function iikoOrderId(orderId: number) {
  const row = await testDb.db
    .selectFrom('order')
    .select('iiko_order_id')
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  return row.iiko_order_id;
}

describe('ORDER_PUSH to iiko', () => {
  it('accepted (InProgress, then Success) → SYNCED, captured, CONFIRMED; the payload follows IK-10', async () => {
    const { order, jobId, providerId } = await heldOrder();
    const [run] = await runPush();
    expect(run!.outcome).toMatchObject({
      ok: true,
      result: { iiko_sync_status: 'SYNCED', payment: 'SUCCEEDED' },
    });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
      iiko_sync_status: 'SYNCED',
    });
    expect((await fakePayment(yk, providerId))?.status).toBe('succeeded');

    const state = await iiko.control.state();
    expect(state.orders).toHaveLength(1);
    const sent = state.orders[0]!;
    expect(sent.id).toBe(await iikoOrderId(order.id));
    expect(sent.terminalGroupId).toBe(TG);
    const sugar = MODIFIERS.find((m) => m.code === 'SUGAR_50')!;
    expect(sent.body).toMatchObject({
      id: sent.id,
      externalNumber: order.order_number,
      orderServiceType: 'DeliveryByClient',
      customer: { type: 'one-time' },
      items: [
        {
          type: 'Product',
          productId: DISHES[0]!.id,
          amount: 1,
          price: 150,
          modifiers: [{ productId: sugar.id, amount: 1, productGroupId: sugar.groupId, price: 0 }],
        },
      ],
      payments: [
        {
          paymentTypeKind: 'External',
          sum: 150,
          paymentTypeId: SEED.paymentTypeId,
          isProcessedExternally: true,
        },
      ],
      externalData: [{ key: 'ctea_order_number', value: order.order_number }],
    });
    expect(sent.body).not.toHaveProperty('discountsInfo');
    expect(typeof sent.body.phone).toBe('string');

    const logs = await getLogs(testDb.db, jobId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ success: true, http_status: 200 });
    expect(logs[0]!.request_summary).toContain('POST /api/1/deliveries/create');
    // the customer's phone never reaches the log
    expect(logs[0]!.request_summary).not.toContain(sent.body.phone as string);
  });

  it('still InProgress after the poll window is retryable; the next attempt meets DuplicatedOrderId and succeeds', async () => {
    const { order, jobId } = await heldOrder();
    await iiko.control.creation(5);
    const [first] = await runPush({ pollIntervalMs: 20, pollTimeoutMs: 30 });
    expect(first!.outcome).toMatchObject({
      ok: false,
      retryable: true,
      errorCode: 'IIKO_IN_PROGRESS',
    });
    expect(await pushJobs(testDb.db, order.id)).toMatchObject([
      { status: 'PENDING', attempt_count: 1 },
    ]);
    expect((await orderRow(testDb.db, order.id)).status).toBe('PENDING');

    await makeDue(testDb.db, jobId);
    const [second] = await runPush({ pollIntervalMs: 20, pollTimeoutMs: 5_000 });
    expect(second!.outcome).toMatchObject({ ok: true, result: { iiko_sync_status: 'SYNCED' } });
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      iiko_sync_status: 'SYNCED',
    });
    const state = await iiko.control.state();
    // one order at iiko; the second create was refused as a duplicate
    expect(state.orders).toHaveLength(1);
    expect(
      state.requests.filter((r) => r.path === '/api/1/deliveries/create').map((r) => r.status),
    ).toEqual([200, 400]);
    expect(await getLogs(testDb.db, jobId)).toHaveLength(2);
  });

  it('a business error (ProductNotFound) → FAILED at once → hold cancelled → VOIDED', async () => {
    const { order, jobId, providerId } = await heldOrder();
    await iiko.control.orderError('ProductNotFound');
    const [run] = await runPush();
    expect(run!.outcome).toMatchObject({
      ok: false,
      retryable: false,
      errorCode: 'ProductNotFound',
    });
    expect(await pushJobs(testDb.db, order.id)).toMatchObject([
      { status: 'FAILED', attempt_count: 1 },
    ]);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'VOIDED',
      iiko_sync_status: 'FAILED',
    });
    const payment = await fakePayment(yk, providerId);
    expect(payment?.status).toBe('canceled');
    const [log] = await getLogs(testDb.db, jobId);
    expect(log).toMatchObject({ success: false, error_code: 'ProductNotFound' });
  });

  it('a business error answered at once (400 InvalidPhone) is not retried either', async () => {
    const { order } = await heldOrder();
    await iiko.control.orderError('InvalidPhone', { sync: true });
    const [run] = await runPush();
    expect(run!.outcome).toMatchObject({ ok: false, retryable: false, errorCode: 'InvalidPhone' });
    expect((await orderRow(testDb.db, order.id)).status).toBe('VOIDED');
  });

  it('IIKO_MAPPING_MISSING before any call when a line has no iiko id', async () => {
    const unmapped = await createShop(testDb.db);
    await connect(unmapped, SEED.terminalGroups[1]!.id, DISHES.slice(2, 4));
    await testDb.db
      .updateTable('option_item')
      .set({ iiko_modifier_id: null })
      .where('id', '=', unmapped.sugarHalf.id)
      .execute();
    const { order, providerId } = await heldOrder(unmapped);
    const [run] = await runPush();
    expect(run!.outcome).toMatchObject({
      ok: false,
      retryable: false,
      errorCode: 'IIKO_MAPPING_MISSING',
    });
    const state = await iiko.control.state();
    expect(state.requests.filter((r) => r.path.startsWith('/api/1/deliveries'))).toEqual([]);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'VOIDED',
      iiko_sync_status: 'FAILED',
    });
    expect((await fakePayment(yk, providerId))?.status).toBe('canceled');
  });
});
