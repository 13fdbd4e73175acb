import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  paymentFailureCounts,
  failureRate,
} from '../../../app/features/dashboards/payment-outcome.server';
import { paymentsDashboard } from '../../../app/features/dashboards/payments.server';
import { createOrder, createPaymentTransaction, createStore } from '../../factories';
import type { Overrides } from '../../factories/support';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * DA-1: the classification of PAYMENT attempts (succeeded = authorised; failed = FAILED or
 * CANCELED without authorisation except expired_on_confirmation; abandoned apart), the rate with
 * no value on an empty denominator, Moscow buckets, the store filter, failure reasons, and the
 * hourly rollup following later status changes.
 */

let testDb: TestDatabase;
// read right after writing: no refresh is skipped as recent
const FRESH = { maxStalenessMs: 0 };
let storeA: number;
let storeB: number;

// 2026-11-01 00:00 Moscow = 2026-10-31T21:00Z; the range covers two Moscow days
const FROM = new Date('2026-10-31T21:00:00Z');
const TO = new Date('2026-11-02T21:00:00Z');
const AT = new Date('2026-11-01T09:15:00Z');

async function attempt(storeId: number, overrides: Overrides<'payment_transaction'>) {
  const order = await createOrder(testDb.db, { store_id: storeId });
  return createPaymentTransaction(testDb.db, order, { created_at: AT, ...overrides });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  storeA = (await createStore(testDb.db)).id;
  storeB = (await createStore(testDb.db)).id;
  const held = new Date(AT.getTime() + 30_000);
  // store A: 2 failed, 3 succeeded, 1 abandoned, 1 pending, plus a refund row
  await attempt(storeA, { status: 'FAILED', failure_code: 'invalid_request' });
  await attempt(storeA, { status: 'CANCELED', failure_code: 'insufficient_funds' });
  await attempt(storeA, { status: 'CANCELED', failure_code: 'expired_on_confirmation' });
  await attempt(storeA, { status: 'SUCCEEDED', authorized_at: held, captured_at: held });
  await attempt(storeA, { status: 'WAITING_FOR_CAPTURE', authorized_at: held });
  // a hold released later (void, capture refused) is not a failed payment attempt
  await attempt(storeA, {
    status: 'CANCELED',
    authorized_at: held,
    failure_code: 'canceled_by_merchant',
  });
  await attempt(storeA, { status: 'PENDING' });
  const paid = await attempt(storeA, {
    status: 'SUCCEEDED',
    authorized_at: held,
    captured_at: held,
    attempt_no: 2,
  });
  await createPaymentTransaction(
    testDb.db,
    { id: paid.order_id, store_id: storeA, final_amount: paid.amount },
    { kind: 'REFUND', parent_id: paid.id, status: 'FAILED', created_at: AT },
  );
  // store B: one failure without a code
  await attempt(storeB, { status: 'CANCELED' });
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('paymentFailureCounts (DA-1)', () => {
  it('classifies the attempts and leaves abandoned, pending and refund rows out of the rate', async () => {
    const counts = await paymentFailureCounts(testDb.db, { from: FROM, to: TO, storeId: storeA });
    expect(counts).toEqual({ failed: 2, succeeded: 4, abandoned: 1, rate: 2 / 6 });
  });

  it('counts a CANCELED attempt without code as failed, and filters by store and provider', async () => {
    expect(await paymentFailureCounts(testDb.db, { from: FROM, to: TO, storeId: storeB })).toEqual({
      failed: 1,
      succeeded: 0,
      abandoned: 0,
      rate: 1,
    });
    const all = await paymentFailureCounts(testDb.db, { from: FROM, to: TO, provider: 'YOOKASSA' });
    expect(all).toMatchObject({ failed: 3, succeeded: 4, abandoned: 1 });
  });

  it('has no rate when nothing failed or succeeded, and counts [from, to) by created_at', async () => {
    expect(failureRate(0, 0)).toBeNull();
    const empty = await paymentFailureCounts(testDb.db, {
      from: new Date('2026-10-01T00:00:00Z'),
      to: new Date('2026-10-02T00:00:00Z'),
    });
    expect(empty).toEqual({ failed: 0, succeeded: 0, abandoned: 0, rate: null });
    // to is exclusive
    const before = await paymentFailureCounts(testDb.db, { from: FROM, to: AT, storeId: storeA });
    expect(before.failed + before.succeeded + before.abandoned).toBe(0);
  });
});

describe('paymentsDashboard', () => {
  it('gives totals, reasons and the alert state of the range', async () => {
    const d = await paymentsDashboard(testDb.db, { from: FROM, to: TO, bucket: 'day' }, FRESH);
    expect(d.totals).toEqual({ failed: 3, succeeded: 4, abandoned: 1, rate: 3 / 7 });
    expect(d.reasons).toEqual([
      { code: null, count: 1 },
      { code: 'insufficient_funds', count: 1 },
      { code: 'invalid_request', count: 1 },
    ]);
    expect(d.alert).toMatchObject({ rule: 'payment_failure_rate', severity: 'P0' });
  });

  it('buckets by Moscow hour and day', async () => {
    const store = (await createStore(testDb.db)).id;
    // 23:30 Moscow on 1 November and 00:30 Moscow on 2 November
    await attempt(store, { status: 'FAILED', created_at: new Date('2026-11-01T20:30:00Z') });
    await attempt(store, { status: 'FAILED', created_at: new Date('2026-11-01T21:30:00Z') });
    const days = await paymentsDashboard(
      testDb.db,
      {
        from: FROM,
        to: TO,
        bucket: 'day',
        storeId: store,
      },
      FRESH,
    );
    expect(days.buckets.map((b) => [b.start, b.failed])).toEqual([
      ['2026-10-31T21:00:00.000Z', 1],
      ['2026-11-01T21:00:00.000Z', 1],
    ]);
    const hours = await paymentsDashboard(
      testDb.db,
      {
        from: FROM,
        to: TO,
        bucket: 'hour',
        storeId: store,
      },
      FRESH,
    );
    expect(hours.buckets.map((b) => [b.start, b.failed, b.rate])).toEqual([
      ['2026-11-01T20:00:00.000Z', 1, 1],
      ['2026-11-01T21:00:00.000Z', 1, 1],
    ]);
  });

  it('follows a later status change of an attempt', async () => {
    const store = (await createStore(testDb.db)).id;
    const row = await attempt(store, { status: 'PENDING' });
    const first = await paymentsDashboard(
      testDb.db,
      {
        from: FROM,
        to: TO,
        bucket: 'day',
        storeId: store,
      },
      FRESH,
    );
    expect(first.totals).toEqual({ failed: 0, succeeded: 0, abandoned: 0, rate: null });
    // the data layer stamps updated_at on every UPDATE (C-2)
    await sql`
      update payment_transaction
      set status = 'CANCELED', failure_code = 'card_expired', canceled_at = now(), updated_at = now()
      where id = ${row.id}
    `.execute(testDb.db);
    const second = await paymentsDashboard(
      testDb.db,
      {
        from: FROM,
        to: TO,
        bucket: 'day',
        storeId: store,
      },
      FRESH,
    );
    expect(second.totals).toEqual({ failed: 1, succeeded: 0, abandoned: 0, rate: 1 });
    expect(second.reasons).toEqual([{ code: 'card_expired', count: 1 }]);
  });

  it('does not repeat a refresh younger than the allowed staleness', async () => {
    const store = (await createStore(testDb.db)).id;
    const filter = { from: FROM, to: TO, bucket: 'day' as const, storeId: store };
    await paymentsDashboard(testDb.db, filter, FRESH);
    await attempt(store, { status: 'FAILED' });
    const cached = await paymentsDashboard(testDb.db, filter, { maxStalenessMs: 3_600_000 });
    expect(cached.totals.failed).toBe(0);
    const fresh = await paymentsDashboard(testDb.db, filter, FRESH);
    expect(fresh.totals.failed).toBe(1);
  });
});
