import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expireOverdueCouponsEverywhere,
  inCouponExpiryWindow,
} from '../../../app/features/coupons/expiry.service.server';
import { periodicTasks } from '../../../app/features/jobs/periodic.server';
import { createCouponInstance, createCouponTemplate } from '../../factories';
import { hoursFromNow } from '../../factories/support';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

async function statusOf(id: number) {
  const row = await testDb.db
    .selectFrom('coupon_instance')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

async function auditActions(id: number) {
  const rows = await testDb.db
    .selectFrom('coupon_audit_log')
    .select(['action', 'from_status', 'to_status', 'actor_type'])
    .where('coupon_instance_id', '=', id)
    .orderBy('id')
    .execute();
  return rows;
}

describe('the nightly coupon expiry (CP-13)', () => {
  it('runs from 03:00 to 03:14 Europe/Moscow only', () => {
    // Moscow is UTC+3 all year
    expect(inCouponExpiryWindow(new Date('2026-11-26T00:00:00Z'))).toBe(true);
    expect(inCouponExpiryWindow(new Date('2026-11-26T00:14:59Z'))).toBe(true);
    expect(inCouponExpiryWindow(new Date('2026-11-26T00:15:00Z'))).toBe(false);
    expect(inCouponExpiryWindow(new Date('2026-11-25T23:59:59Z'))).toBe(false);
    expect(inCouponExpiryWindow(new Date('2026-11-26T03:00:00Z'))).toBe(false);
    const task = periodicTasks.find((t) => t.name === 'coupons.expire_daily');
    expect(task?.everyMs).toBe(60_000);
  });

  it('expires overdue UNUSED instances once, with one SYSTEM audit row, and leaves the rest', async () => {
    const overdue = await createCouponTemplate(testDb.db, {
      valid_from: hoursFromNow(-72),
      valid_until: hoursFromNow(-1),
    });
    const current = await createCouponTemplate(testDb.db);
    const lapsed = await createCouponInstance(testDb.db, { template_id: overdue.id });
    const extended = await createCouponInstance(testDb.db, {
      template_id: overdue.id,
      adjusted_valid_until: hoursFromNow(24),
    });
    const shortened = await createCouponInstance(testDb.db, {
      template_id: current.id,
      adjusted_valid_until: hoursFromNow(-2),
    });
    const frozen = await createCouponInstance(testDb.db, {
      template_id: overdue.id,
      status: 'FROZEN',
    });
    const valid = await createCouponInstance(testDb.db, { template_id: current.id });

    expect(await expireOverdueCouponsEverywhere(testDb.db)).toBeGreaterThanOrEqual(2);
    expect(await statusOf(lapsed.id)).toBe('EXPIRED');
    expect(await statusOf(shortened.id)).toBe('EXPIRED');
    expect(await statusOf(extended.id)).toBe('UNUSED');
    expect(await statusOf(frozen.id)).toBe('FROZEN');
    expect(await statusOf(valid.id)).toBe('UNUSED');
    expect(await auditActions(lapsed.id)).toEqual([
      { action: 'EXPIRED', from_status: 'UNUSED', to_status: 'EXPIRED', actor_type: 'SYSTEM' },
    ]);

    // a second run (the next minute of the window) changes and audits nothing
    expect(await expireOverdueCouponsEverywhere(testDb.db)).toBe(0);
    expect(await auditActions(lapsed.id)).toHaveLength(1);
  });

  it('works through a backlog larger than one batch', async () => {
    const overdue = await createCouponTemplate(testDb.db, {
      valid_from: hoursFromNow(-72),
      valid_until: hoursFromNow(-1),
    });
    const member = await testDb.db
      .selectFrom('member')
      .select('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await testDb.db
      .insertInto('coupon_instance')
      .values(
        Array.from({ length: 2_100 }, () => ({
          template_id: overdue.id,
          member_id: member.id,
          source_type: 'ADMIN',
        })),
      )
      .execute();
    expect(await expireOverdueCouponsEverywhere(testDb.db)).toBe(2_100);
    const left = await testDb.db
      .selectFrom('coupon_instance')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('template_id', '=', overdue.id)
      .where('status', '=', 'UNUSED')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });
});
