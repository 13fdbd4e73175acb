import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { ORDER_STATUSES, type OrderStatus } from '~/features/orders/order-status';
import { changeOrderStatus } from '~/features/order-board/order-board.service.server';
import { createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { adminSession, managerSession, type Session } from '../../support/staff-requests';
import { adminAction, manageAction, orderIn, orderStatus, snapshot, statusAudit } from './helpers';

/**
 * OR-1 through the board's action: every legal staff transition works and is audited; every other
 * (from, to) pair answers 409 and writes nothing; DELIVERING exists only for delivery orders;
 * two staff members acting on one order at once cannot both win (OR-2's conditional UPDATE).
 */

let testDb: TestDatabase;
let store: number;
let manager: Session;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  store = (await createStore(testDb.db, { delivery_enabled: true })).id;
  manager = await managerSession(testDb, [store]);
  admin = await adminSession(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

const CHAIN: OrderStatus[] = ['CONFIRMED', 'PREPARING', 'READY', 'DELIVERING', 'COMPLETED'];

/** OR-1 for staff: what the board must accept (PENDING here is unpaid: nothing held). */
function legalForStaff(from: OrderStatus, to: OrderStatus, type: 'PICKUP' | 'DELIVERY'): boolean {
  if (to === 'DELIVERING' && type !== 'DELIVERY') return false;
  if (from === 'PENDING') return to === 'CANCELLED';
  const i = CHAIN.indexOf(from);
  if (i < 0) return false;
  if (to === 'CANCELLED') return from !== 'COMPLETED';
  if (to === 'REFUNDED') return from === 'COMPLETED';
  return CHAIN.indexOf(to) > i;
}

const delivery = { order_type: 'DELIVERY', delivery_fee: '0.00' } as const;

describe('every (from, to) pair through the board action', () => {
  for (const type of ['PICKUP', 'DELIVERY'] as const) {
    it(`${type}: legal pairs move and are audited; illegal ones answer 409 and write nothing`, async () => {
      const results: string[] = [];
      for (const from of ORDER_STATUSES) {
        for (const to of ORDER_STATUSES) {
          const order = await orderIn(testDb.db, store, from, type === 'DELIVERY' ? delivery : {});
          const fields = { intent: 'status', orderId: String(order.id), to, reason: 'проверка' };
          // the refund of a completed order is the admin's (the manager's 403 is in permissions)
          const answer =
            to === 'REFUNDED'
              ? await adminAction(testDb, admin, fields)
              : await manageAction(testDb, manager, store, fields);
          const after = await orderStatus(testDb.db, order.id);
          const audit = await statusAudit(testDb.db, order.id);
          if (legalForStaff(from, to, type)) {
            expect(answer.status, `${from} → ${to}`).toBe(200);
            expect(after.status, `${from} → ${to}`).toBe(to);
            expect(audit, `${from} → ${to}`).toHaveLength(1);
            expect(audit[0]).toMatchObject({
              actor_type: 'USER',
              before: { status: from },
              after: { status: to },
              store_id: store,
            });
            results.push(`${from}>${to}`);
          } else {
            expect(answer.status, `${from} → ${to}`).toBe(409);
            expect((answer.body as { code: string }).code).toBe('INVALID_TRANSITION');
            expect(after.status, `${from} → ${to}`).toBe(from);
            expect(audit, `${from} → ${to}`).toEqual([]);
          }
        }
      }
      // forward pairs: 4 + 3 + 2 + 1 along the chain, minus the three into DELIVERING for
      // pickup; 4 cancels from the chain, 1 from unpaid PENDING; 1 refund
      expect(results.length).toBe(type === 'DELIVERY' ? 10 + 4 + 1 + 1 : 7 + 4 + 1 + 1);
    });
  }
});

describe('refusals with their reason', () => {
  it('DELIVERING is for delivery orders only (409, the message says why)', async () => {
    const order = await orderIn(testDb.db, store, 'READY');
    const before = await snapshot(testDb.db);
    const answer = await manageAction(testDb, manager, store, {
      intent: 'status',
      orderId: String(order.id),
      to: 'DELIVERING',
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: 'orderBoard.error.deliveryOnly',
    });
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('a stale click (the page showed another status) answers 409 and changes nothing', async () => {
    const order = await orderIn(testDb.db, store, 'READY');
    const before = await snapshot(testDb.db);
    const answer = await manageAction(testDb, manager, store, {
      intent: 'status',
      orderId: String(order.id),
      from: 'PREPARING',
      to: 'COMPLETED',
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ message: 'orderBoard.error.stale' });
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('cancel needs a reason (400, a field error); with one the reason is kept', async () => {
    const order = await orderIn(testDb.db, store, 'PREPARING');
    const before = await snapshot(testDb.db);
    const blank = await manageAction(testDb, manager, store, {
      intent: 'status',
      orderId: String(order.id),
      to: 'CANCELLED',
      reason: '   ',
    });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({
      ok: false,
      result: { error: { reason: ['orderBoard.error.REASON_REQUIRED'] } },
    });
    expect(await snapshot(testDb.db)).toEqual(before);

    const done = await manageAction(testDb, manager, store, {
      intent: 'status',
      orderId: String(order.id),
      to: 'CANCELLED',
      reason: 'закончилось молоко',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ ok: true, status: 'CANCELLED', refund: 'NONE' });
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      cancel_reason: 'закончилось молоко',
    });
    expect((await statusAudit(testDb.db, order.id))[0]).toMatchObject({
      reason: 'закончилось молоко',
    });
  });

  it('a PENDING order with money held is the payment flow’s, not staff’s (409)', async () => {
    const held = await orderIn(testDb.db, store, 'PENDING', {
      payment_status: 'WAITING_FOR_CAPTURE',
    });
    const before = await snapshot(testDb.db);
    for (const to of ['CANCELLED', 'CONFIRMED', 'VOIDED']) {
      const answer = await manageAction(testDb, manager, store, {
        intent: 'status',
        orderId: String(held.id),
        to,
        reason: 'клиент позвонил',
      });
      expect(answer.status, to).toBe(409);
    }
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('staff cancel of an unpaid PENDING order closes its payment too', async () => {
    const order = await orderIn(testDb.db, store, 'PENDING');
    const answer = await manageAction(testDb, manager, store, {
      intent: 'status',
      orderId: String(order.id),
      to: 'CANCELLED',
      reason: 'клиент попросил',
    });
    expect(answer.status).toBe(200);
    expect(await orderStatus(testDb.db, order.id)).toMatchObject({
      status: 'CANCELLED',
      payment_status: 'CANCELED',
    });
  });
});

describe('concurrent staff actions on one order (OR-2)', () => {
  it('READY and CANCELLED clicked at once on the same card: exactly one wins, one audit row', async () => {
    const pools = [testDb.newPool(4), testDb.newPool(4)];
    const dbs = pools.map((pool) => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }));
    try {
      const managerUser = {
        userId: manager.userId,
        role: 'STORE_MANAGER' as const,
        storeIds: [store],
      };
      for (let round = 0; round < 10; round++) {
        const order = await orderIn(testDb.db, store, 'PREPARING');
        const [ready, cancelled] = await Promise.all([
          changeOrderStatus(dbs[0]!, managerUser, {
            orderId: order.id,
            from: 'PREPARING',
            to: 'READY',
            storeId: store,
          }),
          changeOrderStatus(dbs[1]!, managerUser, {
            orderId: order.id,
            from: 'PREPARING',
            to: 'CANCELLED',
            reason: 'гонка',
            storeId: store,
          }),
        ]);
        const winners = [ready, cancelled].filter((r) => r.ok);
        expect(winners, `round ${round}`).toHaveLength(1);
        // the loser saw the new status, or lost the conditional UPDATE to the winner
        expect([ready, cancelled].find((r) => !r.ok)).toMatchObject({
          ok: false,
          code: 'INVALID_TRANSITION',
          status: 409,
        });
        const winner = winners[0]!;
        expect((await orderStatus(testDb.db, order.id)).status).toBe(
          winner.ok ? winner.status : null,
        );
        expect(await statusAudit(testDb.db, order.id)).toHaveLength(1);
      }
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });

  it('the same button twice at once moves the order once', async () => {
    const pools = [testDb.newPool(4), testDb.newPool(4)];
    const dbs = pools.map((pool) => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }));
    try {
      const actor = { userId: manager.userId, role: 'STORE_MANAGER' as const, storeIds: [store] };
      for (let round = 0; round < 10; round++) {
        const order = await orderIn(testDb.db, store, 'CONFIRMED');
        const results = await Promise.all(
          dbs.map((db) =>
            changeOrderStatus(db, actor, {
              orderId: order.id,
              from: 'CONFIRMED',
              to: 'PREPARING',
              storeId: store,
            }),
          ),
        );
        expect(
          results.filter((r) => r.ok),
          `round ${round}`,
        ).toHaveLength(1);
        expect(await statusAudit(testDb.db, order.id)).toHaveLength(1);
      }
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });
});
