import crypto from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { placeOrder, type PlaceOrderResult } from '~/features/checkout/place-order.service.server';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { createCouponInstance, createCouponTemplate, createMember } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  createShop,
  errorCode,
  memberWithCoupon,
  pickupBody,
  type Shop,
} from '../../support/checkout';

/**
 * Checkout under real concurrency (domain §3.1, issue 5 acceptance): every actor below runs on a
 * connection of its own (a pool per client), so the database's locks and conditional updates, not
 * the test's scheduling, decide the outcome.
 */

let testDb: TestDatabase;
let shop: Shop;
const clients: Kysely<DB>[] = [];

/** n independent clients, each with a single connection. */
function clientsFor(n: number): Kysely<DB>[] {
  while (clients.length < n) {
    clients.push(new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(1) }) }));
  }
  return clients.slice(0, n);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb.db);
});
// connections are returned after each case, so the 100-client cases fit max_connections
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy().catch(() => {})));
});
afterAll(async () => {
  await testDb?.destroy();
});

const dearBody = (extra: Record<string, unknown> = {}, expected = '450.00') => ({
  ...pickupBody(shop, [{ product: 'dear' }]),
  ...extra,
  expected_final_amount: expected,
});

function orderOf(result: PlaceOrderResult) {
  return 'order' in result.body ? result.body.order : null;
}

describe('one single-use coupon, 50 concurrent checkouts', () => {
  it('exactly one order carries it; the others get COUPON_UNAVAILABLE (C1)', async () => {
    const { member, template, instance } = await memberWithCoupon(testDb.db);
    const results = await Promise.all(
      clientsFor(50).map((db) =>
        placeOrder(db, {
          memberId: member.id,
          body: dearBody({ coupon_instance_id: instance.id }, '405.00'),
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    );
    const winners = results.filter((r) => r.status === 201);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'COUPON_UNAVAILABLE')).toHaveLength(49);
    const row = await testDb.db
      .selectFrom('coupon_instance')
      .select(['status', 'used_order_id'])
      .where('id', '=', instance.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'USED', used_order_id: orderOf(winners[0]!)!.id });
    const t = await testDb.db
      .selectFrom('coupon_template')
      .select('current_usage_count')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(t.current_usage_count).toBe(1);
    const audit = await testDb.db
      .selectFrom('coupon_audit_log')
      .select('action')
      .where('coupon_instance_id', '=', instance.id)
      .where('action', '=', 'USED')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('two members racing for a template with max_total_usage 1 yield one success (CP-8), 20 rounds', async () => {
    for (let round = 0; round < 20; round++) {
      const template = await createCouponTemplate(testDb.db, { max_total_usage: 1 });
      const a = await createCouponInstance(testDb.db, { template_id: template.id });
      const b = await createCouponInstance(testDb.db, { template_id: template.id });
      const [db1, db2] = clientsFor(2);
      const results = await Promise.all(
        [
          [db1!, a],
          [db2!, b],
        ].map(([db, inst]) =>
          placeOrder(db as Kysely<DB>, {
            memberId: (inst as typeof a).member_id,
            body: dearBody({ coupon_instance_id: (inst as typeof a).id }, '405.00'),
            idempotencyKey: crypto.randomUUID(),
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.map(errorCode).filter(Boolean)).toEqual(['COUPON_USAGE_LIMIT_REACHED']);
    }
  });
});

describe('a template with max_total_usage 10, 100 members checking out at once', () => {
  it('exactly 10 orders use it, and the order numbers stay gap-free despite the rollbacks', async () => {
    const template = await createCouponTemplate(testDb.db, { max_total_usage: 10 });
    const owners = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const member = await createMember(testDb.db);
        const instance = await createCouponInstance(testDb.db, {
          template_id: template.id,
          member_id: member.id,
        });
        return { member, instance };
      }),
    );
    const results = await Promise.all(
      clientsFor(100).map((db, i) =>
        placeOrder(db, {
          memberId: owners[i]!.member.id,
          body: dearBody({ coupon_instance_id: owners[i]!.instance.id }, '405.00'),
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => errorCode(r) === 'COUPON_USAGE_LIMIT_REACHED')).toHaveLength(90);
    const t = await testDb.db
      .selectFrom('coupon_template')
      .select('current_usage_count')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(t.current_usage_count).toBe(10);
    const used = await testDb.db
      .selectFrom('coupon_instance')
      .select(sql<string>`count(*)`.as('n'))
      .where('template_id', '=', template.id)
      .where('status', '=', 'USED')
      .executeTakeFirstOrThrow();
    expect(Number(used.n)).toBe(10);
    await expectGapFreeNumbers();
  });
});

describe('two concurrent points orders that together exceed the balance', () => {
  it('one succeeds, the balance never goes negative (PT-3), 20 rounds', async () => {
    for (let round = 0; round < 20; round++) {
      const member = await createMember(testDb.db);
      await testDb.db.transaction().execute((trx) =>
        applyPointsChange(trx, {
          memberId: member.id,
          delta: 60_000,
          reason: 'SIGNUP_BONUS',
          idempotencyKey: `signup_bonus:${member.phone}`,
        }),
      );
      const [db1, db2] = clientsFor(2);
      const results = await Promise.all(
        [db1!, db2!].map((db) =>
          placeOrder(db, {
            memberId: member.id,
            body: dearBody({ use_points: true }, '0.00'),
            idempotencyKey: crypto.randomUUID(),
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
      expect(results.map(errorCode).filter(Boolean)).toEqual(['INSUFFICIENT_POINTS']);
      const m = await testDb.db
        .selectFrom('member')
        .select('available_points_balance')
        .where('id', '=', member.id)
        .executeTakeFirstOrThrow();
      expect(m.available_points_balance).toBe(15_000);
    }
  });
});

describe('one idempotency key sent 20 times at once', () => {
  it('yields one order; the others replay it or answer IDEMPOTENCY_IN_PROGRESS', async () => {
    const member = await createMember(testDb.db);
    const key = crypto.randomUUID();
    const results = await Promise.all(
      clientsFor(20).map((db) =>
        placeOrder(db, { memberId: member.id, body: dearBody(), idempotencyKey: key }),
      ),
    );
    const orders = await testDb.db
      .selectFrom('order')
      .select('id')
      .where('member_id', '=', member.id)
      .execute();
    expect(orders).toHaveLength(1);
    for (const r of results) {
      if (r.status === 201) expect(orderOf(r)!.id).toBe(orders[0]!.id);
      else expect(errorCode(r)).toBe('IDEMPOTENCY_IN_PROGRESS');
    }
    // afterwards every retry is a replay
    const later = await placeOrder(testDb.db, {
      memberId: member.id,
      body: dearBody(),
      idempotencyKey: key,
    });
    expect(later).toMatchObject({ status: 201, replayed: true });
    const changed = await placeOrder(testDb.db, {
      memberId: member.id,
      body: dearBody({ customer_name: 'Другое имя' }),
      idempotencyKey: key,
    });
    expect(changed.status).toBe(422);
  });
});

describe('order numbers under 100 concurrent checkouts', () => {
  it('are unique and gap-free per prefix and day', async () => {
    const members = await Promise.all(Array.from({ length: 100 }, () => createMember(testDb.db)));
    const results = await Promise.all(
      clientsFor(100).map((db, i) =>
        placeOrder(db, {
          memberId: members[i]!.id,
          body: dearBody(),
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    await expectGapFreeNumbers();
  });
});

/** Every (prefix, local date) numbers its committed orders 1..n (ON-3). */
async function expectGapFreeNumbers() {
  const rows = await testDb.db
    .selectFrom('order')
    .select(['order_number', 'order_prefix', 'local_date'])
    .execute();
  const byDay = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${r.order_prefix}${r.local_date}`;
    byDay.set(k, [...(byDay.get(k) ?? []), Number(r.order_number.slice(9))]);
  }
  for (const [, seqs] of byDay) {
    seqs.sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  }
  const counters = await testDb.db.selectFrom('order_number_counter').selectAll().execute();
  for (const c of counters) {
    expect(c.last_value).toBe(byDay.get(`${c.prefix}${c.local_date}`)?.length ?? 0);
  }
}
