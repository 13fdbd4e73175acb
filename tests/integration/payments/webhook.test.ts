import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '~/routes/webhooks.yookassa';
import { startPayment } from '~/features/payments/payments.service.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';
import {
  attempts,
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
 * POST /webhooks/yookassa (PY-6, PY-7): allowlisted sources only, the body is a hint that is
 * re-fetched, amounts must match, unknown ids are acknowledged, duplicates and stale deliveries
 * change nothing. The fake sends no notifications here: the tests deliver them.
 */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  yk = await startFakeYooKassa();
  await useFakeYooKassaEnv(yk.url, '127.0.0.1/32');
  shop = await createShop(testDb.db);
  await testDb.db
    .updateTable('store')
    .set({ telegram_chat_id: '-100999' })
    .where('id', '=', shop.store.id)
    .execute();
});
afterAll(async () => {
  await yk?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
  await retireWaitingJobs(testDb.db);
});

function deliver(body: unknown, clientIp: string | null = '127.0.0.1') {
  return action({
    request: new Request('http://localhost:3000/webhooks/yookassa', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    params: {},
    context: { db: testDb.db, requestId: `wh-${crypto.randomUUID()}`, clientIp },
  });
}

const notification = (event: string, id: string, status = event.split('.')[1]) => ({
  type: 'notification',
  event,
  object: { id, status, amount: { value: '150.00', currency: 'RUB' } },
});

/** An order whose attempt 1 exists at the provider and was approved there (a hold). */
async function heldAtProvider() {
  const { member, order } = await placePaidOrder(testDb.db, shop);
  const started = await startPayment(testDb.db, yk.client, {
    order: { orderId: order.id },
    memberId: member.id,
  });
  expect(started.kind).toBe('redirect');
  const [attempt] = await attempts(testDb.db, order.id);
  await yk.control.approve(attempt!.provider_payment_id!);
  return { order, providerId: attempt!.provider_payment_id! };
}

const countNewOrder = async (orderId: number) =>
  (
    await testDb.db
      .selectFrom('notification')
      .select('id')
      .where('order_id', '=', orderId)
      .where('type', '=', 'NEW_ORDER')
      .execute()
  ).length;

const statusAudits = async (orderId: number) =>
  testDb.db
    .selectFrom('audit_log')
    .select('after')
    .where('entity_type', '=', 'order')
    .where('entity_id', '=', String(orderId))
    .where('action', '=', 'order.status')
    .execute();

describe('YooKassa notifications', () => {
  it('refuses a source outside the allowlist with 403 and changes nothing', async () => {
    const { order, providerId } = await heldAtProvider();
    for (const ip of ['203.0.113.7', '185.71.76.1', null]) {
      const res = await deliver(notification('payment.waiting_for_capture', providerId), ip);
      expect(res.status, String(ip)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect((await attempts(testDb.db, order.id))[0]!.status).toBe('PENDING');
    expect(await orderRow(testDb.db, order.id)).toMatchObject({ payment_status: 'PENDING' });
    expect(await pushJobs(testDb.db, order.id)).toEqual([]);
    expect(
      (await yk.control.state()).requests.filter((r) => r.endpoint === 'payments.get'),
    ).toEqual([]);
  });

  it('5 concurrent deliveries plus a stale one after the capture: one transition, one job, one NEW_ORDER', async () => {
    const { order, providerId } = await heldAtProvider();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        deliver(notification('payment.waiting_for_capture', providerId)),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const outcomes = await Promise.all(
      responses.map(async (r) => ((await r.json()) as { outcome: string }).outcome),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(4);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'PENDING',
      payment_status: 'WAITING_FOR_CAPTURE',
    });
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);

    const run = await runOrderPush(testDb, yk.client, order.id);
    expect(run.outcome.ok).toBe(true);
    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });

    // a late copy of the hold notification: the re-fetch says succeeded, nothing moves back
    const stale = await deliver(
      notification('payment.waiting_for_capture', providerId, 'waiting_for_capture'),
    );
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ outcome: 'unchanged' });
    const again = await Promise.all(
      Array.from({ length: 3 }, () => deliver(notification('payment.succeeded', providerId))),
    );
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);

    expect(await orderRow(testDb.db, order.id)).toMatchObject({
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    expect((await attempts(testDb.db, order.id))[0]!.status).toBe('SUCCEEDED');
    expect(await pushJobs(testDb.db, order.id)).toHaveLength(1);
    expect(await countNewOrder(order.id)).toBe(1);
    expect(await statusAudits(order.id)).toHaveLength(1);
  });

  it('ignores an object whose amount differs from the attempt (200, nothing changes)', async () => {
    const { order } = await placePaidOrder(testDb.db, shop);
    // a real provider payment of another amount, pointed at by this attempt
    const other = await yk.client.createPayment(
      { amountKopecks: 100, returnUrl: 'http://shop.test/x', description: 'x', metadata: {} },
      `other-${order.id}`,
    );
    if (!other.ok) throw new Error('create failed');
    await yk.control.approve(other.object.id);
    await testDb.db
      .updateTable('payment_transaction')
      .set({ provider_payment_id: other.object.id })
      .where('order_id', '=', order.id)
      .execute();
    const res = await deliver(notification('payment.waiting_for_capture', other.object.id));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'ignored' });
    expect((await attempts(testDb.db, order.id))[0]!.status).toBe('PENDING');
    expect(await orderRow(testDb.db, order.id)).toMatchObject({ payment_status: 'PENDING' });
    expect(await pushJobs(testDb.db, order.id)).toEqual([]);
  });

  it('acknowledges unknown ids and kinds (200) without asking the provider', async () => {
    for (const body of [
      notification('payment.succeeded', crypto.randomUUID()),
      notification('refund.succeeded', crypto.randomUUID()),
      { type: 'notification', event: 'payout.succeeded', object: { id: 'po-1' } },
    ]) {
      const res = await deliver(body);
      expect(res.status).toBe(200);
    }
    expect((await yk.control.state()).requests).toEqual([]);
  });

  it('answers 503 when the re-fetch fails, so the provider delivers again', async () => {
    const { order, providerId } = await heldAtProvider();
    await yk.control.fault('payments.get', 'error');
    const res = await deliver(notification('payment.waiting_for_capture', providerId));
    expect(res.status).toBe(503);
    expect((await attempts(testDb.db, order.id))[0]!.status).toBe('PENDING');
    const retry = await deliver(notification('payment.waiting_for_capture', providerId));
    expect(retry.status).toBe(200);
    expect((await attempts(testDb.db, order.id))[0]!.status).toBe('WAITING_FOR_CAPTURE');
  });

  it('answers 400 to a body that is not a notification, never 500', async () => {
    for (const body of [
      '{not json',
      '[]',
      { type: 'notification' },
      { event: 'payment.succeeded', object: {} },
      'null',
    ]) {
      const res = await deliver(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('accepts only POST', async () => {
    expect(loader().status).toBe(405);
  });
});
