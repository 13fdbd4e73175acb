import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { createMember } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

let testDb: TestDatabase;
let clients: Kysely<DB>[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  clients = Array.from(
    { length: 5 },
    () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(1) }) }),
  );
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  await testDb?.destroy();
});

const bonus = (db: Kysely<DB>, memberId: number, phone: string) =>
  db.transaction().execute((trx) =>
    applyPointsChange(trx, {
      memberId,
      delta: 100,
      reason: 'SIGNUP_BONUS',
      idempotencyKey: `signup_bonus:${phone}`,
    }),
  );

describe('C3: idempotent points issuance (PT-3)', () => {
  it('twice in a row, then 5 times concurrently: one row, +100 once, every call returns that row', async () => {
    for (let round = 0; round < 20; round++) {
      const member = await createMember(testDb.db);
      const first = await bonus(testDb.db, member.id, member.phone);
      const second = await bonus(testDb.db, member.id, member.phone);
      const concurrent = await Promise.all(clients.map((db) => bonus(db, member.id, member.phone)));
      expect(first.created).toBe(true);
      for (const r of [second, ...concurrent]) {
        expect(r).toEqual({ id: first.id, balanceAfter: 100, created: false });
      }
      const rows = await testDb.db
        .selectFrom('member_points_history')
        .select(['id', 'delta', 'balance_after'])
        .where('member_id', '=', member.id)
        .execute();
      expect(rows).toEqual([{ id: first.id, delta: 100, balance_after: 100 }]);
      const m = await testDb.db
        .selectFrom('member')
        .select('available_points_balance')
        .where('id', '=', member.id)
        .executeTakeFirstOrThrow();
      expect(m.available_points_balance).toBe(100);
    }
  });

  it('refuses to go below zero with INSUFFICIENT_POINTS and writes nothing', async () => {
    const member = await createMember(testDb.db);
    await bonus(testDb.db, member.id, member.phone);
    await expect(
      testDb.db.transaction().execute((trx) =>
        applyPointsChange(trx, {
          memberId: member.id,
          delta: -101,
          reason: 'ADMIN_ADJUST',
          idempotencyKey: 'admin_adjust:test-1',
        }),
      ),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { required_points: 101, available_points: 100 },
    });
  });

  it('moves the tier with total_points_earned, even when no ledger row is due (PT-8, PT-9)', async () => {
    const member = await createMember(testDb.db);
    await testDb.db.transaction().execute((trx) =>
      applyPointsChange(trx, {
        memberId: member.id,
        delta: 0,
        totalEarnedDelta: 6_000,
        reason: 'ORDER_EARN',
        idempotencyKey: 'order_earn:tier-test-2',
      }),
    );
    const row = await testDb.db
      .selectFrom('member as m')
      .innerJoin('member_group as g', 'g.id', 'm.group_id')
      .select(['g.code', 'm.total_points_earned'])
      .where('m.id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ code: 'SILVER', total_points_earned: 6_000 });
  });
});
