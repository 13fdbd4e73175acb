import crypto from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '~/features/checkout/place-order.service.server';
import { quoteCheckout } from '~/features/checkout/pricing.server';
import type { CheckoutBody } from '~/features/checkout/checkout.schema';
import { transitionOrder } from '~/features/orders/lifecycle.service.server';
import type { OrderStatus } from '~/features/orders/order-status';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { toDecimal } from '~/utils/money';
import { createCouponInstance, createCouponTemplate, createMember } from '../../factories';
import {
  handleYooKassaNotification,
  startPayment,
} from '~/features/payments/payments.service.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, pickupBody, type Shop } from '../../support/checkout';
import { runOrderPushJobs, startFakeYooKassa, type FakeYooKassa } from '../payments/helpers';

/**
 * Random sequences of checkouts (plain, coupon or points), payments approved or declined at the
 * fake YooKassa with duplicated and stale notifications, cancels, completions, refunds and
 * replayed transitions, with the ledger and coupon invariants checked after every step:
 * balance = Σ ledger ≥ 0 (PT-10), never a coupon and points on one order (PT-6), coupon use within
 * the template's limits (CP-8).
 */

let testDb: TestDatabase;
let shop: Shop;
let yk: FakeYooKassa;

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb.db);
  yk = await startFakeYooKassa();
});
afterAll(async () => {
  await yk?.stop();
  await testDb?.destroy();
});

/** A YooKassa notification as the provider would send it (the handler re-fetches the object). */
const notification = (event: string, id: string) => ({
  type: 'notification',
  event,
  object: { id, status: event.split('.')[1], amount: { value: '1.00', currency: 'RUB' } },
});

type Step =
  | {
      kind: 'order';
      member: number;
      pay: 'plain' | 'coupon' | 'points';
      cups: number;
      dear: boolean;
    }
  | { kind: 'cancel' | 'complete' | 'refund' | 'void'; pick: number }
  | { kind: 'replay'; pick: number }
  | { kind: 'pay'; pick: number; approve: boolean }
  | { kind: 'stale'; pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      member: fc.nat({ max: 2 }),
      pay: fc.constantFrom('plain' as const, 'coupon' as const, 'points' as const),
      cups: fc.integer({ min: 1, max: 3 }),
      dear: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'cancel' as const,
        'complete' as const,
        'refund' as const,
        'void' as const,
      ),
      pick: fc.nat({ max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat({ max: 50 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      pick: fc.nat({ max: 50 }),
      approve: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('stale' as const), pick: fc.nat({ max: 50 }) }),
  },
);

async function checkInvariants(
  memberIds: number[],
  templateId: number,
  maxTotal: number,
  maxPerUser: number,
) {
  for (const memberId of memberIds) {
    const row = await testDb.db
      .selectFrom('member as m')
      .select([
        'm.available_points_balance',
        sql<string>`(select coalesce(sum(delta), 0) from member_points_history h where h.member_id = m.id)`.as(
          'sum',
        ),
        sql<
          number | null
        >`(select balance_after from member_points_history h where h.member_id = m.id order by id desc limit 1)`.as(
          'last',
        ),
      ])
      .where('m.id', '=', memberId)
      .executeTakeFirstOrThrow();
    expect(row.available_points_balance).toBeGreaterThanOrEqual(0);
    expect(Number(row.sum)).toBe(row.available_points_balance);
    if (row.last !== null) expect(row.last).toBe(row.available_points_balance);
  }
  const both = await testDb.db
    .selectFrom('order')
    .select('id')
    .where('points_used', '>', 0)
    .where('coupon_instance_id', 'is not', null)
    .execute();
  expect(both).toEqual([]);
  const t = await testDb.db
    .selectFrom('coupon_template')
    .select([
      'current_usage_count',
      sql<string>`(select count(*) from coupon_instance i where i.template_id = coupon_template.id and i.status = 'USED')`.as(
        'used',
      ),
    ])
    .where('id', '=', templateId)
    .executeTakeFirstOrThrow();
  expect(t.current_usage_count).toBeLessThanOrEqual(maxTotal);
  expect(Number(t.used)).toBeLessThanOrEqual(t.current_usage_count);
  const perMember = await testDb.db
    .selectFrom('coupon_instance')
    .select(['member_id', sql<string>`count(*)`.as('n')])
    .where('template_id', '=', templateId)
    .where('status', '=', 'USED')
    .groupBy('member_id')
    .execute();
  for (const m of perMember) expect(Number(m.n)).toBeLessThanOrEqual(maxPerUser);
}

async function liveAttempt(orderId: number, anyStatus = false) {
  let q = testDb.db
    .selectFrom('payment_transaction')
    .select(['id', 'provider_payment_id', 'status'])
    .where('order_id', '=', orderId)
    .where('kind', '=', 'PAYMENT')
    .orderBy('attempt_no', 'desc');
  if (!anyStatus) q = q.where('status', '=', 'PENDING');
  return q.executeTakeFirst();
}

async function orderState(orderId: number) {
  return testDb.db
    .selectFrom('order')
    .select(['status', 'payment_status'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
}

describe('ordering invariants under random sequences', () => {
  it('hold after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (steps) => {
        const maxTotal = 3;
        const maxPerUser = 2;
        const template = await createCouponTemplate(testDb.db, {
          max_total_usage: maxTotal,
          max_usage_per_user: maxPerUser,
        });
        const members = await Promise.all([0, 1, 2].map(() => createMember(testDb.db)));
        for (const m of members) {
          await testDb.db.transaction().execute((trx) =>
            applyPointsChange(trx, {
              memberId: m.id,
              delta: 60_000,
              reason: 'SIGNUP_BONUS',
              idempotencyKey: `signup_bonus:${m.phone}`,
            }),
          );
          for (let i = 0; i < 3; i++)
            await createCouponInstance(testDb.db, { template_id: template.id, member_id: m.id });
        }
        const orders: { id: number }[] = [];
        const memberIds = members.map((m) => m.id);

        for (const step of steps) {
          if (step.kind === 'order') {
            const member = members[step.member]!;
            const coupon =
              step.pay === 'coupon'
                ? await testDb.db
                    .selectFrom('coupon_instance')
                    .select('id')
                    .where('member_id', '=', member.id)
                    .where('status', '=', 'UNUSED')
                    .executeTakeFirst()
                : undefined;
            const body = pickupBody(
              shop,
              [{ product: step.dear ? 'dear' : 'cheap', quantity: step.cups }],
              {
                use_points: step.pay === 'points',
                coupon_instance_id: coupon?.id ?? null,
              },
            );
            const quote = await quoteCheckout(testDb.db, {
              memberId: member.id,
              body: body as CheckoutBody,
              lang: 'ru',
            });
            const result = await placeOrder(testDb.db, {
              memberId: member.id,
              body: { ...body, expected_final_amount: toDecimal(quote.finalKopecks) },
              idempotencyKey: crypto.randomUUID(),
            });
            expect(result.status).toBeLessThan(500);
            if ('order' in result.body) orders.push({ id: result.body.order.id });
          } else if (orders.length > 0) {
            const order = orders[step.pick % orders.length]!;
            const current = await testDb.db
              .selectFrom('order')
              .select(['status', 'payment_status'])
              .where('id', '=', order.id)
              .executeTakeFirstOrThrow();
            const status = current.status as OrderStatus;
            const go = (from: OrderStatus[], to: OrderStatus) =>
              testDb.db
                .transaction()
                .execute((trx) =>
                  transitionOrder(trx, { orderId: order.id, from, to, actor: { type: 'SYSTEM' } }),
                );
            if (
              step.kind === 'pay' &&
              status === 'PENDING' &&
              current.payment_status === 'PENDING'
            ) {
              const member = await testDb.db
                .selectFrom('order')
                .select('member_id')
                .where('id', '=', order.id)
                .executeTakeFirstOrThrow();
              const started = await startPayment(testDb.db, yk.client, {
                order: { orderId: order.id },
                memberId: member.member_id!,
              });
              expect(started.kind).not.toBe('not_found');
              const tx = await liveAttempt(order.id);
              if (tx?.provider_payment_id) {
                const id = tx.provider_payment_id;
                if (step.approve) await yk.control.approve(id);
                else await yk.control.decline(id);
                const event = step.approve ? 'payment.waiting_for_capture' : 'payment.canceled';
                // the provider delivers the notification three times at once
                const outcomes = await Promise.all(
                  [0, 1, 2].map(() =>
                    handleYooKassaNotification(testDb.db, yk.client, notification(event, id)),
                  ),
                );
                expect(outcomes.every((o) => o.status === 200)).toBe(true);
                await runOrderPushJobs(testDb, yk.client);
                const jobs = await testDb.db
                  .selectFrom('iiko_sync_job')
                  .select('id')
                  .where('resource_id', '=', `order:${order.id}`)
                  .execute();
                expect(jobs.length).toBe(step.approve ? 1 : 0);
              }
            }
            if (step.kind === 'stale') {
              const tx = await liveAttempt(order.id, true);
              if (tx?.provider_payment_id) {
                const before = await orderState(order.id);
                await handleYooKassaNotification(
                  testDb.db,
                  yk.client,
                  notification('payment.waiting_for_capture', tx.provider_payment_id),
                );
                await runOrderPushJobs(testDb, yk.client);
                // a stale or repeated notification never moves an order backwards
                expect(await orderState(order.id)).toEqual(before);
              }
            }
            if (step.kind === 'cancel' && (status === 'PENDING' || status === 'CONFIRMED'))
              await go([status], 'CANCELLED');
            if (step.kind === 'void' && status === 'PENDING') await go(['PENDING'], 'VOIDED');
            if (step.kind === 'complete' && status === 'PENDING') {
              await go(['PENDING'], 'CONFIRMED');
              await go(['CONFIRMED'], 'COMPLETED');
            }
            if (step.kind === 'refund' && status === 'COMPLETED')
              await go(['COMPLETED'], 'REFUNDED');
            // a duplicated or stale event: the same transition again must change nothing
            if (step.kind === 'replay' && status !== 'PENDING') {
              const again =
                status === 'CANCELLED' || status === 'VOIDED' || status === 'REFUNDED'
                  ? await go(['PENDING'], status === 'REFUNDED' ? 'CANCELLED' : status)
                  : status === 'COMPLETED'
                    ? await go(['CONFIRMED'], 'COMPLETED')
                    : false;
              expect(again).toBe(false);
            }
          }
          await checkInvariants(memberIds, template.id, maxTotal, maxPerUser);
        }
      }),
      { numRuns: 25 },
    );
    // the runs really went through the payment paths, not only around them
    const reached = await testDb.db
      .selectFrom('order')
      .select(['payment_status', sql<string>`count(*)`.as('n')])
      .groupBy('payment_status')
      .execute();
    const seen = new Set(reached.map((r) => r.payment_status));
    for (const status of ['SUCCEEDED', 'FAILED', 'NOT_REQUIRED']) expect(seen).toContain(status);
  });
});
