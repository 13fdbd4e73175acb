import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.generated';
import * as adminBoard from '~/routes/admin.orders._index';
import * as adminHistory from '~/routes/admin.orders.history';
import * as adminOrder from '~/routes/admin.orders.$orderId';
import * as manageBoard from '~/routes/manage.$storeId.orders._index';
import * as manageHistory from '~/routes/manage.$storeId.orders.history';
import * as manageOrder from '~/routes/manage.$storeId.orders.$orderId';
import { createOrder, type Overrides, type Row } from '../../factories';
import { callAction, callLoader, type Answer, type Session } from '../../support/staff-requests';
import type { TestDatabase } from '../../setup/test-database';

export { adminBoard, adminHistory, adminOrder, manageBoard, manageHistory, manageOrder };

/**
 * An order already in `status` (factory row, no lines). Paid with points unless `payment` says
 * otherwise, so leaving it (cancel, refund) needs no payment provider: its money is points.
 */
export async function orderIn(
  db: Kysely<DB>,
  storeId: number,
  status: string,
  overrides: Overrides<'order'> = {},
): Promise<Row<'order'>> {
  const unpaidPending = status === 'PENDING' && overrides.payment_status === undefined;
  return createOrder(db, {
    store_id: storeId,
    status,
    ...(unpaidPending ? {} : { points_used: 35_000 }),
    ...overrides,
  });
}

/** The state that must not move when an action is refused. */
export async function snapshot(db: Kysely<DB>) {
  const [orders, audit, payments, points, coupons] = await Promise.all([
    db
      .selectFrom('order')
      .select(['id', 'status', 'payment_status', 'cancel_reason', 'updated_at'])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst(),
    db.selectFrom('payment_transaction').select(['id', 'status']).orderBy('id').execute(),
    db
      .selectFrom('member_points_history')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst(),
    db.selectFrom('coupon_instance').select(['id', 'status']).orderBy('id').execute(),
  ]);
  return { orders, audit: audit?.n, payments, points: points?.n, coupons };
}

export async function orderStatus(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('order')
    .select(['status', 'payment_status', 'cancel_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The order's `order.status` audit rows written by staff (the system's confirmation aside). */
export async function statusAudit(db: Kysely<DB>, orderId: number) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_user_id', 'before', 'after', 'reason', 'store_id'])
    .where('entity_type', '=', 'order')
    .where('entity_id', '=', String(orderId))
    .where('action', '=', 'order.status')
    .where('actor_type', '=', 'USER')
    .orderBy('id')
    .execute();
}

/** POSTs the board action of /manage/<storeId>/orders. */
export function manageAction(
  testDb: TestDatabase,
  session: Session,
  storeId: number,
  fields: Record<string, string>,
  opts: { csrf?: boolean } = {},
): Promise<Answer> {
  return callAction(testDb, manageBoard.action, session, fields, {
    path: `/manage/${storeId}/orders?index`,
    params: { storeId: String(storeId) },
    ...opts,
  });
}

/** POSTs the action of /admin/orders (chain-wide board). */
export function adminAction(
  testDb: TestDatabase,
  session: Session,
  fields: Record<string, string>,
): Promise<Answer> {
  return callAction(testDb, adminBoard.action, session, fields, { path: '/admin/orders?index' });
}

export function loadHistory(
  testDb: TestDatabase,
  session: Session,
  storeId: number,
  search: string,
): Promise<Answer> {
  return callLoader(
    testDb,
    manageHistory.loader,
    session,
    `/manage/${storeId}/orders/history${search}`,
    { storeId: String(storeId) },
  );
}

export function loadBoard(testDb: TestDatabase, session: Session, storeId: number) {
  return callLoader(testDb, manageBoard.loader, session, `/manage/${storeId}/orders`, {
    storeId: String(storeId),
  });
}

export function loadOrder(
  testDb: TestDatabase,
  session: Session,
  storeId: number,
  orderId: number,
) {
  return callLoader(testDb, manageOrder.loader, session, `/manage/${storeId}/orders/${orderId}`, {
    storeId: String(storeId),
    orderId: String(orderId),
  });
}

/** The loader's JSON body (callLoader parses it). */
export function bodyOf<T>(answer: Answer): T {
  return answer.body as T;
}
