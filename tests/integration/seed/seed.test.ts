import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '~/auth/password.server';
import { isSeeded, seedDemoData, type SeedResult } from '../../../db/seed';
import { DEMO_ADMIN, DEMO_MANAGER } from '../../../db/seed/demo-users';
import type { DB } from '../../../db/types.generated';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * The demo seed (`npm run db:seed`) on a fresh migrated database: volume, the cross-table
 * invariants the DB CHECKs cannot express, the shapes the dashboards read, and "once" semantics.
 */

let testDb: TestDatabase;
let second: Kysely<DB>;
let results: SeedResult[];

async function rows<T>(query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(testDb.db)).rows;
}

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await rows<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [r] = await rows<{ n: number }>(
      sql`select count(*)::int as n from ${sql.table(table_name)}`,
    );
    out[table_name] = r!.n;
  }
  return out;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  second = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) });
  // Two starts at once (npm start and a manual db:seed): the advisory lock lets one seed.
  results = await Promise.all([seedDemoData(testDb.db), seedDemoData(second)]);
});

afterAll(async () => {
  await second?.destroy();
  await testDb?.destroy();
});

describe('seedDemoData', () => {
  it('seeds exactly once when started twice concurrently', async () => {
    expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
    expect(await isSeeded(testDb.db)).toBe(true);
  });

  it('writes at least 2,000 orders over about 60 days across the three stores', async () => {
    const [r] = await rows<{ n: number; days: number; stores: number }>(sql`
      select count(*)::int as n,
             count(distinct local_date)::int as days,
             count(distinct store_id)::int as stores
      from "order"`);
    expect(r!.n).toBeGreaterThanOrEqual(2_000);
    expect(r!.days).toBeGreaterThanOrEqual(59);
    expect(r!.stores).toBe(3);
  });

  it('keeps order lines and orders consistent (Σ line_total = subtotal, Σ line discounts = coupon discount)', async () => {
    const bad = await rows<{ id: number }>(sql`
      select o.id from "order" o
      join order_item i on i.order_id = o.id
      group by o.id
      having sum(i.line_total) <> max(o.subtotal_amount)
          or sum(i.discount_amount) <> max(o.coupon_discount)
          or max(i.line_no) <> count(*)`);
    expect(bad).toEqual([]);
    const withoutLines = await rows<{ n: number }>(
      sql`select count(*)::int as n from "order" o where not exists (select 1 from order_item i where i.order_id = o.id)`,
    );
    expect(withoutLines[0]!.n).toBe(0);
    const badOptions = await rows<{ id: number }>(sql`
      select i.id from order_item i
      left join order_item_option x on x.order_item_id = i.id
      group by i.id
      having coalesce(sum(x.price_delta), 0) <> max(i.options_price)`);
    expect(badOptions).toEqual([]);
  });

  it('numbers orders per ON-1: P + store-local date + a gapless per-date sequence matching the counter', async () => {
    const badFormat = await rows<{ order_number: string }>(sql`
      select o.order_number from "order" o join store s on s.id = o.store_id
      where o.local_date <> (o.created_at at time zone s.timezone)::date
         or left(o.order_number, 9) <> 'P' || to_char(o.local_date, 'YYYYMMDD')
         or o.order_number !~ '^P[0-9]{12}$'`);
    expect(badFormat).toEqual([]);
    const mismatch = await rows<{ local_date: string }>(sql`
      with seqs as (
        select local_date, count(*)::int as n, max(substr(order_number, 10)::int) as max_seq
        from "order" group by local_date
      )
      select to_char(coalesce(s.local_date, c.local_date), 'YYYY-MM-DD') as local_date
      from seqs s full join order_number_counter c on c.prefix = 'P' and c.local_date = s.local_date
      where c.last_value is distinct from s.max_seq or s.n is distinct from s.max_seq`);
    expect(mismatch).toEqual([]);
  });

  it('keeps every points ledger consistent (PT-10) and tiers per PT-9', async () => {
    const bad = await rows<{ id: number }>(sql`
      select m.id from member m
      left join lateral (
        select coalesce(sum(delta), 0)::int as total,
               (select balance_after from member_points_history h2 where h2.member_id = m.id order by id desc limit 1) as last_after
        from member_points_history h where h.member_id = m.id
      ) l on true
      where m.available_points_balance <> l.total
         or m.available_points_balance is distinct from l.last_after`);
    expect(bad).toEqual([]);
    const badTier = await rows<{ id: number }>(sql`
      select m.id from member m
      where m.group_id is distinct from (
        select g.id from member_group g where g.min_points_required <= m.total_points_earned
        order by g.min_points_required desc limit 1)`);
    expect(badTier).toEqual([]);
    const [bonus] = await rows<{ members: number; bonuses: number; keyed: number }>(sql`
      select (select count(*)::int from member) as members,
             count(*)::int as bonuses,
             count(*) filter (where h.idempotency_key = 'signup_bonus:' || m.phone)::int as keyed
      from member_points_history h join member m on m.id = h.member_id
      where h.reason = 'SIGNUP_BONUS'`);
    expect(bonus!.members).toBeGreaterThanOrEqual(250);
    expect(bonus!.bonuses).toBe(bonus!.members);
    expect(bonus!.keyed).toBe(bonus!.members);
    // total_points_earned: credited earnings minus what REFUNDED orders took back.
    const badEarned = await rows<{ id: number }>(sql`
      select m.id from member m
      where m.total_points_earned <> greatest(0,
        coalesce((select sum(h.delta) from member_points_history h where h.member_id = m.id and h.reason = 'ORDER_EARN'), 0)
        - coalesce((select sum(o.points_earned) from "order" o where o.member_id = m.id and o.status = 'REFUNDED'
                      and o.points_used = 0 and o.completed_at is not null), 0))`);
    expect(badEarned).toEqual([]);
    const badRedeem = await rows<{ id: number }>(sql`
      select o.id from "order" o
      where o.points_used > 0 and not exists (
        select 1 from member_points_history h
        where h.idempotency_key = 'order_redeem:' || o.id and h.delta = -o.points_used and h.order_id = o.id)`);
    expect(badRedeem).toEqual([]);
  });

  it('keeps campaign code counters equal to their scan rows (OS-8)', async () => {
    const bad = await rows<{ code: string }>(sql`
      select c.code from campaign_code c
      left join lateral (
        select count(*)::int as scans,
               count(*) filter (where s.matched and s.reversed_at is null)::int as orders,
               coalesce(sum(o.final_amount) filter (where s.matched and s.reversed_at is null), 0) as gmv
        from offline_scan_log s left join "order" o on o.id = s.order_id
        where s.campaign_code_id = c.id
      ) r on true
      where c.scan_count <> r.scans or c.order_count <> r.orders or c.total_gmv <> r.gmv`);
    expect(bad).toEqual([]);
    const [shape] = await rows<{
      codes: number;
      matched: number;
      unmatched: number;
      dups: number;
      attributed: number;
    }>(sql`
      select (select count(*)::int from campaign_code where code ~ '^A[1-9][0-9]{3}$') as codes,
             count(*) filter (where matched)::int as matched,
             count(*) filter (where not matched)::int as unmatched,
             count(*) filter (where dup_count > 0)::int as dups,
             (select count(*)::int from "order" where campaign_code_id is not null) as attributed
      from offline_scan_log`);
    expect(shape!.codes).toBe(2);
    expect(shape!.matched).toBeGreaterThan(0);
    expect(shape!.unmatched).toBeGreaterThan(0);
    expect(shape!.dups).toBeGreaterThan(0);
    expect(shape!.attributed).toBe(shape!.matched);
    const wrongStore = await rows<{ id: number }>(sql`
      select s.id from offline_scan_log s join "order" o on o.id = s.order_id
      where o.store_id <> s.store_id or o.campaign_code_id <> s.campaign_code_id`);
    expect(wrongStore).toEqual([]);
  });

  it('opens MSK-01 around the clock with products at exactly 150.00 and 450.00', async () => {
    const store = await testDb.db
      .selectFrom('store')
      .select([
        'id',
        'opening_hours',
        'pickup_enabled',
        'delivery_enabled',
        'iiko_terminal_group_id',
        'telegram_chat_id',
        'timezone',
      ])
      .where('code', '=', 'MSK-01')
      .executeTakeFirstOrThrow();
    const hours = store.opening_hours as Record<string, { open: string; close: string }>;
    expect(Object.keys(hours).sort()).toEqual(['fri', 'mon', 'sat', 'sun', 'thu', 'tue', 'wed']);
    for (const day of Object.values(hours)) expect(day).toEqual({ open: '00:00', close: '00:00' });
    expect(store).toMatchObject({
      pickup_enabled: true,
      delivery_enabled: true,
      timezone: 'Europe/Moscow',
    });
    expect(store.iiko_terminal_group_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.telegram_chat_id).not.toBeNull();

    const prices = await rows<{ price: string; stock: string }>(sql`
      select coalesce(sp.price_override, p.base_price)::text as price, sp.stock_status as stock
      from store_product sp join product p on p.id = sp.product_id
      where sp.store_id = ${store.id} and sp.is_active and p.is_active`);
    const values = prices.map((p) => Number(p.price));
    expect(prices.filter((p) => p.price === '150.00')).toEqual([
      { price: '150.00', stock: 'IN_STOCK' },
    ]);
    expect(prices.filter((p) => p.price === '450.00')).toEqual([
      { price: '450.00', stock: 'IN_STOCK' },
    ]);
    expect(Math.min(...values)).toBe(150);
    expect(Math.max(...values)).toBe(450);
  });

  it('keeps the preselected options of the cheapest and dearest drinks free (the checkout scenarios start from them)', async () => {
    const deltas = await rows<{ sku: string; delta: string }>(sql`
      select p.sku, coalesce(poi.price_delta_override, oi.price_delta)::text as delta
      from product p
      join product_option_group pog on pog.product_id = p.id
      join option_item oi on oi.id = pog.default_item_id
      left join product_option_item poi on poi.product_id = p.id and poi.item_id = oi.id
      where p.base_price in (150, 450)`);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((d) => d.delta === '0.00')).toBe(true);
  });

  it('shows a payment failure rate (DA-1) between 2 % and 15 % with a visible daily spike', async () => {
    const [r] = await rows<{ failed: number; succeeded: number; abandoned: number }>(sql`
      select count(*) filter (where status = 'FAILED'
               or (status = 'CANCELED' and authorized_at is null and failure_code is distinct from 'expired_on_confirmation'))::int as failed,
             count(*) filter (where authorized_at is not null)::int as succeeded,
             count(*) filter (where status = 'CANCELED' and authorized_at is null and failure_code = 'expired_on_confirmation')::int as abandoned
      from payment_transaction where kind = 'PAYMENT'`);
    const rate = r!.failed / (r!.failed + r!.succeeded);
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.15);
    expect(r!.abandoned).toBeGreaterThan(0);
    const [spike] = await rows<{ worst: number }>(sql`
      select max(f::float / nullif(f + s, 0)) as worst from (
        select count(*) filter (where status = 'FAILED'
                 or (status = 'CANCELED' and authorized_at is null and failure_code is distinct from 'expired_on_confirmation')) as f,
               count(*) filter (where authorized_at is not null) as s
        from payment_transaction where kind = 'PAYMENT'
        group by (created_at at time zone 'Europe/Moscow')::date) d`);
    expect(spike!.worst).toBeGreaterThan(2 * rate);
  });

  it('writes payment attempts the way the payment flow would (PY-3, PY-5, PY-9)', async () => {
    const badKey = await rows<{ id: number }>(sql`
      select id from payment_transaction
      where idempotence_key <> 'ctea-' || order_id || '-' || case kind when 'PAYMENT' then 'create' else 'refund' end || '-' || attempt_no`);
    expect(badKey).toEqual([]);
    const badAmount = await rows<{ id: number }>(sql`
      select t.id from payment_transaction t join "order" o on o.id = t.order_id
      where t.amount <> o.final_amount or t.store_id <> o.store_id`);
    expect(badAmount).toEqual([]);
    // Online orders carry payment rows; orders paid with points or fully discounted carry none.
    const badMethod = await rows<{ id: number }>(sql`
      select o.id from "order" o
      where (o.final_amount > 0) <> exists (select 1 from payment_transaction t where t.order_id = o.id and t.kind = 'PAYMENT')`);
    expect(badMethod).toEqual([]);
    const badRefund = await rows<{ id: number }>(sql`
      select o.id from "order" o
      where o.payment_status = 'REFUNDED' and not exists (
        select 1 from payment_transaction t join payment_transaction p on p.id = t.parent_id
        where t.order_id = o.id and t.kind = 'REFUND' and t.status = 'SUCCEEDED' and p.status = 'SUCCEEDED')`);
    expect(badRefund).toEqual([]);
    const badCaptured = await rows<{ id: number }>(sql`
      select o.id from "order" o
      where o.payment_status in ('SUCCEEDED', 'REFUNDED') and not exists (
        select 1 from payment_transaction t where t.order_id = o.id and t.kind = 'PAYMENT'
          and t.status = 'SUCCEEDED' and t.authorized_at is not null and t.captured_at is not null)`);
    expect(badCaptured).toEqual([]);
  });

  it('pushes each paid or free order to iiko once, with one log row per attempt (IK-2, IK-4)', async () => {
    const badJobs = await rows<{ id: number }>(sql`
      select o.id from "order" o
      left join iiko_sync_job j on j.job_type = 'ORDER_PUSH' and j.resource_id = 'order:' || o.id
      where (o.iiko_sync_status = 'SYNCED' and j.status is distinct from 'COMPLETED')
         or (o.iiko_sync_status = 'FAILED' and (j.status is distinct from 'FAILED' or o.status <> 'VOIDED'))
         or (o.status = 'VOIDED' and o.iiko_sync_status <> 'FAILED')`);
    expect(badJobs).toEqual([]);
    const badLogs = await rows<{ id: number }>(sql`
      select j.id from iiko_sync_job j left join iiko_sync_log l on l.job_id = j.id
      group by j.id
      having count(l.id) <> max(j.attempt_count) or coalesce(max(l.attempt_number), 0) <> max(j.attempt_count)`);
    expect(badLogs).toEqual([]);
    const types = await rows<{ job_type: string; failed_attempts: number }>(sql`
      select j.job_type, count(*) filter (where not l.success)::int as failed_attempts
      from iiko_sync_job j join iiko_sync_log l on l.job_id = j.id group by 1 order by 1`);
    expect(types.map((t) => t.job_type)).toEqual(['MENU_IMPORT', 'ORDER_PUSH', 'STOP_LIST']);
    expect(types.every((t) => t.failed_attempts > 0)).toBe(true);
  });

  it('has orders in progress and coupons in every state the back office shows', async () => {
    const statuses = await rows<{ status: string }>(
      sql`select distinct status from "order" order by 1`,
    );
    expect(statuses.map((s) => s.status)).toEqual(
      expect.arrayContaining([
        'PENDING',
        'CONFIRMED',
        'PREPARING',
        'READY',
        'DELIVERING',
        'COMPLETED',
        'CANCELLED',
        'VOIDED',
        'REFUNDED',
      ]),
    );
    const coupons = await rows<{ status: string }>(
      sql`select distinct status from coupon_instance order by 1`,
    );
    expect(coupons.map((c) => c.status)).toEqual([
      'EXPIRED',
      'FROZEN',
      'REVOKED',
      'UNUSED',
      'USED',
    ]);
    const badUsage = await rows<{ code: string }>(sql`
      select t.code from coupon_template t
      where t.current_usage_count <> (select count(*) from coupon_instance i where i.template_id = t.id and i.status = 'USED')`);
    expect(badUsage).toEqual([]);
    const badUsed = await rows<{ id: number }>(sql`
      select i.id from coupon_instance i join "order" o on o.id = i.used_order_id
      where i.status = 'USED' and (o.coupon_instance_id <> i.id or o.member_id <> i.member_id or o.coupon_discount = 0
                                   or o.status in ('CANCELLED', 'VOIDED')
                                   or not exists (select 1 from coupon_audit_log a where a.coupon_instance_id = i.id
                                                  and a.action = 'USED' and a.order_id = o.id))`);
    expect(badUsed).toEqual([]);
    const types = await rows<{ type: string }>(
      sql`select distinct type from coupon_template order by 1`,
    );
    expect(types.map((t) => t.type)).toEqual([
      'BOGO',
      'BUY_N_GET_M',
      'SIMPLE_FIXED',
      'SIMPLE_PERCENTAGE',
      'THRESHOLD_OFF',
    ]);
  });

  it('creates the demo staff with working passwords and the MSK-01 manager link', async () => {
    const admin = await testDb.db
      .selectFrom('users')
      .select(['password_hash', 'role'])
      .where('email', '=', DEMO_ADMIN.email)
      .executeTakeFirstOrThrow();
    expect(admin.role).toBe('ADMIN');
    expect(await verifyPassword(admin.password_hash, DEMO_ADMIN.password)).toBe(true);
    const manager = await testDb.db
      .selectFrom('users')
      .innerJoin('store_staff', 'store_staff.user_id', 'users.id')
      .innerJoin('store', 'store.id', 'store_staff.store_id')
      .select(['users.password_hash', 'users.role', 'store.code'])
      .where('users.email', '=', DEMO_MANAGER.email)
      .execute();
    expect(manager.map((m) => [m.role, m.code])).toEqual([['STORE_MANAGER', 'MSK-01']]);
    expect(await verifyPassword(manager[0]!.password_hash, DEMO_MANAGER.password)).toBe(true);
    const zh = await rows<{ n: number }>(sql`
      select count(*)::int as n from user_preference where user_id is not null and language = 'zh'`);
    expect(zh[0]!.n).toBeGreaterThan(0);
  });

  it('does nothing on a second call', async () => {
    const before = await tableCounts();
    const [stamp] = await rows<{ t: Date }>(sql`select max(updated_at) as t from "order"`);
    expect(await seedDemoData(testDb.db)).toEqual({ seeded: false });
    expect(await tableCounts()).toEqual(before);
    const [after] = await rows<{ t: Date }>(sql`select max(updated_at) as t from "order"`);
    expect(after!.t).toEqual(stamp!.t);
  });

  it('refuses to run with NODE_ENV=production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(seedDemoData(testDb.db)).rejects.toThrow(/production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
